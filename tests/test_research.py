"""The leverage-risk study and its page /research/leverage-risk/.

The study must be right on data whose answer is known by hand (three stocks whose falls grow
exactly with their borrowing), its fitted line must be numpy's, its drawdowns must match a
brute-force search, and the page in the sample build must show one row per measured stock,
with the scatter's CSV holding the same figures as the table.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analysis.research import FEW_VOLUMES, STALE_LENDING, fit_line, largest_drawdowns, leverage_study
from generator.build import load_dataset
from generator.charts.words import words
from generator.site.research import answer, excluded

PAGE = Path("research") / "leverage-risk"

# -- the fitted line and the drawdowns ------------------------------------------------------


def test_fit_line_by_hand() -> None:
    fit = fit_line(np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]))
    assert fit is not None
    assert fit.slope == pytest.approx(2.0) and fit.intercept == pytest.approx(1.0)
    assert fit.r == pytest.approx(1.0) and fit.n == 3
    assert fit.at(10) == pytest.approx(21.0)


def test_fit_line_matches_numpy() -> None:
    x = np.array([3.06, 3.74, 4.0, 4.42, 5.11, 7.69, 12.5, 20.33])
    y = np.array([-11.5, -25.9, -41.3, -37.4, -19.5, -45.1, -9.8, -9.6])
    fit = fit_line(x, y)
    slope, intercept = np.polyfit(x, y, 1)
    assert fit.slope == pytest.approx(slope) and fit.intercept == pytest.approx(intercept)
    assert fit.r == pytest.approx(np.corrcoef(x, y)[0, 1])
    # the same line by the textbook formula: cov(x, y) / var(x)
    assert fit.slope == pytest.approx(((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum())


def test_fit_line_needs_two_distinct_x() -> None:
    assert fit_line(np.array([1.0]), np.array([2.0])) is None
    assert fit_line(np.array([1.0, 1.0, 1.0]), np.array([2.0, 3.0, 4.0])) is None
    flat = fit_line(np.array([1.0, 2.0, 3.0]), np.array([5.0, 5.0, 5.0]))
    assert flat.slope == pytest.approx(0.0) and flat.r is None


def _days(n: int) -> list[dt.date]:
    return [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(n)]


def test_largest_drawdown_by_hand() -> None:
    closes = [100, 120, 90, 120, 130, 80, 100, 140, 130]
    falls = largest_drawdowns(_days(len(closes)), np.array(closes, dtype=float), 3)
    assert [(f.peak_close, f.trough_close) for f in falls] == [(130, 80), (120, 90), (140, 130)]
    assert falls[0].peak == _days(9)[4] and falls[0].trough == _days(9)[5]
    assert falls[1].peak == _days(9)[1]
    assert falls[0].depth_pct == pytest.approx((80 / 130 - 1) * 100)


def test_return_to_the_peak_starts_a_new_episode() -> None:
    closes = [100, 80, 100, 70]
    (fall,) = largest_drawdowns(_days(4), np.array(closes, dtype=float), 1)
    assert (fall.peak, fall.trough) == (_days(4)[2], _days(4)[3])  # the last day at the peak, before the fall


def test_no_drawdown_in_a_rising_market() -> None:
    assert largest_drawdowns(_days(5), np.arange(1.0, 6.0), 1) == []
    assert largest_drawdowns([], np.array([]), 1) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=50).map(float), max_size=40))
def test_largest_drawdown_matches_brute_force(closes: list[float]) -> None:
    falls = largest_drawdowns(_days(len(closes)), np.array(closes), 1)
    worst = min(
        (closes[j] / closes[i] - 1 for i in range(len(closes)) for j in range(i + 1, len(closes))),
        default=0.0,
    )
    if worst >= 0:
        assert falls == []
        return
    (fall,) = falls
    assert (fall.trough_close / fall.peak_close - 1) == pytest.approx(worst)
    p, t = _days(len(closes)).index(fall.peak), _days(len(closes)).index(fall.trough)
    assert p < t
    assert closes[p] == max(closes[: t + 1])  # measured from the market's high
    assert all(c < closes[p] for c in closes[p + 1 : t + 1])  # and no recovery to it before the trough


# -- the study on data with a known answer ---------------------------------------------------


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def known(tmp_path: Path) -> Path:
    """30 days; the index peaks on day 24 and bottoms on day 27. A, B, C borrow 1, 3, 5 days of
    turnover at the peak and then fall 10, 30, 50 percent; D has no volumes; E no lending yet."""
    days = pd.bdate_range("2024-01-01", periods=30)
    level = [100 + 4 * i for i in range(25)] + [180, 170, 150, 155, 160]
    index = [{"date": d.date(), "index": "KOSPI", "open": v, "high": v, "low": v, "close": v} for d, v in zip(days, level, strict=True)]
    falls = {"00000A": 900, "00000B": 700, "00000C": 500, "00000D": 800, "00000E": 800}
    prices, lending = [], []
    for ticker, low in falls.items():
        for i, d in enumerate(days):
            close = 1000 if i <= 24 else (low if i == 27 else 950)
            volume = "" if ticker == "00000D" else (10**9 if i < 5 else 1000)  # days 0-4 lie outside the 20-day window
            prices.append({"date": d.date(), "ticker": ticker, "open": close, "high": close, "low": close, "close": close, "volume": volume})
        days_of_turnover = {"00000A": 1, "00000B": 3, "00000C": 5, "00000D": 2, "00000E": 2}[ticker]
        start = 26 if ticker == "00000E" else 0
        for d in days[start:]:
            lending.append({"date": d.date(), "ticker": ticker, "balance": days_of_turnover * 1000 * 1000})
    content = tmp_path / "content"
    _write(content / "data" / "index_daily.csv", index)
    _write(content / "data" / "stock_prices.csv", prices)
    _write(content / "data" / "stock_lending.csv", lending)
    _write(content / "data" / "stocks.csv", [{"ticker": t, "name": f"Stock {t[-1]}", "sector": "Test"} for t in falls])
    return content


def test_study_on_known_data(known: Path) -> None:
    study = leverage_study(load_dataset(known))
    assert study is not None
    (fall,) = study.episodes
    assert (fall.peak, fall.trough) == (dt.date(2024, 2, 2), dt.date(2024, 2, 7))
    measured = {p.ticker: (p.intensity_days, p.drawdown_pct) for p in study.points}
    assert measured == {
        "00000A": (pytest.approx(1.0), pytest.approx(-10.0)),
        "00000B": (pytest.approx(3.0), pytest.approx(-30.0)),
        "00000C": (pytest.approx(5.0), pytest.approx(-50.0)),
    }
    assert study.excluded == {"00000D": FEW_VOLUMES, "00000E": STALE_LENDING}
    assert study.fit.slope == pytest.approx(-10.0) and study.fit.intercept == pytest.approx(0.0)
    assert study.fit.r == pytest.approx(-1.0)
    said = answer(study, words("en"))
    assert said.startswith("Stocks with heavier borrowing fell harder: across 3 stocks")
    assert "10.0 percentage points deeper" in said
    said_ko = answer(study, words("ko"))
    assert said_ko.startswith("대차가 많은 종목일수록 더 크게 떨어졌다.") and "10.0%포인트" in said_ko
    notes = dict(excluded(study, {"00000D": "Stock D", "00000E": "Stock E"}, words("en")))
    assert notes == {"Stock D": "fewer than 20 days of volumes before the peak", "Stock E": "no stock-lending figure near the peak"}


def test_study_answers_the_other_way(known: Path) -> None:
    """Swap the falls: heavier borrowers fell less, and the sentence says so."""
    path = known / "data" / "stock_prices.csv"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(,00000A,)900,900,900,900", r"\g<1>500,500,500,500", text)
    text = re.sub(r"(,00000C,)500,500,500,500", r"\g<1>900,900,900,900", text)
    path.write_text(text, encoding="utf-8")
    study = leverage_study(load_dataset(known))
    assert study.fit.slope == pytest.approx(10.0)
    assert answer(study, words("en")).startswith("Stocks with heavier borrowing did not fall harder; they fell less")


def test_no_study_without_lending(known: Path) -> None:
    (known / "data" / "stock_lending.csv").unlink()
    assert leverage_study(load_dataset(known)) is None


def _run_family(content: Path, out: Path) -> dict[str, str]:
    """Run the research page family (and the static pages after it) on ``content``."""
    from generator.analysis.history import analyse
    from generator.charts.catalogue import Catalogue
    from generator.render import Renderer
    from generator.site import SiteContext, Written, research, static_pages

    data = load_dataset(content)
    hist = analyse(data)
    when = dt.datetime(2026, 1, 8, tzinfo=dt.UTC)
    given_args = {
        "data": data, "hist": hist, "snapshots": {}, "reports": [], "catalogue": Catalogue(data, hist),
        "renderer": Renderer(data.config, when), "when": when,
    }
    names = {f.name for f in dataclasses.fields(SiteContext)}
    ctx = SiteContext(**{k: v for k, v in given_args.items() if k in names},
                      **{f.name: None for f in dataclasses.fields(SiteContext)
                         if f.name not in given_args and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING})

    class Files:
        def __init__(self) -> None:
            self.files: dict[str, str] = {}

        def add(self, path: str, data: str | bytes) -> None:
            assert path not in self.files, f"two pages want {path}"
            self.files[path] = data if isinstance(data, str) else data.decode()

    files = Files()
    written = Written().adding(research.write(ctx, files, Written()))
    static_pages.write(ctx, files, written)
    return files.files


def test_page_with_an_editors_introduction(known: Path, tmp_path: Path) -> None:
    (known / "pages").mkdir()
    (known / "pages" / "leverage-risk.md").write_text(
        "---\ntitle: Borrowing and the fall\n---\nWhy we *asked* this question.\n", encoding="utf-8"
    )
    files = _run_family(known, tmp_path)
    page = files["research/leverage-risk/index.html"]
    assert "Why we <em>asked</em> this question." in page
    assert "leverage-risk/index.html" not in files  # not published a second time as /leverage-risk/
    assert "Stocks with heavier borrowing fell harder" in page
    rows = list(csv.DictReader(io.StringIO(files["research/leverage-risk/leverage-scatter.csv"])))
    assert [r["ticker"] for r in rows] == ["00000C", "00000B", "00000A"]  # heaviest borrowing first
    assert [float(r["fitted_pct"]) for r in rows] == pytest.approx([-50.0, -30.0, -10.0])


# -- the page in the sample build --------------------------------------------------------------


def _table(page: str) -> dict[str, dict[str, str]]:
    table = re.search(r'<table class="data" id="leverage-table">(.*?)</table>', page, re.S)
    assert table, "no stock table on the page"
    rows = {}
    for ticker, body in re.findall(r'<tr data-ticker="(\w+)"[^>]*>(.*?)</tr>', table.group(1), re.S):
        cells = dict(re.findall(r'data-col="(\w+)">([^<]*)<', body))
        cells["name"] = html.unescape(re.search(r'<th scope="row">([^<]*)</th>', body).group(1))
        rows[ticker] = cells
    return rows


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace("%", "").replace("+", "").replace(",", ""))


@pytest.fixture(scope="module")
def sample_page(sample_site: Path) -> tuple[str, list[dict]]:
    page = (sample_site / PAGE / "index.html").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO((sample_site / PAGE / "leverage-scatter.csv").read_text(encoding="utf-8"))))
    return page, rows


def test_sample_page_has_a_row_per_stock_with_data(sample_page, sample_site: Path) -> None:
    page, _ = sample_page
    data = load_dataset(Path(__file__).resolve().parents[1] / "content")
    with_data = set(data.stock_lending["ticker"]) & set(data.stock_prices.dropna(subset=["volume"])["ticker"])
    assert set(_table(page)) == with_data
    assert "<h1>Did stocks with heavy borrowing fall harder when the market turned?</h1>" in page


def test_sample_csv_matches_the_table(sample_page) -> None:
    page, rows = sample_page
    table = _table(page)
    assert [r["ticker"] for r in rows] == list(table)  # same stocks, same order
    for r in rows:
        cells = table[r["ticker"]]
        assert cells["name"] == r["name"]
        assert _number(cells["intensity_days"]) == pytest.approx(float(r["intensity_days"]), abs=0.051)
        assert _number(cells["drawdown_pct"]) == pytest.approx(float(r["drawdown_pct"]), abs=0.051)
        assert float(r["intensity_days"]) == pytest.approx(int(r["lending_balance"]) / int(r["avg_traded_value"]), abs=0.006)
        assert float(r["drawdown_pct"]) == pytest.approx((float(r["low_close"]) / float(r["peak_close"]) - 1) * 100, abs=0.006)


def test_sample_fit_and_answer_match_the_csv(sample_page) -> None:
    page, rows = sample_page
    x = np.array([float(r["intensity_days"]) for r in rows])
    y = np.array([float(r["drawdown_pct"]) for r in rows])
    slope, intercept = np.polyfit(x, y, 1)
    shown = float(re.search(r'id="fit-slope">([^<]*)<', page).group(1).replace("−", "-"))
    assert shown == pytest.approx(slope, abs=0.02)  # the CSV is rounded to 2 decimals
    assert int(re.search(r'id="fit-n">(\d+)<', page).group(1)) == len(rows)
    for r in rows:
        assert float(r["fitted_pct"]) == pytest.approx(slope * float(r["intensity_days"]) + intercept, abs=0.05)
    r_value = np.corrcoef(x, y)[0, 1]
    answer = html.unescape(re.search(r'<p class="lede" id="answer">(.*?)</p>', page, re.S).group(1))
    verdict = "fell harder:" if r_value <= -0.2 else "did not fall harder"
    assert verdict in answer
    stated = float(re.search(r"correlation ([+−-]?[0-9.]+)", answer).group(1).replace("−", "-"))
    assert stated == pytest.approx(r_value, abs=0.006)


def test_sample_chart_spec_and_csv_beside_the_page(sample_page) -> None:
    page, rows = sample_page
    assert 'href="leverage-scatter.csv"' in page
    spec = re.search(r'<script type="application/json" id="spec-leverage-scatter">(.*?)</script>', page, re.S)
    assert spec
    data = json.loads(spec.group(1))["datasets"]["table"]
    assert [d["ticker"] for d in data] == [r["ticker"] for r in rows]
    marks = json.dumps(json.loads(spec.group(1))["layer"])
    assert '"fitted_pct"' in marks and '"drawdown_pct"' in marks  # the fitted line is a layer


@pytest.mark.browser
def test_research_page_draws_offline(page, sample_url: str) -> None:
    page.goto(sample_url + "research/leverage-risk/index.html")
    page.wait_for_function("document.querySelectorAll('.vega.drawn svg.marks, .vega.drawn canvas.marks').length >= 1", timeout=20_000)
    box = page.locator("#chart-leverage-scatter svg.marks").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 150
    assert page.locator("#leverage-table tbody tr").count() >= 3
    assert page.external_requests == []
    assert page.console_errors == []
