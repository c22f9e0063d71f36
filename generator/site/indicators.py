"""Indicator pages ``/indicators/<slug>/`` and their index ``/indicators/``.

One page per long-running series a reader follows across days: the headline index
(``kospi``), ``investor-flows``, ``margin-loans`` and ``stock-lending``. Each shows the
latest values, the long-history charts from the chart catalogue, and a record book (every
record and the day a later value beat it) whose dates link to the reports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from generator import formatting as fmt
from generator.analysis.series import Series
from generator.charts import chart_files, page_images
from generator.site.context import SiteContext, Written
from generator.site.record_book import Record, record_book, to_date
from generator.site.views import Cell, Claim, Column, Figure, Section, Table, day_cell, direction, record_table
from generator.stock_names import tracked_names
from generator.write import Staging

#: Rows back for "over a month" and "over a year" changes (trading days).
MONTH_ROWS = 20
YEAR_ROWS = 250


@dataclass
class Indicator:
    """One indicator page: what it is, its latest value (for the index) and its sections."""

    slug: str
    title: str
    dek: str
    explainer: str
    headline: Figure | None
    as_of: dt.date | None
    figures: list[Figure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    charts: list = field(default_factory=list)
    download: str | None = None  # site path of the series' CSV on /data/

    @property
    def path(self) -> str:
        return f"indicators/{self.slug}/"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def index_slug(ctx: SiteContext) -> str:
    """The headline index's page slug: ``kospi`` for the KOSPI."""
    return slugify(ctx.data.config.headline_index)


def write(ctx: SiteContext, staging: Staging, written: Written) -> None:
    indicators = build_indicators(ctx)
    for ind in indicators:
        ind.charts = [c for c in ctx.catalogue.indicator_charts(ind.slug) if c is not None]
    page_images.attach_images(ctx.catalogue, [c for ind in indicators for c in ind.charts])
    for ind in indicators:
        for chart in ind.charts:
            for name, text in chart_files(chart).items():
                staging.add(ind.path + name, text)
        page = ind.path + "index.html"
        html = ctx.renderer.render(
            "indicator.html", page, ind=ind, charts=ind.charts, chart_dir=ind.path, title=ind.title, description=ind.dek,
            section="indicators",
        )
        staging.add(page, html)
    if indicators:
        html = ctx.renderer.render(
            "indicators.html", "indicators/index.html", indicators=indicators, title="Indicators", section="indicators",
            description="The long-running series behind the daily report, with their records.",
        )
        staging.add("indicators/index.html", html)


def build_indicators(ctx: SiteContext) -> list[Indicator]:
    """Every indicator the data supports, in menu order."""
    report_days = [r.day for r in ctx.reports]
    makers: list[Callable[[SiteContext, list[dt.date]], Indicator | None]] = [
        _index_indicator,
        _flows_indicator,
        _margin_indicator,
        _lending_indicator,
    ]
    return [ind for ind in (make(ctx, report_days) for make in makers) if ind is not None]


def _last_day(ctx: SiteContext, series: Series) -> dt.date:
    """The day a standing record is counted to: the latest report (or the series' last row)."""
    return ctx.reports[-1].day if ctx.reports else to_date(series.dates[-1])


def _values(series: Series, key: str) -> np.ndarray:
    return np.array([f[key] if f.get(key) is not None else np.nan for f in series.facts], dtype=float)


def _change(series: Series, key: str, rows: int) -> float | None:
    """The change over the last ``rows`` rows, or None when the history is shorter."""
    if len(series.facts) <= rows:
        return None
    return series.facts[-1][key] - series.facts[-1 - rows][key]


# --- the headline index -------------------------------------------------------------------


