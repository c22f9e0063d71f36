"""Correct HTML: the Nu Html Checker (vnu-jar from npm, run with the machine's Java) finds no
errors on one page of each kind of the sample site.

``make test`` installs the checker into tools/node_modules (tools/package.json pins it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: One page of each kind (paths in the built site); pages a build may not have are skipped.
PAGES = (
    "index.html",
    "reports/2026-01-07/index.html",
    "archive/index.html",
    "indicators/index.html",
    "indicators/kospi/index.html",
    "indicators/investor-flows/index.html",
    "indicators/margin-loans/index.html",
    "indicators/stock-lending/index.html",
    "stocks/index.html",
    "stocks/005930/index.html",
    "research/leverage-risk/index.html",
    "data/index.html",
    "search/index.html",
    "about/index.html",
    "methodology/index.html",
    "404.html",
)


def vnu_messages(files: list[Path]) -> list[dict]:
    """The checker's error messages for ``files`` (one Java run for all of them)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: the Nu Html Checker needs a Java runtime (Debian: default-jre-headless)")
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `make test` (it installs tools/package.json with npm)")
    done = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]


def test_every_kind_of_page_is_valid_html(sample_site: Path) -> None:
    files = [sample_site / p for p in PAGES if (sample_site / p).is_file()]
    assert len(files) >= len(PAGES) - 1  # all but, at most, the research page
    errors = vnu_messages(files)
    described = [
        f"{Path(m['url'].removeprefix('file:')).relative_to(sample_site.resolve())}:{m.get('lastLine')}: {m['message']}"
        for m in errors
    ]
    assert not described, "\n".join(described[:30])


def test_the_checker_does_find_errors(tmp_path: Path) -> None:
    """The check can fail: a page with a misplaced element is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="en"><head><title>x</title></head><body><li>stray</li><table><p>no</p></table></body></html>')
    assert vnu_messages([bad])
