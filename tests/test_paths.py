"""Names from content never lead outside the output folder.

Tickers, page file names, slugs, commentary dates and index names become URLs and file names.
Validation refuses any that could climb out of the site with an editor's message, and
``write.safe_relpath`` refuses every path a page family might still produce from them
(``..``, absolute paths, backslashes, NUL), so there are two locks on the door.
"""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import SiteConfig
from generator.errors import BuildError, ContentError
from generator.load import TextFile, load_content
from generator.validate import validate
from generator.write import Staging, safe_relpath

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"


@pytest.mark.parametrize(
    "path",
    [
        "../x",
        "../../etc/passwd",
        "a/../../x",
        "reports/../../x",
        "..",
        "/etc/passwd",
        "/x/index.html",
        "a\\..\\..\\x",
        "..\\x",
        "stocks\\005930",
        "a\x00b",
        "index.html\x00.png",
        "",
        ".",
        "./",
        ".manifest.json",
    ],
)
def test_safe_relpath_refuses_paths_out_of_the_site(path: str) -> None:
    with pytest.raises(BuildError, match="refusing to write"):
        safe_relpath(path)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("reports/2026-01-07/index.html", "reports/2026-01-07/index.html"),
        ("a/./b.html", "a/b.html"),
        ("stocks//005930/index.html", "stocks/005930/index.html"),
        ("..a/b..", "..a/b.."),  # dots inside a name are just a name
    ],
)
def test_safe_relpath_keeps_ordinary_paths(path: str, expected: str) -> None:
    assert safe_relpath(path) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["..", ".", "", "a", "b", "/", "\\", "\x00", "x.html", "~", ":"]), max_size=8).map("/".join))
def test_whatever_safe_relpath_accepts_stays_inside(path: str) -> None:
    """Brute-force twin: an accepted path, joined to the site root and normalised, is inside it."""
    try:
        accepted = safe_relpath(path)
    except BuildError:
        return
    root = "/site"
    joined = posixpath.normpath(posixpath.join(root, accepted))
    assert joined.startswith(root + "/"), (path, accepted, joined)
    assert "\\" not in accepted and "\x00" not in accepted
    assert not PurePosixPath(accepted).is_absolute()


def test_staging_writes_nothing_outside_the_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    staging = Staging(out)
    for bad in ("../escaped.html", "/tmp/escaped.html", "..\\escaped.html"):
        with pytest.raises(BuildError):
            staging.add(bad, "x")
        with pytest.raises(BuildError):
            staging.keep(bad)
    staging.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "nothing beside the output folder"


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    return content


def _messages(error: ContentError, content: Path) -> list[str]:
    return [str(p).replace(str(content) + "/", "") for p in error.problems]


def test_a_ticker_with_a_path_is_refused(tmp_path: Path) -> None:
    content = _content(tmp_path)
    prices = content / "data" / "stock_prices.csv"
    prices.write_text(prices.read_text(encoding="utf-8") + "2026-01-08,../../x,1,1,1,1,1\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        validate(load_content(content), SiteConfig())
    assert _messages(err.value, content) == [
        "data/stock_prices.csv:10: ticker: '../../x' is not a ticker, expected 6 digits or capital letters such as 005930 (keep the leading zeros)"
    ]


def test_a_tracked_ticker_with_a_path_is_refused_in_site_toml(tmp_path: Path) -> None:
    content = _content(tmp_path)
    (content / "site.toml").write_text('tracked_tickers = ["../../"]\n', encoding="utf-8")
    from generator.config import load_config

    with pytest.raises(ContentError) as err:
        load_config(content)
    assert _messages(err.value, content) == [
        "site.toml:1: tracked_tickers: expected tickers of 6 digits or capital letters such as \"005930\", got '../../'"
    ]


def test_page_file_names_and_slugs_that_climb_out_are_refused(tmp_path: Path) -> None:
    content = _content(tmp_path)
    (content / "pages" / "..md").write_text("---\ntitle: Dots\n---\n", encoding="utf-8")
    (content / "pages" / "team.md").write_text("---\ntitle: Team\nslug: a/b\n---\n", encoding="utf-8")
    (content / "pages" / "x.md").write_text("---\ntitle: X\nslug: ../../etc\n---\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        validate(load_content(content), SiteConfig())
    assert _messages(err.value, content) == [
        "pages/..md: '..md' is not a page file name, expected lowercase letters, digits and hyphens such as about.md",
        "pages/team.md:3: slug: 'a/b' is not a page address, expected lowercase letters, digits and hyphens such as about",
        "pages/x.md:3: slug: '../../etc' is not a page address, expected lowercase letters, digits and hyphens such as about",
    ]


def test_commentary_outside_its_folder_is_refused(tmp_path: Path) -> None:
    """A commentary path that is not a plain day (as a tool or a symlink might hand over)."""
    content = _content(tmp_path)
    raw = load_content(content)
    raw.commentary.append(TextFile(content / "commentary" / ".." / "x.md", "---\ntitle: x\n---\n"))
    raw.commentary.append(TextFile(content / "commentary" / "2026-01-07.md.." / "..md", "---\ntitle: y\n---\n"))
    with pytest.raises(ContentError) as err:
        validate(raw, SiteConfig())
    assert _messages(err.value, content) == [
        "commentary/../x.md: 'x.md' is not a commentary file name, expected YYYY-MM-DD.md named after the day it discusses",
        "commentary/2026-01-07.md../..md: '..md' is not a commentary file name, expected YYYY-MM-DD.md named after the day it discusses",
    ]


def test_a_valid_page_slug_becomes_its_address(tmp_path: Path) -> None:
    content = _content(tmp_path)
    (content / "pages" / "team.md").write_text("---\ntitle: Team\nslug: the-team\n---\nWho we are.\n", encoding="utf-8")
    data = validate(load_content(content), SiteConfig())
    assert set(data.pages) == {"about", "the-team"}