def _index_indicator(ctx: SiteContext, report_days: list[dt.date]) -> Indicator | None:
    name = ctx.data.config.headline_index
    series = ctx.hist.indices.get(name)
    if series is None or not series.facts:
        return None
    last = series.facts[-1]
    last_day = _last_day(ctx, series)
    closes = _values(series, "close")
    highs = _values(series, "high")
    year = closes[-YEAR_ROWS:]
    dates = series.dates
    peak = int(np.nanargmax(closes))
    figures = [
        Figure(f"{name} close", fmt.level(last["close"]), fmt.month_day(to_date(last["as_of"]), dt.date(1, 1, 1)), main=True,
               badge="record" if last["record_close"] else None,
               claim=Claim(f"indices.{name}.record_close", last_day.isoformat())),
        Figure("Change", fmt.signed(last["change"]), fmt.pct(last["change_pct"]), cls=direction(last["change"])),
        Figure("Record close", fmt.level(float(closes[peak])), fmt.month_day(to_date(dates[peak]), dt.date(1, 1, 1))),
        Figure("52-week range", f"{fmt.level(float(np.nanmin(year)))}–{fmt.level(float(np.nanmax(year)))}", "lowest and highest close"),
    ]
    changes = []
    for label, rows in (("1 day", 1), ("1 month", MONTH_ROWS), ("1 year", YEAR_ROWS), ("Whole history", len(series.facts) - 1)):
        delta = _change(series, "close", rows) if rows > 0 else None
        if delta is None:
            continue
        base = series.facts[-1 - rows]["close"]
        changes.append([Cell(label, header=True), Cell(fmt.signed(delta), num=True, cls=direction(delta)),
                        Cell(fmt.pct(delta / base * 100), num=True, cls=direction(delta)),
                        day_cell(to_date(series.facts[-1 - rows]["as_of"]), report_days)])
    performance = Table(f"{name.lower()}-changes", f"{name} change to the latest close", [Column("Over"), Column("Points", num=True),
                        Column("Percent", num=True), Column("From the close of")], changes)
    milestones = []
    for i, fact in enumerate(series.facts):
        for level in fact.get("milestones_close") or []:
            milestones.append([Cell(f"{level:,}", num=True, header=True), day_cell(to_date(dates[i]), report_days),
                               Cell(fmt.level(fact["close"]), num=True)])
    milestones.reverse()
    sections = [
        Section("performance", "Performance", tables=[performance]),
        Section(
            "records", "Record closes",
            intro=f"Every close above all earlier closes since the data begins on {fmt.long_date(to_date(dates[0]))}, "
            "and the day a later close beat it. Dates link to that day's report.",
            tables=[
                record_table("record-closes", f"{name} record closes", record_book(dates, closes), fmt.level, report_days, last_day),
                record_table("record-highs", f"{name} record intraday highs", record_book(dates, highs), fmt.level, report_days,
                             last_day, collapsed=True),
            ],
        ),
    ]
    if milestones:
        sections.append(Section("milestones", "Milestones", intro=f"The first close above each round level of {ctx.data.config.milestone_step:,} points.",
                                tables=[Table("milestones", f"First {name} close above each level, newest first",
                                              [Column("Level", num=True), Column("First closed above"), Column("Close", num=True)],
                                              milestones)]))
    return Indicator(
        slug=index_slug(ctx),
        title=name,
        dek=f"The {name} index: its level, its records and the milestones it has passed.",
        explainer=f"The {name} is the benchmark index of the Korean stock market. A record close is a close above every "
        "earlier close in the data.",
        headline=figures[0],
        as_of=to_date(last["as_of"]),
        figures=figures,
        sections=sections,
        download="data/index_daily.csv",
    )


# --- investor flows -----------------------------------------------------------------------


_INVESTOR_ORDER = ("foreigners", "institutions", "individuals", "other")


