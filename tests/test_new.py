"""``kospi-report new``: a day's commentary started from the data, that builds as written."""

from __future__ import annotations

import datetime as dt
import re

import frontmatter
import pytest

from generator.analysis.history import analyse
from generator.build import build, load_dataset
from generator.cli import main
from generator.snapshot import make_snapshots
from generator.story import stories
from tests.conftest import CONTENT, EPOCH
from tests.test_serve import keep_recent

LATEST = dt.date(2026, 1, 7)


@pytest.fixture
def fixed_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # 2026-01-08 00:00 UTC = 09:00 in Seoul


def story_for(content, day: dt.date):
    data = load_dataset(content)
    return stories(make_snapshots(data, analyse(data)), data.config)[day]


def lede_for(content, day: dt.date) -> str:
    return " ".join(story_for(content, day).lede)


@pytest.mark.slow
def test_new_writes_the_latest_days_file_with_the_lede_and_it_builds(content_copy, tmp_path, capsys, fixed_time):
    note = content_copy / "commentary" / f"{LATEST}.md"
    note.unlink()  # the sample has one for the latest day; start it over

    assert main(["new", "--content", str(content_copy)]) == 0  # default: the latest trading day

    assert str(note) in capsys.readouterr().out
    post = frontmatter.loads(note.read_text(encoding="utf-8"))
    headline = story_for(content_copy, LATEST).headline  # the data-written headline, for the editor to sharpen
    assert post["title"] == headline == "KOSPI tops 4,600 for first time, ends at record 4,551.06"
    assert post["author"] == "Market desk"  # from site.toml
    assert post["published"] == "2026-01-08T09:00:00+09:00"
    assert "summary" in post.metadata
    lede = lede_for(content_copy, LATEST)
    assert lede.startswith("The KOSPI touched an intraday record of 4,611.72 on Wednesday")
    assert post.content.split("\n\n")[0] == lede  # the first paragraph, ready to edit

    keep_recent(content_copy)  # the last weeks build in seconds; the day's page is the same
    result = build(content_copy, tmp_path / "site")
    page = (tmp_path / "site" / "reports" / str(LATEST) / "index.html").read_text(encoding="utf-8")
    assert result.reports == 25
    editors_note = page[page.index('id="commentary-h"') :]
    assert "4,611.72 on Wednesday" in editors_note[: editors_note.index("</section>")]
    assert f"<title>{headline}" in page


def test_new_for_a_given_day_passes_validation(content_copy, fixed_time):
    day = dt.date(2026, 1, 6)
    assert main(["new", str(day), "--content", str(content_copy)]) == 0
    data = load_dataset(content_copy)  # validates the new file with everything else
    assert data.commentary[day].title == story_for(content_copy, day).headline == "KOSPI closes above 4,500 for first time"
    assert data.commentary[day].body.strip().startswith(lede_for(content_copy, day))


def test_new_refuses_to_overwrite_without_force(content_copy, capsys, fixed_time):
    note = content_copy / "commentary" / f"{LATEST}.md"
    before = note.read_bytes()

    assert main(["new", str(LATEST), "--content", str(content_copy)]) == 1

    assert note.read_bytes() == before
    err = capsys.readouterr().err
    assert f"{note}: already exists; use --force to replace it" in err
    assert main(["new", str(LATEST), "--content", str(content_copy), "--force"]) == 0
    assert note.read_bytes() != before
    assert "KOSPI tops 4,600 for first time" in note.read_text(encoding="utf-8")


def test_new_refuses_a_day_without_data(content_copy, capsys):
    assert main(["new", "2026-01-03", "--content", str(content_copy)]) == 1  # a Saturday
    assert not (content_copy / "commentary" / "2026-01-03.md").exists()
    err = capsys.readouterr().err
    assert "has no KOSPI row for 2026-01-03" in err and "2023-06-01 to 2026-01-07" in err


@pytest.mark.parametrize("bad", ["2026-02-30", "20260107", "yesterday", "2026-1-7"])
def test_new_refuses_a_malformed_date_as_usage(content_copy, capsys, bad):
    with pytest.raises(SystemExit) as exc:
        main(["new", bad, "--content", str(content_copy)])
    assert exc.value.code == 2
    assert re.search(r"is not a date, expected YYYY-MM-DD", capsys.readouterr().err)
    # Nothing was written: the notes are the bundled sample's, no more.
    assert sorted(p.name for p in (content_copy / "commentary").iterdir()) == sorted(
        p.name for p in (CONTENT / "commentary").iterdir()
    )


def test_new_refuses_broken_content_with_its_problems(content_copy, capsys):
    (content_copy / "data" / "fx.csv").write_text("date,usdkrw\n2026-01-07,abc\n", encoding="utf-8")
    assert main(["new", "--content", str(content_copy)]) == 1
    assert "fx.csv:2: usdkrw: 'abc' is not a number" in capsys.readouterr().err


def test_help_lists_examples_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["new", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "--force" in text and "exit codes" in text and "kospi-report new 2026-01-07" in text
