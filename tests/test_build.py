"""End-to-end: the bundled sample content builds into a complete, offline site."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build, load_dataset
from generator.cli import main
from tests.conftest import CONTENT


@pytest.fixture(scope="module")
def trading_days() -> list[str]:
    return [d.isoformat() for d in load_dataset(CONTENT).trading_days]


def test_one_report_and_one_snapshot_per_trading_day(sample_site: Path, trading_days: list[str]) -> None:
    assert len(trading_days) >= 480
    assert trading_days[-1] == "2026-01-07"
    reports = sorted(p.parent.name for p in (sample_site / "reports").glob("*/index.html"))
    snapshots = sorted(p.stem for p in (sample_site / "data" / "snapshots").glob("????-??-??.json"))
    assert reports == trading_days
    assert snapshots == trading_days
    assert (sample_site / "index.html").is_file()
    assert (sample_site / "archive" / "index.html").is_file()


def test_report_page_shows_the_days_figures(sample_site: Path) -> None:
    html = (sample_site / "reports" / "2026-01-07" / "index.html").read_text(encoding="utf-8")
    for figure in ("4,551.06", "+25.58", "0.57%", "4,611.72"):
        assert figure in html, figure
    assert 'rel="prev" href="../2026-01-06/index.html"' in html
    assert html.count('class="vega"') >= 2


def test_home_page_is_the_latest_report(sample_site: Path) -> None:
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "4,551.06" in html and 'datetime="2026-01-07"' in html


def test_archive_links_every_report(sample_site: Path, trading_days: list[str]) -> None:
    html = (sample_site / "archive" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="\.\./reports/(\d{4}-\d{2}-\d{2})/index\.html"', html))
    assert linked == set(trading_days)


def test_snapshot_starts_with_schema_and_date(sample_site: Path) -> None:
    snap = json.loads((sample_site / "data" / "snapshots" / "2026-01-07.json").read_text(encoding="utf-8"))
    assert snap["schema"] == "kospi-report/snapshot/1"
    assert snap["date"] == "2026-01-07"
    kospi = snap["indices"]["KOSPI"]
    assert (kospi["close"], kospi["change"], kospi["change_pct"], kospi["high"]) == (4551.06, 25.58, 0.57, 4611.72)


_EXTERNAL = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def test_no_page_references_a_cdn(sample_site: Path) -> None:
    offenders = []
    for path in sample_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for m in _EXTERNAL.finditer(text):
            if 'rel="canonical"' not in m.group(0):
                offenders.append(f"{path.relative_to(sample_site)}: {m.group(0)[:80]}")
    for path in sample_site.rglob("*.css"):
        if re.search(r"url\(\s*['\"]?(https?:)?//", path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert not offenders, offenders[:5]
    assert (sample_site / "assets" / "vega.js").stat().st_size > 100_000


def test_only_index_daily_is_required(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    lines = ["date,index,open,high,low,close"]
    lines += [f"2024-01-{d:02d},KOSPI,100,{100 + d},99,{100 + d / 2}" for d in (2, 3, 4, 5, 8)]
    (content / "data" / "index_daily.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(content, tmp_path / "site")
    assert result.reports == 5
    page = (tmp_path / "site" / "reports" / "2024-01-08" / "index.html").read_text(encoding="utf-8")
    assert "Leverage" not in page and "Who bought and sold" not in page
    assert "104.00" in page


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    (content / "data" / "index_daily.csv").write_text("date,index,open,high,low,close\n2024-01-02,KOSPI,1,x,1,1\n", encoding="utf-8")
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert "index_daily.csv:2: high: 'x' is not a number" in err
    assert not (tmp_path / "site").exists()
    with pytest.raises(SystemExit) as usage:
        main(["build", "--no-such-option"])
    assert usage.value.code == 2


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "build" in done.stdout


def test_strict_build_refuses_warnings_and_publishes_nothing(content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A row dated on a Sunday is a calendar warning: built normally, refused with --strict.
    data = content_copy / "data" / "fx.csv"
    data.write_text(data.read_text(encoding="utf-8") + "2026-01-04,1444.0\n", encoding="utf-8")
    out = tmp_path / "site"
    assert main(["build", "--strict", "--content", str(content_copy), "--out", str(out)]) == 1
    assert "fx.csv" in capsys.readouterr().err
    assert not out.exists()


def test_summary_is_one_line_in_a_pipe(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    lines = ["date,index,open,high,low,close"] + [f"2024-01-{d:02d},KOSPI,100,101,99,100.5" for d in (2, 3, 4)]
    (content / "data" / "index_daily.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "generator", "build", "--content", str(content), "--out", str(tmp_path / "a-rather-long-output-folder-name-for-the-site")]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**__import__("os").environ, "COLUMNS": "40"})
    assert done.returncode == 0, done.stderr
    summary = [line for line in done.stdout.splitlines() if line.startswith("Built ")]
    assert len(summary) == 1 and "3 rendered, 0 unchanged" in summary[0] and summary[0].endswith(" s")