def _flows_indicator(ctx: SiteContext, report_days: list[dt.date]) -> Indicator | None:
    market = ctx.data.config.headline_index
    series = ctx.hist.flows.get(market)
    if series is None or not series.facts:
        return None
    last_day = _last_day(ctx, series)
    last = series.facts[-1]
    as_of = to_date(last["as_of"])
    investors = [k for k in _INVESTOR_ORDER if any(k in f for f in series.facts)]
    investors += sorted({k for f in series.facts for k in f} - set(investors) - {"as_of"})
    dates = series.dates
    this_year = np.datetime64(f"{as_of.year}-01-01", "D")
    ytd_from = int(np.searchsorted(dates, this_year))
    figures = []
    rows = []
    for inv in investors:
        v = np.nan_to_num(_values(series, inv))
        today = float(v[-1])
        figures.append(Figure(f"{inv.capitalize()}, {fmt.month_day(as_of, dt.date(1, 1, 1))}", fmt.signed_won(today), cls=direction(today),
                              ko=fmt.won_ko(today), main=inv == "foreigners"))
        cells = [Cell(inv.capitalize(), header=True)]
        for n in (1, 5, MONTH_ROWS):
            total = float(v[-n:].sum())
            cells.append(Cell(fmt.signed_won(total), num=True, cls=direction(total)))
        ytd = float(v[ytd_from:].sum())
        cells.append(Cell(fmt.signed_won(ytd), num=True, cls=direction(ytd), ko=fmt.won_ko(ytd)))
        rows.append(cells)
    totals = Table("flow-totals", f"Net buying on the {market} market by investor type, to {fmt.month_day(as_of, dt.date(1, 1, 1))}",
                   [Column("Investor"), Column("Latest day", num=True), Column("5 days", num=True), Column("20 days", num=True),
                    Column(f"{as_of.year} to date", num=True)], rows)
    books = []
    for inv in investors:
        v = _values(series, inv)
        label = inv.capitalize()
        books.append(record_table(f"buy-{inv}", f"{label}: biggest net buying in a day", record_book(dates, v), fmt.signed_won,
                                  report_days, last_day, collapsed=True))
        sold = record_book(dates, -v)
        books.append(record_table(f"sell-{inv}", f"{label}: biggest net selling in a day",
                                  [_negate(r) for r in sold], fmt.signed_won, report_days, last_day, collapsed=True))
    return Indicator(
        slug="investor-flows",
        title="Investor flows",
        dek=f"Who bought and sold {market} shares: net buying by foreigners, institutions and individuals.",
        explainer="Net buying is the value of shares an investor group bought minus the value it sold. Foreign investors' "
        "flows are watched most closely, because they hold about a third of the market and move it.",
        headline=figures[0] if figures else None,
        as_of=as_of,
        figures=figures,
        sections=[
            Section("totals", "Net buying over time", tables=[totals]),
            Section("records", "Record days", intro="The biggest single-day net buying and net selling by each investor type, "
                    "every time the record was broken, and when a later day beat it.", tables=books),
        ],
        download="data/investor_flows.csv",
    )


def _negate(r: Record) -> Record:
    """A record of the negated series, shown in the series' own sign (net selling as a minus)."""
    return replace(r, value=-r.value, previous=None if r.previous is None else -r.previous,
                   fell_to=None if r.fell_to is None else -r.fell_to)


# --- balances: margin loans and stock lending ---------------------------------------------


def _balance_row(label: Cell, series: Series, report_days: list[dt.date], claim: Claim) -> list[Cell]:
    last = series.facts[-1]
    cells = [label, Cell(fmt.won(last["balance"]), num=True, ko=fmt.won_ko(last["balance"]))]
    for rows in (1, MONTH_ROWS, YEAR_ROWS):
        delta = _change(series, "balance", rows)
        cells.append(Cell("–" if delta is None else fmt.signed_won(delta), num=True, cls=direction(delta)))
    cells.append(day_cell(to_date(last["as_of"]), report_days))
    cells.append(Cell("", badge="record", claim=claim) if last["record"] else Cell(""))
    return cells


_BALANCE_COLUMNS = [Column("Balance", num=True), Column("1 day", num=True), Column("20 days", num=True),
                    Column("250 days", num=True), Column("As of"), Column("Record")]


