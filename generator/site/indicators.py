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
from generator.charts.flows import investor_labels
from generator.charts.words import ChartWords, words
from generator.site.context import SiteContext, Written
from generator.site.record_book import Record, record_book, to_date
from generator.site.views import Cell, Claim, Column, DataTable, Figure, Section, day_cell, direction, record_table
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
    w = words(ctx.renderer.edition.lang)
    indicators = build_indicators(ctx, w)
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
            description=w._("The long-running series behind the daily report, with their records."),
        )
        staging.add("indicators/index.html", html)


def build_indicators(ctx: SiteContext, w: ChartWords | None = None) -> list[Indicator]:
    """Every indicator the data supports, in menu order, in the words of ``w``'s edition."""
    w = w or words("en")
    report_days = [r.day for r in ctx.reports]
    makers: list[Callable[[SiteContext, list[dt.date], ChartWords], Indicator | None]] = [
        _index_indicator,
        _flows_indicator,
        _margin_indicator,
        _lending_indicator,
    ]
    return [ind for ind in (make(ctx, report_days, w) for make in makers) if ind is not None]


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


def _index_indicator(ctx: SiteContext, report_days: list[dt.date], w: ChartWords) -> Indicator | None:
    index = ctx.data.config.headline_index
    name = w.index(index)
    series = ctx.hist.indices.get(index)
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
        Figure(w._("{index} close").format(index=name), fmt.level(last["close"]), w.date(to_date(last["as_of"])), main=True,
               badge="record" if last["record_close"] else None, badge_text=w.pgettext("price", "record"),
               claim=Claim(f"indices.{index}.record_close", last_day.isoformat())),
        Figure(w._("Change"), fmt.signed(last["change"]), fmt.pct(last["change_pct"]), cls=direction(last["change"])),
        Figure(w._("Record close"), fmt.level(float(closes[peak])), w.date(to_date(dates[peak]))),
        Figure(w._("52-week range"), f"{fmt.level(float(np.nanmin(year)))}–{fmt.level(float(np.nanmax(year)))}",
               w._("lowest and highest close")),
    ]
    changes = []
    spans = ((w._("1 day"), 1), (w._("1 month"), MONTH_ROWS), (w._("1 year"), YEAR_ROWS),
             (w._("Whole history"), len(series.facts) - 1))
    for label, rows in spans:
        delta = _change(series, "close", rows) if rows > 0 else None
        if delta is None:
            continue
        base = series.facts[-1 - rows]["close"]
        changes.append([Cell(label, header=True), Cell(fmt.signed(delta), num=True, cls=direction(delta)),
                        Cell(fmt.pct(delta / base * 100), num=True, cls=direction(delta)),
                        day_cell(to_date(series.facts[-1 - rows]["as_of"]), report_days, w=w)])
    performance = DataTable(f"{index.lower()}-changes", w._("{index} change to the latest close").format(index=name),
                        [Column(w._("Over")), Column(w._("Points"), num=True), Column(w._("Percent"), num=True),
                         Column(w._("From the close of"))], changes)
    milestones = []
    for i, fact in enumerate(series.facts):
        for level in fact.get("milestones_close") or []:
            milestones.append([Cell(f"{level:,}", num=True, header=True), day_cell(to_date(dates[i]), report_days, w=w),
                               Cell(fmt.level(fact["close"]), num=True)])
    milestones.reverse()
    sections = [
        Section("performance", w._("Performance"), tables=[performance]),
        Section(
            "records", w._("Record closes"),
            intro=w._("Every close above all earlier closes since the data begins on {day}, "
                      "and the day a later close beat it. Dates link to that day's report.").format(day=w.long_date(to_date(dates[0]))),
            tables=[
                record_table("record-closes", w._("{index} record closes").format(index=name), record_book(dates, closes), fmt.level,
                             report_days, last_day, w=w),
                record_table("record-highs", w._("{index} record intraday highs").format(index=name), record_book(dates, highs),
                             fmt.level, report_days, last_day, collapsed=True, w=w),
            ],
        ),
    ]
    if milestones:
        sections.append(Section("milestones", w._("Milestones"),
                                intro=w._("The first close above each round level of {step} points.").format(
                                    step=f"{ctx.data.config.milestone_step:,}"),
                                tables=[DataTable("milestones", w._("First {index} close above each level, newest first").format(index=name),
                                              [Column(w._("Level"), num=True), Column(w._("First closed above")),
                                               Column(w._("Close"), num=True)],
                                              milestones)]))
    return Indicator(
        slug=index_slug(ctx),
        title=name,
        dek=w._("The {index} index: its level, its records and the milestones it has passed.").format(index=name),
        explainer=w._("The {index} is the benchmark index of the Korean stock market. A record close is a close above every "
                      "earlier close in the data.").format(index=name),
        headline=figures[0],
        as_of=to_date(last["as_of"]),
        figures=figures,
        sections=sections,
        download="data/index_daily.csv",
    )


