"""Stock pages ``/stocks/<ticker>/`` for every tracked stock, and the index ``/stocks/``.

A reader who saw a stock lead the report comes here for its story: price history, every
record high and when it fell, its stock-lending balance, and the days it led the report
(``snapshot["leaders"]``), each linked to that day's report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from generator import formatting as fmt
from generator.analysis.series import Series
from generator.charts import chart_files, page_images
from generator.charts.words import ChartWords, words
from generator.i18n_strings import N_
from generator.site.context import SiteContext, Written
from generator.site.record_book import record_book, to_date
from generator.site.views import (
    Cell,
    Claim,
    Column,
    DataTable,
    Figure,
    Section,
    day_cell,
    direction,
    record_table,
)
from generator.snapshot_types import StockFacts
from generator.stock_names import StockName, tracked_names
from generator.write import Staging

YEAR_ROWS = 250
#: Most recent leading days shown in the table (the rest are listed by month).
LEAD_ROWS = 20


@dataclass
class LeadDay:
    """A day the stock led the report, and why."""

    day: dt.date
    close: float | None
    change_pct: float | None
    reason: str


@dataclass
class StockPage:
    name: StockName
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    led: list[LeadDay] = field(default_factory=list)  # newest first
    led_by_month: list[tuple[str, list[LeadDay]]] = field(default_factory=list)
    charts: list = field(default_factory=list)
    latest: dict | None = None
    #: the report day whose snapshot holds ``latest`` (what the page's badges are checked against)
    latest_day: str | None = None
    lending: dict | None = None
    history: Section | None = None  # month-end prices, shown after the days it led

    @property
    def path(self) -> str:
        return f"stocks/{self.name.ticker}/"


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    w = words(ctx.renderer.edition.lang)
    pages = build_stock_pages(ctx)
    for p in pages:
        p.charts = [c for c in ctx.catalogue.stock_charts(p.name.ticker) if c is not None]
    page_images.attach_images(ctx.catalogue, [c for p in pages for c in p.charts])
    for p in pages:
        for chart in p.charts:
            for name, text in chart_files(chart).items():
                staging.add(p.path + name, text)
        page = p.path + "index.html"
        name = w.stock_name(p.name)
        description = w._("{name} ({ticker}): price history, record highs, stock-lending balance and the days it led the "
                          "report.").format(name=name, ticker=p.name.ticker)
        html = ctx.renderer.render("stock.html", page, stock=p, charts=p.charts, chart_dir=p.path, title=name,
                                   description=description, section="stocks")
        staging.add(page, html)
    if pages:
        ordered = index_order(pages, w)
        html = ctx.renderer.render("stocks.html", "stocks/index.html", stocks=ordered, title="Stocks", section="stocks",
                                   description=w._("Every stock the report follows: latest price, record high and "
                                                   "lending balance."))
        staging.add("stocks/index.html", html)


def index_order(pages: list[StockPage], w: ChartWords) -> list[StockPage]:
    """The stocks page's order: by sector, then name, both as the edition writes them (so the
    Korean page runs 반도체, 자동차 … in 가나다 order); stocks without a sector come last."""
    if w.korean:
        from generator.story.korean import sector_ko

        return sorted(pages, key=lambda p: (p.name.sector is None, sector_ko(p.name.sector), w.stock_name(p.name)))
    return sorted(pages, key=lambda p: (p.name.sector is None, p.name.sector or "", p.name.name))


def leader_days(ctx: SiteContext) -> dict[str, list[LeadDay]]:
    """For each ticker, the days it led the report, oldest first."""
    out: dict[str, list[LeadDay]] = {}
    for report in ctx.reports:
        stocks = report.snap.get("stocks", {})
        for ticker in report.snap.get("leaders", []):
            s: StockFacts | dict[str, Any] = stocks.get(ticker, {})
            pct = s.get("change_pct")
            if s.get("record_high"):
                reason = N_("Record high")
            elif pct is not None and pct < 0:
                reason = N_("Among the biggest fallers")
            else:
                reason = N_("Among the biggest gainers")
            out.setdefault(ticker, []).append(LeadDay(report.day, s.get("close"), pct, reason))
    return out


def build_stock_pages(ctx: SiteContext) -> list[StockPage]:
    """Every tracked stock's page, in the words of the edition ``ctx.renderer`` writes."""
    w = words(ctx.renderer.edition.lang)
    names = tracked_names(ctx.data)
    report_days = [r.day for r in ctx.reports]
    led = leader_days(ctx)
    pages = []
    for ticker, name in names.items():
        prices = ctx.hist.stocks.get(ticker)
        lending = ctx.hist.stock_lending.get(ticker)
        if prices is None and lending is None:
            continue
        page = StockPage(name)
        if prices is not None and prices.facts:
            _price_parts(page, prices, report_days, ctx, w)
        if lending is not None and lending.facts:
            _lending_parts(page, lending, report_days, ctx, w)
        page.led = list(reversed(led.get(ticker, [])))
        page.led_by_month = _by_month(page.led, w)
        pages.append(page)
    return pages


def _values(series: Series, key: str) -> np.ndarray:
    return np.array([f[key] if f.get(key) is not None else np.nan for f in series.facts], dtype=float)


def _last_day(ctx: SiteContext, series: Series) -> dt.date:
    return ctx.reports[-1].day if ctx.reports else to_date(series.dates[-1])