def _margin_indicator(ctx: SiteContext, report_days: list[dt.date]) -> Indicator | None:
    loans = ctx.hist.margin_loans
    if not loans:
        return None
    order = [m for m in ("total", "KOSPI", "KOSDAQ") if m in loans] + sorted(set(loans) - {"total", "KOSPI", "KOSDAQ"})
    label = lambda m: "All markets" if m == "total" else m  # noqa: E731
    first = loans[order[0]]
    last_day = _last_day(ctx, first)
    figures = []
    rows = []
    books = []
    for k, market in enumerate(order):
        s = loans[market]
        last = s.facts[-1]
        figures.append(Figure(label(market), fmt.won(last["balance"]), f"as of {fmt.month_day(to_date(last['as_of']), dt.date(1, 1, 1))}",
                              ko=fmt.won_ko(last["balance"]), badge="record" if last["record"] else None, main=k == 0,
                              claim=Claim(f"margin_loans.{market}.record", last_day.isoformat())))
        rows.append(_balance_row(Cell(label(market), header=True), s, report_days,
                                 Claim(f"margin_loans.{market}.record", last_day.isoformat())))
        books.append(record_table(f"records-{slugify(market)}", f"Margin-loan balance, {label(market)}",
                                  record_book(s.dates, _values(s, "balance")), lambda v: fmt.won(v, 2), report_days, last_day,
                                  collapsed=k > 0, ko=fmt.won_ko))
    return Indicator(
        slug="margin-loans",
        title="Margin loans",
        dek="How much investors have borrowed from brokers to buy shares.",
        explainer="Margin loans are money investors borrow from brokers to buy shares. A rising balance means more of the "
        "market's buying is borrowed; when prices fall, brokers sell the collateral of accounts below their maintenance "
        "margin, so a large balance can turn a sell-off into a rout. Figures are published with a lag of about two trading days.",
        headline=figures[0],
        as_of=to_date(first.facts[-1]["as_of"]),
        figures=figures,
        sections=[
            Section("balances", "Balances", tables=[Table("balances", "Margin-loan balance outstanding by market",
                                                          [Column("Market"), *_BALANCE_COLUMNS], rows)]),
            Section("records", "Record balances", intro="Every balance above all earlier balances, and the day a later balance "
                    "beat it. Dates link to the first report that carried the figure.", tables=books),
        ],
        download="data/margin_loans.csv",
    )


def _lending_indicator(ctx: SiteContext, report_days: list[dt.date]) -> Indicator | None:
    lending = ctx.hist.stock_lending
    if not lending:
        return None
    names = tracked_names(ctx.data)
    tickers = sorted(lending, key=lambda t: -lending[t].facts[-1]["balance"])
    last_day = _last_day(ctx, lending[tickers[0]])
    total = sum(lending[t].facts[-1]["balance"] for t in tickers)
    newest = max(to_date(lending[t].facts[-1]["as_of"]) for t in tickers)
    rows = []
    books = []
    for t in tickers:
        s = lending[t]
        n = names.get(t)
        label = Cell(n.name if n else t, href=f"stocks/{t}/", header=True, ko=n.name_ko if n else None)
        rows.append(_balance_row(label, s, report_days, Claim(f"stock_lending.{t}.record", last_day.isoformat())))
        books.append(record_table(f"records-{t}", f"Stock-lending balance, {n.name if n else t}",
                                  record_book(s.dates, _values(s, "balance")), lambda v: fmt.won(v, 2), report_days, last_day,
                                  collapsed=True, ko=fmt.won_ko))
    at_record = [t for t in tickers if lending[t].facts[-1]["record"]]
    figures = [
        Figure("Tracked stocks, total", fmt.won(total), f"latest balances, to {fmt.month_day(newest, dt.date(1, 1, 1))}",
               ko=fmt.won_ko(total), main=True),
        Figure("Largest balance", names[tickers[0]].name if tickers[0] in names else tickers[0],
               fmt.won(lending[tickers[0]].facts[-1]["balance"])),
        Figure("Stocks at a record", f"{len(at_record)} of {len(tickers)}",
               fmt.join_words([names[t].name if t in names else t for t in at_record]) if at_record else "none"),
    ]
    return Indicator(
        slug="stock-lending",
        title="Stock lending",
        dek="Shares borrowed and not yet returned, stock by stock: the raw material of short selling.",
        explainer="Short sellers must borrow shares before they sell them, so a growing lending balance is often an early "
        "sign of short selling to come. Not every loan is a short position: shares are also borrowed for hedging and arbitrage.",
        headline=figures[0],
        as_of=newest,
        figures=figures,
        sections=[
            Section("balances", "Balances by stock", tables=[Table("lending", "Stock-lending balance outstanding by stock, largest first",
                                                                   [Column("Stock"), *_BALANCE_COLUMNS], rows)]),
            Section("records", "Record balances", intro="Every balance above all earlier balances of the same stock, and the "
                    "day a later balance beat it.", tables=books),
        ],
        download="data/stock_lending.csv",
    )