# --- investor flows -----------------------------------------------------------------------


_INVESTOR_ORDER = ("foreigners", "institutions", "individuals", "other")


def _flows_indicator(ctx: SiteContext, report_days: list[dt.date], w: ChartWords) -> Indicator | None:
    index = ctx.data.config.headline_index
    market = w.index(index)
    series = ctx.hist.flows.get(index)
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
    names = investor_labels(w)
    name = lambda inv: names.get(inv) or inv.capitalize()  # noqa: E731
    figures = []
    rows = []
    for inv in investors:
        v = np.nan_to_num(_values(series, inv))
        today = float(v[-1])
        figures.append(Figure(w._("{investor}, {date}").format(investor=name(inv), date=w.date(as_of)), w.signed_won(today),
                              cls=direction(today), ko=_ko(w, today), main=inv == "foreigners"))
        cells = [Cell(name(inv), header=True)]
        for n in (1, 5, MONTH_ROWS):
            total = float(v[-n:].sum())
            cells.append(Cell(w.signed_won(total), num=True, cls=direction(total)))
        ytd = float(v[ytd_from:].sum())
        cells.append(Cell(w.signed_won(ytd), num=True, cls=direction(ytd), ko=_ko(w, ytd)))
        rows.append(cells)
    totals = DataTable("flow-totals", w._("Net buying on the {index} market by investor type, to {date}").format(index=market, date=w.date(as_of)),
                   [Column(w._("Investor")), Column(w._("Latest day"), num=True), Column(w._("5 days"), num=True),
                    Column(w._("20 days"), num=True), Column(w._("{year} to date").format(year=as_of.year), num=True)], rows)
    books = []
    for inv in investors:
        v = _values(series, inv)
        label = name(inv)
        books.append(record_table(f"buy-{inv}", w._("{investor}: biggest net buying in a day").format(investor=label),
                                  record_book(dates, v), w.signed_won, report_days, last_day, collapsed=True, w=w))
        sold = record_book(dates, -v)
        books.append(record_table(f"sell-{inv}", w._("{investor}: biggest net selling in a day").format(investor=label),
                                  [_negate(r) for r in sold], w.signed_won, report_days, last_day, collapsed=True, w=w))
    return Indicator(
        slug="investor-flows",
        title=w._("Investor flows"),
        dek=w._("Who bought and sold {index} shares: net buying by foreigners, institutions and individuals.").format(index=market),
        explainer=w._("Net buying is the value of shares an investor group bought minus the value it sold. Foreign investors' "
                      "flows are watched most closely, because they hold about a third of the market and move it."),
        headline=figures[0] if figures else None,
        as_of=as_of,
        figures=figures,
        sections=[
            Section("totals", w._("Net buying over time"), tables=[totals]),
            Section("records", w._("Record days"), intro=w._("The biggest single-day net buying and net selling by each investor "
                    "type, every time the record was broken, and when a later day beat it."), tables=books),
        ],
        download="data/investor_flows.csv",
    )


