"""A desk that follows the whole market still publishes pages a reader can scan.

Past ``report_stocks`` (site.toml), a report lists the day's movers, then stocks at a record,
then the largest by market value; its lending table and chart and the stock-lending page show
the largest balances. The snapshot, the stocks page and the downloads keep every stock.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import data as bench_data
from generator.stock_lists import lending_stocks, movers, report_stocks
from tests.conftest import build_at_epoch, shared_build

DAY = "2025-12-30"


def _stock(close: float, change_pct: float | None, *, record: bool = False, as_of: str = DAY) -> dict:
    return {"name": "x", "name_ko": None, "sector": None, "as_of": as_of, "open": close, "high": close, "low": close,
            "close": close, "prev_close": None, "change": None, "change_pct": change_pct, "record_close": False,
            "previous_record_close": None, "record_high": record, "previous_record_high": None, "streak": 0}


stock_sets = st.dictionaries(
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.tuples(
        st.integers(1, 1_000_000),
        st.one_of(st.none(), st.floats(-30, 30, allow_nan=False).map(lambda v: round(v, 2))),
        st.booleans(),
        st.booleans(),  # traded on the day
        st.one_of(st.none(), st.integers(1, 10**10)),  # shares outstanding
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(stock_sets, st.integers(1, 35), st.integers(1, 5))
def test_a_report_lists_the_news_first_and_never_more_than_the_limit(raw: dict, limit: int, count: int) -> None:
    stocks = {t: _stock(c, p, record=r, as_of=DAY if traded else "2025-12-29") for t, (c, p, r, traded, _) in raw.items()}
    shares = {t: float(n) for t, (*_, n) in raw.items() if n is not None}
    listed = report_stocks(stocks, DAY, shares, limit=limit, leaders_count=count)
    # As many as fit, in the snapshot's order, none twice.
    assert len(listed) == min(limit, len(stocks))
    assert listed == [t for t in stocks if t in set(listed)]
    # The brute-force twin: no stock left out ranks above one listed (movers, then records,
    # then market value).
    moving = movers(stocks, DAY, count)

    def rank(t: str) -> tuple[int, float]:
        tier = 0 if t in moving else 1 if stocks[t]["record_high"] else 2
        return tier, -(shares.get(t, 0.0) * stocks[t]["close"])

    left_out = set(stocks) - set(listed)
    for out in left_out:
        assert all(rank(t) <= rank(out) for t in listed), (out, listed)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.from_regex(r"[0-9]{6}", fullmatch=True), st.integers(0, 10**13), max_size=40), st.integers(1, 35))
def test_the_lending_lists_show_the_largest_balances(raw: dict, limit: int) -> None:
    balances = {t: {"balance": b, "as_of": DAY, "change": None, "record": False, "previous_record": None} for t, b in raw.items()}
    listed = lending_stocks(balances, limit)
    assert len(listed) == min(limit, len(raw))
    assert [raw[t] for t in listed] == sorted((raw[t] for t in listed), reverse=True)
    assert all(raw[out] <= min(raw[t] for t in listed) for out in set(raw) - set(listed))


def test_movers_are_the_biggest_gainers_and_the_losers_that_fell() -> None:
    stocks = {"A": _stock(10, 5.0), "B": _stock(10, 1.0), "C": _stock(10, 0.5), "D": _stock(10, -2.0), "E": _stock(10, 9.0, as_of="2025-12-29")}
    assert movers(stocks, DAY, 1) == {"A", "D"}
    # With every stock up, no "loser" is named.
    assert movers({t: s for t, s in stocks.items() if t != "D"}, DAY, 1) == {"A"}


# ------------------------------------------------------------------------- a whole site

FOLLOWED = 14
LIMIT = 6


@pytest.fixture(scope="session")
def market_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five weeks of generated data for 14 stocks, with reports listing at most 6."""

    def make(folder: Path) -> None:
        content = folder / "content"
        bench_data.make_content(content, years=0.1, stocks=FOLLOWED, last_day=DAY)
        with (content / "site.toml").open("a", encoding="utf-8") as handle:
            handle.write(f"\nreport_stocks = {LIMIT}\n")
        build_at_epoch(content, folder / "site", jobs=1)

    return shared_build(tmp_path_factory, "market", make)


def _rows(html: str, table_start: str) -> list[str]:
    """The row headers (first cells) of the table that starts at ``table_start``."""
    body = html[html.index(table_start):]
    body = body[: body.index("</table>")]
    return re.findall(r'<th scope="row">(.*?)</th>', body, re.S)


def test_a_report_of_a_large_market_lists_the_news_and_links_every_stock(market_site: Path) -> None:
    site = market_site / "site"
    snap = json.loads((site / "data" / "snapshots" / f"{DAY}.json").read_text(encoding="utf-8"))
    assert len(snap["stocks"]) == FOLLOWED  # the snapshot keeps every stock
    html = (site / "reports" / DAY / "index.html").read_text(encoding="utf-8")
    stocks_part = html[html.index('id="stocks-h"'):]
    shown = re.findall(r'<a class="name" href="[./]*stocks/(\d{6})/(?:index.html)?"', stocks_part)
    assert len(shown) == LIMIT
    assert movers(snap["stocks"], DAY, 3) <= set(shown)
    assert f"{LIMIT} of the {FOLLOWED} stocks followed" in stocks_part
    link = re.search(r'<a href="([./]*stocks/)(?:index.html)?">Every stock</a>', stocks_part)
    assert link and (site / "reports" / DAY / link.group(1) / "index.html").resolve().is_file()

    # The lending table and chart: the six largest balances, largest first.
    largest = sorted(snap["stock_lending"], key=lambda t: -snap["stock_lending"][t]["balance"])[:LIMIT]
    names = [snap["stocks"][t]["name"] for t in largest]
    rows = _rows(html, 'id="lending-caption"')
    assert [re.sub(r"<[^>]+>.*", "", re.sub(r"^<a [^>]+>", "", r)).strip() for r in rows] == names
    assert f"The {LIMIT} largest stock-lending balances, of {FOLLOWED} stocks followed" in html
    with (site / "reports" / DAY / "lending-stocks.csv").open(encoding="utf-8") as handle:
        assert [r["ticker"] for r in csv.DictReader(handle)] == largest
    alt = re.search(r'Bar chart of the (\d+) largest stock-lending balances of (\d+) tracked stocks', html)
    assert alt and alt.groups() == (str(LIMIT), str(FOLLOWED))


def test_the_lending_page_lists_the_largest_and_each_stock_keeps_its_page(market_site: Path) -> None:
    site = market_site / "site"
    html = (site / "indicators" / "stock-lending" / "index.html").read_text(encoding="utf-8")
    assert f"The {LIMIT} largest balances" in html
    rows = _rows(html, 'id="lending"')
    assert len(rows) == LIMIT
    listed = {re.search(r"stocks/(\d{6})/", r).group(1) for r in rows}  # type: ignore[union-attr]
    books = set(re.findall(r'id="records-(\d{6})"', html))
    assert books and books <= listed  # record books of the listed stocks only
    stocks_page = (site / "stocks" / "index.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r'href="[./]*(?:stocks/)?(\d{6})/(?:index.html)?"', stocks_page))) == FOLLOWED
    assert len([p for p in (site / "stocks").iterdir() if p.is_dir()]) == FOLLOWED
