"""One small test per pipeline stage, on tiny hand-made inputs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pytest

from generator.analysis.history import analyse
from generator.charts.catalogue import Catalogue
from generator.config import SiteConfig, load_config
from generator.errors import BuildError, ContentError
from generator.load import LINE, load_content, read_table
from generator.render import relative_url
from generator.snapshot import make_snapshots
from generator.validate import validate
from generator.write import Staging, safe_relpath


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


INDEX = """date,index,open,high,low,close
2025-12-29,KOSPI,100,110,95,105
2025-12-30,KOSPI,105,106,100,101
2026-01-02,KOSPI,101,120,100,118
2026-01-05,KOSPI,118,125,117,124
"""


def test_config_defaults_and_errors(tmp_path: Path) -> None:
    assert load_config(tmp_path) == (SiteConfig(), [])
    write(tmp_path, {"site.toml": 'title = "Desk"\nmilestone_step = "x"\ncolor_convention = "purple"\n'})
    with pytest.raises(ContentError) as err:
        load_config(tmp_path)
    text = str(err.value)
    assert "site.toml:2: milestone_step: expected a positive whole number" in text
    assert "site.toml:3: color_convention: expected one of western, korean" in text


def test_load_keeps_editor_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "fx.csv"
    path.write_text('\ufeffdate,usdkrw\n\n2026-01-02,"1,440.5"\n2026-01-05,1441\n', encoding="utf-8")
    table = read_table(path)
    assert table.header == ["date", "usdkrw"]
    assert list(table.rows[LINE]) == [3, 4]


def test_validate_types_and_sorts(tmp_path: Path) -> None:
    write(tmp_path, {"data/index_daily.csv": INDEX, "data/fx.csv": "date,usdkrw\n2026-01-02,1440\n"})
    data = validate(load_content(tmp_path), SiteConfig())
    assert data.trading_days[0] == dt.date(2025, 12, 29)
    assert data.index_daily["close"].dtype == np.float64
    assert data.has("fx") and not data.has("margin_loans")


def test_snapshot_uses_latest_value_on_or_before_the_day(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "data/index_daily.csv": INDEX,
            "data/margin_loans.csv": "date,market,balance\n2025-12-29,total,100\n2025-12-30,total,120\n",
            "data/fx.csv": "date,usdkrw\n2025-12-29,1400\n",
            "data/investor_flows.csv": "date,market,investor,net_buy\n2026-01-05,KOSPI,foreigners,1400000\n",
        },
    )
    data = validate(load_content(tmp_path), SiteConfig())
    snaps = make_snapshots(data, analyse(data))
    jan5 = snaps[dt.date(2026, 1, 5)]
    assert jan5["margin_loans"]["total"] == {
        "balance": 120, "as_of": "2025-12-30", "change": 20, "record": True,
        "previous_record": {"value": 100, "date": "2025-12-29"},
    }
    assert jan5["fx"] == {"usdkrw": 1400, "as_of": "2025-12-29"}
    assert jan5["flows"]["KOSPI"]["foreigners"] == {"won": 1400000, "usd": 1000, "as_of": "2026-01-05"}
    k = jan5["indices"]["KOSPI"]
    assert (k["change"], k["change_pct"], k["streak"], k["record_high"]) == (6, 5.08, 2, True)
    assert snaps[dt.date(2025, 12, 29)]["margin_loans"]["total"]["record"] is False  # first value: nothing to beat


def test_charts_fill_templates_built_once(tmp_path: Path) -> None:
    write(tmp_path, {"data/index_daily.csv": INDEX})
    data = validate(load_content(tmp_path), SiteConfig())
    hist = analyse(data)
    snaps = make_snapshots(data, hist)
    catalogue = Catalogue(data, hist)
    day = dt.date(2026, 1, 5)
    first = catalogue.report_charts(day, snaps[day])[0]
    again = catalogue.report_charts(day, snaps[day])[0]
    assert first.template is again.template
    assert [r["close"] for r in first.rows] == [105, 101, 118, 124]
    assert first.spec["datasets"]["table"] == first.rows
    assert "</script>" not in first.spec_json()


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("index.html", "archive/", "archive/index.html"),
        ("reports/2026-01-07/index.html", "", "../../index.html"),
        ("reports/2026-01-07/index.html", "reports/2026-01-06/", "../2026-01-06/index.html"),
        ("archive/index.html", "assets/site.css", "../assets/site.css"),
    ],
)
def test_relative_links(page: str, target: str, expected: str) -> None:
    assert relative_url(page, target) == expected


def test_publish_swaps_and_keeps_unchanged_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = Staging(out)
    first.add("a.html", "one")
    first.add("b/c.html", "two")
    first.publish()
    inode = (out / "a.html").stat().st_ino
    second = Staging(out)
    second.add("a.html", "one")
    second.add("b/c.html", "changed")
    result = second.publish()
    assert result.unchanged == ["a.html"] and result.written == ["b/c.html"]
    assert (out / "a.html").stat().st_ino == inode  # not rewritten
    assert (out / "b" / "c.html").read_text() == "changed"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.staging")] == []
    assert os.listdir(tmp_path) == ["site"]


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/../../b", "a\\b", ""])
def test_output_paths_stay_inside_the_site(bad: str) -> None:
    with pytest.raises(BuildError):
        safe_relpath(bad)