def _negate(r: Record) -> Record:
    """A record of the negated series, shown in the series' own sign (net selling as a minus)."""
    return replace(r, value=-r.value, previous=None if r.previous is None else -r.previous,
                   fell_to=None if r.fell_to is None else -r.fell_to)


# --- balances: margin loans and stock lending ---------------------------------------------


def _ko(w: ChartWords, value: float | None) -> str | None:
    """The Korean rendering shown beside a won amount: on the English edition only (the Korean
    edition writes the amount itself in 조/억)."""
    return None if w.korean else fmt.won_ko(value)


def _balance_row(label: Cell, series: Series, report_days: list[dt.date], claim: Claim, w: ChartWords) -> list[Cell]:
    last = series.facts[-1]
    cells = [label, Cell(w.won(last["balance"]), num=True, ko=_ko(w, last["balance"]))]
    for rows in (1, MONTH_ROWS, YEAR_ROWS):
        delta = _change(series, "balance", rows)
        cells.append(Cell("–" if delta is None else w.signed_won(delta), num=True, cls=direction(delta)))
    cells.append(day_cell(to_date(last["as_of"]), report_days, w=w))
    cells.append(Cell("", badge="record", claim=claim) if last["record"] else Cell(""))
    return cells


def _balance_columns(w: ChartWords) -> list[Column]:
    return [Column(w._("Balance"), num=True), Column(w._("1 day"), num=True), Column(w._("20 days"), num=True),
            Column(w._("250 days"), num=True), Column(w._("As of")), Column(w._("Record"))]


def _margin_indicator(ctx: SiteContext, report_days: list[dt.date], w: ChartWords) -> Indicator | None:
    loans = ctx.hist.margin_loans
    if not loans:
        return None
    order = [m for m in ("total", "KOSPI", "KOSDAQ") if m in loans] + sorted(set(loans) - {"total", "KOSPI", "KOSDAQ"})
    label = lambda m: w._("All markets") if m == "total" else w.index(m)  # noqa: E731
    first = loans[order[0]]
    last_day = _last_day(ctx, first)
    figures = []
    rows = []
    books = []
    for k, market in enumerate(order):
        s = loans[market]
        last = s.facts[-1]
        figures.append(Figure(label(market), w.won(last["balance"]), w._("as of {date}").format(date=w.date(to_date(last["as_of"]))),
                              ko=_ko(w, last["balance"]), badge="record" if last["record"] else None, badge_text=w._("record"),
                              main=k == 0,
                              claim=Claim(f"margin_loans.{market}.record", last_day.isoformat())))
        rows.append(_balance_row(Cell(label(market), header=True), s, report_days,
                                 Claim(f"margin_loans.{market}.record", last_day.isoformat()), w))
        books.append(record_table(f"records-{slugify(market)}", w._("Margin-loan balance, {market}").format(market=label(market)),
                                  record_book(s.dates, _values(s, "balance")), lambda v: w.won(v, 2), report_days, last_day,
                                  collapsed=k > 0, ko=None if w.korean else fmt.won_ko, w=w))
    return Indicator(
        slug="margin-loans",
        title=w._("Margin loans"),
        dek=w._("How much investors have borrowed from brokers to buy shares."),
        explainer=w._("Margin loans are money investors borrow from brokers to buy shares. A rising balance means more of the "
                      "market's buying is borrowed; when prices fall, brokers sell the collateral of accounts below their "
                      "maintenance margin, so a large balance can turn a sell-off into a rout. Figures are published with a lag "
                      "of about two trading days."),
        headline=figures[0],
        as_of=to_date(first.facts[-1]["as_of"]),
        figures=figures,
        sections=[
            Section("balances", w._("Balances"), tables=[DataTable("balances", w._("Margin-loan balance outstanding by market"),
                                                               [Column(w._("Market")), *_balance_columns(w)], rows)]),
            Section("records", w._("Record balances"), intro=w._("Every balance above all earlier balances, and the day a later "
                    "balance beat it. Dates link to the first report that carried the figure."), tables=books),
        ],
        download="data/margin_loans.csv",
    )