def _price_parts(page: StockPage, prices: Series, report_days: list[dt.date], ctx: SiteContext, w: ChartWords) -> None:
    last = prices.facts[-1]
    page.latest = last
    dates = prices.dates
    highs = _values(prices, "high")
    closes = _values(prices, "close")
    peak = int(np.nanargmax(highs))
    year_hi = float(np.nanmax(highs[-YEAR_ROWS:]))
    year_lo = float(np.nanmin(_values(prices, "low")[-YEAR_ROWS:]))
    as_of = to_date(last["as_of"])
    day = page.latest_day = _last_day(ctx, prices).isoformat()
    record = w.pgettext("price", "record")  # a price's record is its highest
    page.figures += [
        Figure(w._("Close"), w.won_price(last["close"]), w.date(as_of), main=True,
               badge="record" if last["record_close"] else None, badge_text=record,
               claim=Claim(f"stocks.{page.name.ticker}.record_close", day)),
        Figure(w._("Change"), fmt.pct(last["change_pct"]), w.signed_price(last["change"]), cls=direction(last["change"])),
        Figure(w._("Record high"), w.won_price(float(highs[peak])), w.date(to_date(dates[peak])),
               badge="record" if last["record_high"] else None, badge_text=record,
               claim=Claim(f"stocks.{page.name.ticker}.record_high", day)),
        Figure(w._("52-week range"), f"{fmt.won_price(year_lo)}–{fmt.won_price(year_hi)}", w._("lowest low to highest high, won")),
    ]
    last_day = _last_day(ctx, prices)
    won = lambda v: fmt.won_price(v)  # noqa: E731
    months = _month_ends(prices, w)
    name = w.stock_name(page.name)
    page.sections.append(
        Section(
            "records", w._("Record highs"),
            intro=w._("Every intraday high above all earlier highs in the data, and the day a later high beat it. "
                      "Prices in won; dates link to that day's report."),
            tables=[
                record_table("record-highs", w._("{name} record intraday highs").format(name=name), record_book(dates, highs),
                             won, report_days, last_day, w=w),
                record_table("record-closes", w._("{name} record closes").format(name=name), record_book(dates, closes), won,
                             report_days, last_day, collapsed=True, w=w),
            ],
        )
    )
    page.history = Section(
        "history", w._("Price history"),
        tables=[DataTable("month-ends", w._("{name} at the end of each month, newest first, won").format(name=name),
                      [Column(w._("Month")), Column(w._("Close"), num=True), Column(w.pgettext("month", "Change"), num=True),
                       Column(w._("High"), num=True), Column(w._("Low"), num=True)], months, collapsed=len(months) > 13,
                      summary=w._("Month-end prices ({count} months)").format(count=len(months)))],
    )


def _month_ends(prices: Series, w: ChartWords) -> list[list[Cell]]:
    """The last close of each month with the month's change, high and low, newest first."""
    rows = []
    prev_close = None
    group: list[dict] = []

    def flush() -> None:
        nonlocal prev_close
        if not group:
            return
        day = to_date(group[-1]["as_of"])
        close = group[-1]["close"]
        pct = (close / prev_close - 1) * 100 if prev_close else None
        rows.append([
            Cell(w.month_year(day), header=True),
            Cell(fmt.won_price(close), num=True),
            Cell(fmt.pct(pct), num=True, cls=direction(pct)),
            Cell(fmt.won_price(max(f["high"] for f in group)), num=True),
            Cell(fmt.won_price(min(f["low"] for f in group)), num=True),
        ])
        prev_close = close

    for fact in prices.facts:
        if group and fact["as_of"][:7] != group[-1]["as_of"][:7]:
            flush()
            group = []
        group.append(fact)
    flush()
    return list(reversed(rows))


def _lending_parts(page: StockPage, lending: Series, report_days: list[dt.date], ctx: SiteContext, w: ChartWords) -> None:
    last = lending.facts[-1]
    page.lending = last
    as_of = to_date(last["as_of"])
    # The English edition adds the amount in 조/억 beside its own; the Korean edition writes it so.
    ko = None if w.korean else fmt.won_ko
    page.figures.append(Figure(w._("Lending balance"), w.won(last["balance"]), w._("as of %(day)s") % {"day": w.date(as_of)},
                               ko=ko(last["balance"]) if ko else None, badge="record" if last["record"] else None,
                               badge_text=w._("record"),
                               claim=Claim(f"stock_lending.{page.name.ticker}.record", _last_day(ctx, lending).isoformat())))
    balances = _values(lending, "balance")
    rows = []
    spans = ((w._("1 day"), 1), (w._("20 days"), 20), (w._("250 days"), 250))
    for label, n in spans:
        if len(balances) > n:
            delta = float(balances[-1] - balances[-1 - n])
            rows.append([Cell(label, header=True), Cell(w.signed_won(delta), num=True, cls=direction(delta)),
                         day_cell(to_date(lending.facts[-1 - n]["as_of"]), report_days, w=w)])
    name = w.stock_name(page.name)
    changes = DataTable("lending-changes", w._("Change in {name}'s lending balance to {date}").format(name=name, date=w.date(as_of)),
                    [Column(w.pgettext("lending", "Over")), Column(w.pgettext("lending", "Change"), num=True),
                     Column(w.pgettext("lending", "From"))], rows)
    book = record_book(lending.dates, balances)
    page.sections.append(
        Section(
            "lending", w._("Stock lending"),
            intro=w._("Shares of this company borrowed and not yet returned, valued in won. Short sellers must borrow shares "
                      "before selling them, so a rising balance can signal short selling to come."),
            tables=[changes, record_table("lending-records", w._("{name} record lending balances").format(name=name), book,
                                          lambda v: w.won(v, 2), report_days, _last_day(ctx, lending), collapsed=True,
                                          ko=ko, w=w)],
        )
    )


def _by_month(days: list[LeadDay], w: ChartWords) -> list[tuple[str, list[LeadDay]]]:
    out: list[tuple[str, list[LeadDay]]] = []
    for d in days:
        label = w.month_year(d.day)
        if not out or out[-1][0] != label:
            out.append((label, []))
        out[-1][1].append(d)
    return out