#: How many stocks a figure's note names before it counts the rest.
NAMED = 5


def _some_names(names: list[str], w: ChartWords) -> str:
    """The first ``NAMED`` names and how many more: "A, B, C, D, E and 78 more"."""
    if len(names) <= NAMED:
        return w.join_words(names)
    return w.join_words([*names[:NAMED], w._("{count} more").format(count=len(names) - NAMED)])


def _lending_indicator(ctx: SiteContext, report_days: list[dt.date], w: ChartWords) -> Indicator | None:
    lending = ctx.hist.stock_lending
    if not lending:
        return None
    names = tracked_names(ctx.data)

    def name(t: str) -> str:
        n = names.get(t)
        return t if n is None else w.stock_name(n)

    tickers = sorted(lending, key=lambda t: -lending[t].facts[-1]["balance"])
    last_day = _last_day(ctx, lending[tickers[0]])
    total = sum(lending[t].facts[-1]["balance"] for t in tickers)
    newest = max(to_date(lending[t].facts[-1]["as_of"]) for t in tickers)
    # Past ``report_stocks``, the page lists the largest balances; each stock's own page has its
    # records (generator/stock_lists.py): 950 record books made a page of 6.7 MB.
    listed = tickers[: ctx.data.config.report_stocks]
    rows = []
    books = []
    for t in listed:
        s = lending[t]
        n = names.get(t)
        label = Cell(name(t), href=f"stocks/{t}/", header=True, ko=n.name_ko if n and not w.korean else None)
        rows.append(_balance_row(label, s, report_days, Claim(f"stock_lending.{t}.record", last_day.isoformat()), w))
        books.append(record_table(f"records-{t}", w._("Stock-lending balance, {stock}").format(stock=name(t)),
                                  record_book(s.dates, _values(s, "balance")), lambda v: w.won(v, 2), report_days, last_day,
                                  collapsed=True, ko=None if w.korean else fmt.won_ko, w=w))
    at_record = [t for t in tickers if lending[t].facts[-1]["record"]]
    figures = [
        Figure(w._("Tracked stocks, total"), w.won(total), w._("latest balances, to {date}").format(date=w.date(newest)),
               ko=_ko(w, total), main=True),
        Figure(w._("Largest balance"), name(tickers[0]), w.won(lending[tickers[0]].facts[-1]["balance"])),
        Figure(w._("Stocks at a record"), w._("{count} of {total}").format(count=len(at_record), total=len(tickers)),
               _some_names([name(t) for t in at_record], w) if at_record else w._("none")),
    ]
    cut = len(listed) < len(tickers)
    balances_title = w._("The {count} largest balances").format(count=len(listed)) if cut else w._("Balances by stock")
    cut_note = (w._("The {count} largest of the {total} stocks followed; every stock's balance and records are on its own "
                    "page and in the download.").format(count=len(listed), total=len(tickers)) if cut else "")
    return Indicator(
        slug="stock-lending",
        title=w._("Stock lending"),
        dek=w._("Shares borrowed and not yet returned, stock by stock: the raw material of short selling."),
        explainer=w._("Short sellers must borrow shares before they sell them, so a growing lending balance is often an early "
                      "sign of short selling to come. Not every loan is a short position: shares are also borrowed for hedging "
                      "and arbitrage."),
        headline=figures[0],
        as_of=newest,
        figures=figures,
        sections=[
            Section("balances", balances_title, intro=cut_note,
                    tables=[DataTable("lending", w._("Stock-lending balance outstanding by stock, largest first"),
                                  [Column(w._("Stock")), *_balance_columns(w)], rows)]),
            Section("records", w._("Record balances"), intro=w._("Every balance above all earlier balances of the same stock, "
                    "and the day a later balance beat it."), tables=books),
        ],
        download="data/stock_lending.csv",
    )
