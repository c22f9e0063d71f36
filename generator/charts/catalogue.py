"""The catalogue: every chart template, built once per build, and the charts of each page.

Pages ask the catalogue for their charts; it fills the build's templates with the page's rows
(``ChartTemplate.fill``) and writes each chart's text alternative with its key numbers.

Page methods, for the site's page families:

- ``report_charts(day, snap)``: a day's report, headline chart (the index, 3 months) first;
- ``home_charts(day, snap)``: the home page (the latest report's charts);
- ``indicator_charts(slug)``: an indicator page's long-history charts, for the slugs in
  ``INDICATORS`` ("kospi", "investor-flows", "margin-loans", "stock-lending");
- ``stock_charts(ticker)``: a tracked stock's price history and lending balance.

Each returns a list of ``Chart`` (empty when the data is missing); a page renders each with
``templates/partials/chart.html`` (context: ``chart`` and ``chart_dir``, the page's folder)
and writes ``chart_csv(chart)`` (generator.pages) to ``chart_dir + chart.csv_name``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

import numpy as np

from generator import formatting as fmt
from generator.analysis.history import History
from generator.analysis.records import records
from generator.analysis.series import Series
from generator.charts import Chart, ChartTemplate, flows, index_level, lending, leverage, performance
from generator.charts.images import Headline, RenderStats, StaticImages, static_spec, write_cache_file
from generator.charts.rows import last_rows, rows_since, thin_history, union_dates
from generator.charts.theme import INVESTOR_LABELS, Theme
from generator.dataset import Dataset

REPORT_WINDOW = 63  # about three months of trading days
YEAR_WINDOW = 250  # about a year of trading days
FLOW_WINDOW = 20
CUMULATIVE_WINDOW = 60
MARGIN_DAYS = 365
MARGIN_LONG_DAYS = 5 * 365 + 1
LENDING_LOOKBACK = 20  # trading days for "a month earlier"
LEADERS_SHOWN = 6
LEADERS_WINDOW = 21  # a month of trading days
#: The headline chart of a report: it gets the static fallback and the social card.
HEADLINE = "index-3m"

#: Indicator page slugs and what each shows.
INDICATORS: dict[str, str] = {
    "kospi": "the headline index over its whole history",
    "investor-flows": "net buying by investor type",
    "margin-loans": "the margin-loan balance",
    "stock-lending": "stock-lending balances of the tracked stocks",
}


def index_slug(name: str) -> str:
    """An index's page slug: "KOSPI" -> "kospi", "KOSPI 200" -> "kospi-200"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _span(rows: list[dict], key: str = "date") -> str:
    """ "from Oct. 6, 2025 to Jan. 7, 2026" for alt texts."""
    first, last = _day(rows[0][key]), _day(rows[-1][key])
    return f"from {fmt.month_day(first)}, {first.year} to {fmt.month_day(last)}, {last.year}"


_WINDOW = re.compile(r", (?:\d+ (?:trading days|months?|years?))$")


def windowed(chart: Chart, complete: bool) -> Chart:
    """A chart of a fixed window ("…, 5 years") whose data begin later than the window says
    is titled by what it shows ("…, since June 2023"): a title never names more than the data."""
    if not complete and chart.rows:
        first = _day(chart.rows[0]["date"])
        since = f", since {first.strftime('%B')} {first.year}"
        title = _WINDOW.sub(since, chart.caption)
        chart.title = title if title != chart.caption else f"{chart.caption} (data since {first.strftime('%B')} {first.year})"
    return chart


def _is_headline(position: int, chart: Chart) -> bool:
    """A report's first chart, when it is the headline chart: the one with the inline SVG and the card."""
    return position == 0 and chart.template.id == HEADLINE


def _signed_won(value: float | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + fmt.won(value)


def _record_balance(fact: dict) -> float:
    prev = (fact.get("previous_record") or {}).get("value")
    return max(fact["balance"], prev) if prev is not None else fact["balance"]


class TemplateCache:
    """Chart templates kept on disk between builds, keyed by the code fingerprint (which covers
    the chart modules, the theme and the Altair version) and the settings a template depends on.

    Building the catalogue's templates with Altair (and its schema validation) takes a second or
    two, on every build, for specs that only a change of code or settings changes."""

    def __init__(self, folder: Path | None, code: str):
        self.folder = folder
        self.code = code

    def _path(self, key: tuple) -> Path | None:
        if self.folder is None:
            return None
        name = hashlib.blake2b(repr((self.code, key)).encode("utf-8"), digest_size=16).hexdigest()
        return self.folder / f"{name}.json"

    def get(self, key: tuple) -> ChartTemplate | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return ChartTemplate(raw["id"], raw["title"], raw["spec"], tuple(raw["columns"]), raw["headers"], raw["kinds"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: tuple, template: ChartTemplate) -> None:
        path = self._path(key)
        if path is None:
            return
        text = json.dumps(
            {"id": template.id, "title": template.title, "spec": template.spec, "columns": list(template.columns),
             "headers": template.headers, "kinds": template.kinds},
            ensure_ascii=False,
        )
        write_cache_file(path, text.encode("utf-8"))


class Catalogue:
    """Chart templates for one build; page methods fill them with that page's rows."""

    def __init__(
        self,
        data: Dataset,
        hist: History,
        *,
        images: StaticImages | None = None,
        fallbacks: bool = True,
        template_cache: TemplateCache | None = None,
    ):
        self.data = data
        self.hist = hist
        self.index_name = data.config.headline_index
        self.theme = Theme(data.config.color_convention)
        self.images = images if images is not None else StaticImages()
        #: whether report headline charts carry their static SVG (off to time specs alone)
        self.fallbacks = fallbacks
        self._built: dict[str, ChartTemplate] = {}
        #: templates from earlier builds of the same code and settings (None: always build them)
        self.template_cache = template_cache

    # ----------------------------------------------------------------- templates

    @cached_property
    def _factories(self) -> dict[str, Callable[[], ChartTemplate]]:
        name, theme = self.index_name, self.theme
        return {
            "index-3m": lambda: index_level.template("index-3m", f"{name}: close and intraday range, 3 months", theme),
            "index-1y": lambda: index_level.template(
                "index-1y", f"{name}: close and intraday range, 1 year", theme, monthly=False
            ),
            "index-history": lambda: index_level.history_template(
                "index-history", f"{name} since the data begin (drag across the strip below to zoom)", theme
            ),
            "flows-20d": lambda: flows.daily_template(
                "flows-20d", f"Net buying by investor type, {name} market, 20 trading days", theme
            ),
            "flows-60d": lambda: flows.cumulative_template(
                "flows-60d", f"Cumulative net buying by investor type, {name} market, 60 trading days", theme
            ),
            "flows-monthly": lambda: flows.daily_template(
                "flows-monthly", f"Net buying by investor type per month, {name} market", theme, monthly=True
            ),
            "flows-history": lambda: flows.history_template(
                "flows-history", f"Cumulative net buying since the data begin, {name} market (drag to zoom)", theme
            ),
            "margin-1y": lambda: leverage.balance_template("margin-1y", "Margin-loan balance, all markets, 1 year", theme),
            "margin-5y": lambda: leverage.balance_template(
                "margin-5y", "Margin-loan balance, all markets, 5 years", theme, monthly=False
            ),
            "margin-history": lambda: leverage.history_template(
                "margin-history", "Margin-loan balance since the data begin (drag to zoom)", theme
            ),
            "lending-stocks": lambda: lending.stocks_template(
                "lending-stocks", "Stock-lending balance by stock, and its change over 20 trading days (▲ ▼)", theme
            ),
            "lending-history": lambda: leverage.history_template(
                "lending-history", "Stock-lending balance of the tracked stocks, total (drag to zoom)", theme
            ),
            "leaders-1m": lambda: performance.indexed_template(
                "leaders-1m", "The day's leading stocks over the past month, indexed to 100", theme
            ),
            "stock-price-history": lambda: index_level.history_template(
                "stock-price-history", "Share price since the data begin (drag to zoom)", theme, unit="won"
            ),
            "stock-lending-history": lambda: leverage.history_template(
                "stock-lending-history", "Stock-lending balance since the data begin (drag to zoom)", theme
            ),
        }

    def template(self, template_id: str) -> ChartTemplate:
        """One template, built (and schema-checked by Altair) the first time a page needs it,
        then reused by every page of the build."""
        made = self._built.get(template_id)
        if made is None:
            cache, key = self.template_cache, (template_id, self.index_name, self.theme.convention)
            made = cache.get(key) if cache is not None else None
            if made is None:
                made = self._factories[template_id]()
                if cache is not None:
                    cache.put(key, made)
            self._built[template_id] = made
        return made

    @property
    def templates(self) -> dict[str, ChartTemplate]:
        """Every template of the catalogue (building those not yet built)."""
        return {key: self.template(key) for key in self._factories}

    # ----------------------------------------------------------------- pages

    def report_charts(self, day: dt.date, snap: dict, *, fallback: bool = True) -> list[Chart]:
        """The charts of a day's report, the headline chart (the index, 3 months) first.

        With ``fallback`` (and ``self.fallbacks``) the headline chart carries its static SVG:
        looked up after ``prepare_report_images``, else rendered now (or read from the cache)."""
        makers = (
            self._index_chart,
            self._flows_chart,
            self._cumulative_chart,
            self._margin_chart,
            self._lending_chart,
            self._leaders_chart,
        )
        charts = [c for c in (make(day, snap) for make in makers) if c is not None]
        if fallback:
            self.attach_fallback(charts)
        return charts

    def attach_fallback(self, charts: list[Chart]) -> None:
        """Give a report's charts their static SVGs: the headline chart its inline fallback,
        every other chart the SVG file shown without JavaScript (``Chart.image_svg``)."""
        if not self.fallbacks:
            return
        for k, chart in enumerate(charts):
            if _is_headline(k, chart):
                if chart.fallback_svg is None:
                    chart.fallback_svg = self.images.svg(chart.spec)
            elif chart.image_svg is None:
                chart.image_svg = self.images.svg_text(static_spec(chart.spec))

    def attach_images(self, charts: list[Chart]) -> None:
        """Give each chart its static SVG file, all drawn at once (in worker processes, for the
        ones no earlier build left in the cache): for pages other than reports."""
        if not self.fallbacks or not charts:
            return
        heads = [Headline(static_spec(c.spec), card=False) for c in charts]
        self.images.prepare(heads)
        for chart, head in zip(charts, heads, strict=True):
            if chart.image_svg is None:
                chart.image_svg = self.images.svg_text(head.spec)

    def report_images(self, day: dt.date, snap: dict) -> list[Headline]:
        """Everything a day's report has drawn at build time: its headline chart's SVG and card,
        and the static SVG of each of its other charts."""
        charts = self.report_charts(day, snap, fallback=False)
        heads: list[Headline] = []
        for k, chart in enumerate(charts):
            if _is_headline(k, chart):
                head = self.headline_images(day, snap, chart)
                if head is not None:
                    heads.append(head)
            else:
                heads.append(Headline(static_spec(chart.spec), card=False))
        return heads

    def home_charts(self, day: dt.date, snap: dict) -> list[Chart]:
        """The home page shows the latest report, so it has that report's charts."""
        return self.report_charts(day, snap)

    def indicator_charts(self, slug: str) -> list[Chart]:
        """An indicator page's charts over the whole history (weekly points beyond two years).

        Slugs: "kospi" (the headline index; its own slug, e.g. "kosdaq", works too),
        "investor-flows", "margin-loans", "stock-lending"; any other slug has no charts."""
        makers = {
            "kospi": self._index_indicator,
            index_slug(self.index_name): self._index_indicator,
            "investor-flows": self._flows_indicator,
            "margin-loans": self._margin_indicator,
            "stock-lending": self._lending_indicator,
        }
        make = makers.get(slug)
        return [c for c in make() if c is not None] if make else []

    def stock_charts(self, ticker: str) -> list[Chart]:
        """A tracked stock's price history with its record highs, and its lending balance."""
        charts: list[Chart | None] = [self._stock_price(ticker), self._stock_lending(ticker)]
        return [c for c in charts if c is not None]

    # ----------------------------------------------------------------- static images

    def headline(self, day: dt.date, snap: dict) -> Chart | None:
        """A report's headline chart without its fallback (to render images from)."""
        return self._index_chart(day, snap)

    def card_title(self) -> str:
        return self.template(HEADLINE).title

    def card_subtitle(self, day: dt.date, snap: dict) -> str:
        today = snap["indices"].get(self.index_name)
        if not today:
            return ""
        return f"{fmt.long_date(day)} · close {fmt.level(today['close'])} ({fmt.pct(today.get('change_pct'))})"

    def headline_images(self, day: dt.date, snap: dict, chart: Chart | None = None) -> Headline | None:
        """What a report's static images are made from: its headline chart and card text."""
        chart = chart or self.headline(day, snap)
        if chart is None:
            return None
        return Headline(static_spec(chart.spec), self.card_title(), self.card_subtitle(day, snap), self.data.config.title)

    def prepare_report_images(self, days: list[tuple[dt.date, dict]], jobs: int | None = None) -> RenderStats:
        """Render (or find in the cache) the SVG fallback and PNG card of each day's headline
        chart at once, in parallel worker processes; later lookups are then free."""
        heads = [h for day, snap in days for h in self.report_images(day, snap)]
        return self.images.prepare(heads, jobs=jobs)

    def card_png(self, day: dt.date, snap: dict, headline: Chart | None = None) -> bytes | None:
        """The PNG social card of a day's report (``og:image``), or None without a headline chart."""
        head = self.headline_images(day, snap, headline)
        return self.images.card(head) if head is not None else None

    # ----------------------------------------------------------------- report charts

    def _price_rows(self, facts: list[dict], *, history: bool = False) -> list[dict]:
        """One row per day; ``previous_record_high`` is each row's own (the highest intraday high
        before that day), so the last row's is the record the page's day had to beat."""
        if history:
            return [{k: v for k, v in row.items() if k != "previous_record_high"} for row in self._price_rows(facts)]
        return [
            {
                "date": f["as_of"],
                "open": f["open"],
                "high": f["high"],
                "low": f["low"],
                "close": f["close"],
                "change_pct": f["change_pct"],
                "record_high": f["record_high"],
                "previous_record_high": (f.get("previous_record_high") or {}).get("value"),
            }
            for f in facts
        ]

    def _index_chart(self, day: dt.date, snap: dict) -> Chart | None:
        series = self.hist.indices.get(self.index_name)
        today = snap["indices"].get(self.index_name)
        if series is None or today is None:
            return None
        facts = last_rows(series, day, REPORT_WINDOW)
        if not facts:
            return None
        prior = (today.get("previous_record_high") or {}).get("value")
        rows = self._price_rows(facts)
        records_in = sum(1 for r in rows if r["record_high"])
        alt = (
            f"Line chart of the {self.index_name} daily close with its intraday range {_span(rows)}. "
            f"On {fmt.month_day(day)} it closed at {fmt.level(today['close'])} ({fmt.pct(today.get('change_pct'))}), "
            f"with an intraday high of {fmt.level(today['high'])}"
            + (", a record" if today["record_high"] else "")
            + ". "
            + (f"Triangles mark {records_in} record high{'s' if records_in != 1 else ''} in the period. " if records_in else "")
            + (f"A dashed line marks the record high before the day, {fmt.level(prior)}." if prior is not None else "")
        ).strip()
        return windowed(Chart(self.template("index-3m"), rows, alt, "index-3m"), len(rows) >= REPORT_WINDOW)

    def _flow_rows(self, facts: list[dict]) -> list[dict]:
        return [{"date": f["as_of"], **{k: f.get(k) for k in flows.INVESTOR_KEYS}} for f in facts]

    def _flows_chart(self, day: dt.date, snap: dict) -> Chart | None:
        series = self.hist.flows.get(self.index_name)
        if series is None:
            return None
        facts = last_rows(series, day, FLOW_WINDOW)
        if not facts:
            return None
        rows = self._flow_rows(facts)
        last = rows[-1]
        parts = [f"{INVESTOR_LABELS[k].lower()} {_signed_won(last[k])}" for k in flows.INVESTOR_KEYS if last.get(k) is not None]
        alt = (
            f"Bar chart of daily net buying by investor type on the {self.index_name} market over the last {len(rows)} trading days, "
            f"{_span(rows)}; buying above the zero line, selling below. On {fmt.month_day(_day(last['date']))}: "
            + ", ".join(parts)
            + "."
        )
        return windowed(Chart(self.template("flows-20d"), rows, alt, "flows-20d"), len(rows) >= FLOW_WINDOW)

    @staticmethod
    def _running(rows: list[dict]) -> list[dict]:
        totals: dict[str, float] = {}
        out = []
        for row in rows:
            new = {"date": row["date"]}
            for k in flows.INVESTOR_KEYS:
                if row.get(k) is not None:
                    totals[k] = totals.get(k, 0) + row[k]
                new[k] = totals.get(k)
            out.append(new)
        return out

    def _cumulative_chart(self, day: dt.date, snap: dict) -> Chart | None:
        series = self.hist.flows.get(self.index_name)
        if series is None:
            return None
        facts = last_rows(series, day, CUMULATIVE_WINDOW)
        if not facts:
            return None
        rows = self._running(self._flow_rows(facts))
        last = rows[-1]
        parts = [f"{INVESTOR_LABELS[k].lower()} {_signed_won(last[k])}" for k in flows.INVESTOR_KEYS if last.get(k) is not None]
        alt = (
            f"Line chart of cumulative net buying by investor type on the {self.index_name} market over {len(rows)} trading days, "
            f"{_span(rows)}. Totals: " + ", ".join(parts) + "."
        )
        return windowed(Chart(self.template("flows-60d"), rows, alt, "flows-60d"), len(rows) >= CUMULATIVE_WINDOW)

    def _balance_rows(self, facts: list[dict], record_balance: float) -> list[dict]:
        return [
            {"date": f["as_of"], "balance": f["balance"], "record": f["record"], "record_balance": record_balance} for f in facts
        ]

    def _balance_alt(self, what: str, rows: list[dict], period: str) -> str:
        last = rows[-1]
        peak = last["record_balance"]
        return (
            f"Line chart of the {what} {period}, {_span(rows)}: {fmt.won(last['balance'])} as of {fmt.month_day(_day(last['date']))}"
            + (", a record." if last["record"] else f", against a record of {fmt.won(peak, 2)} (the dashed line).")
        )

    def _margin_window(self, day: dt.date, days: int, template: str, period: str) -> Chart | None:
        series = self.hist.margin_loans.get("total")
        if series is None:
            return None
        facts = rows_since(series, day, days)
        if not facts:
            return None
        rows = self._balance_rows(facts, _record_balance(facts[-1]))
        chart = Chart(self.template(template), rows, self._balance_alt("total margin-loan balance", rows, period), template)
        # complete when the series has a row at least as old as the window's start
        complete = _day(series.facts[0]["as_of"]) <= day - dt.timedelta(days=days - 7)
        return windowed(chart, complete)

    def _margin_chart(self, day: dt.date, snap: dict) -> Chart | None:
        return self._margin_window(day, MARGIN_DAYS, "margin-1y", "over the past year")

    def _lending_rows(self, day: dt.date) -> list[dict]:
        names = self._names()
        rows = []
        for ticker in self.data.tracked_tickers:
            series = self.hist.stock_lending.get(ticker)
            if series is None:
                continue
            facts = last_rows(series, day, LENDING_LOOKBACK + 1)
            if not facts:
                continue
            now = facts[-1]
            before = facts[0]["balance"] if len(facts) > LENDING_LOOKBACK else None
            rows.append(
                {
                    "ticker": ticker,
                    "name": names.get(ticker, ticker),
                    "as_of": now["as_of"],
                    "balance": now["balance"],
                    "month_ago": before,
                    "change": now["balance"] - before if before is not None else None,
                }
            )
        rows.sort(key=lambda r: -r["balance"])
        return rows

    def _lending_chart(self, day: dt.date, snap: dict) -> Chart | None:
        rows = self._lending_rows(day)
        if not rows:
            return None
        top = ", ".join(f"{r['name']} {fmt.won(r['balance'])}" for r in rows[:3])
        rising = sum(1 for r in rows if (r["change"] or 0) > 0)
        alt = (
            f"Bar chart of stock-lending balances of {len(rows)} tracked stocks, largest first: {top}. "
            f"{rising} of {len(rows)} rose over 20 trading days (▲); the tick on each bar marks the balance 20 trading days earlier."
        )
        return Chart(self.template("lending-stocks"), rows, alt, "lending-stocks")

    def _leaders_chart(self, day: dt.date, snap: dict) -> Chart | None:
        tickers = list(snap.get("leaders") or [])
        if len(tickers) > LEADERS_SHOWN:
            half = LEADERS_SHOWN // 2
            tickers = tickers[:half] + tickers[-half:]
        names = self._names()
        rows: list[dict] = []
        ends: list[str] = []
        for ticker in tickers:
            series = self.hist.stocks.get(ticker)
            if series is None:
                continue
            facts = last_rows(series, day, LEADERS_WINDOW)
            if not facts or not facts[0]["close"]:
                continue
            base = facts[0]["close"]
            for f in facts:
                rows.append(
                    {
                        "date": f["as_of"],
                        "ticker": ticker,
                        "name": names.get(ticker, ticker),
                        "close": f["close"],
                        "indexed": round(f["close"] / base * 100, 2),
                    }
                )
            ends.append(f"{names.get(ticker, ticker)} {fmt.pct(round(facts[-1]['close'] / base * 100 - 100, 2))}")
        if not rows:
            return None
        alt = (
            f"Line chart of the day's leading stocks, each close indexed to 100 on the first day, {_span(rows)}. "
            "Over the period: " + ", ".join(ends) + ". Each stock has its own colour, named in the legend; losers are dashed lines."
        )
        chart = Chart(self.template("leaders-1m"), rows, alt, "leaders-1m")
        if len({r["date"] for r in rows}) < LEADERS_WINDOW:
            chart.title = f"The day's leading stocks since {fmt.month_day(_day(rows[0]['date']))}, {rows[0]['date'][:4]}, indexed to 100"
        return chart

    def _names(self) -> dict[str, str]:
        stocks = self.data.stocks
        if stocks.empty:
            return {}
        return dict(zip(stocks["ticker"].astype(str), stocks["name"].astype(str), strict=False))

    # ----------------------------------------------------------------- indicator pages

    def _index_indicator(self) -> list[Chart | None]:
        series = self.hist.indices.get(self.index_name)
        if series is None or not series.facts:
            return []
        last = series.facts[-1]
        day = _day(last["as_of"])
        history = self._price_history(series, "index-history", self.index_name, "index")
        year_facts = last_rows(series, day, YEAR_WINDOW)
        prior = (last.get("previous_record_high") or {}).get("value")
        rows = self._price_rows(year_facts)
        year = Chart(
            self.template("index-1y"),
            rows,
            f"Line chart of the {self.index_name} daily close with its intraday range over the past year, {_span(rows)}: "
            f"{fmt.level(last['close'])} at the last close; highest close {fmt.level(max(r['close'] for r in rows))}, "
            f"lowest {fmt.level(min(r['close'] for r in rows))}."
            + (f" A dashed line marks the record high before the last day, {fmt.level(prior)}." if prior is not None else ""),
            "index-1y",
        )
        return [history, windowed(year, len(rows) >= YEAR_WINDOW)]

    def _price_history(self, series: Series, template: str, what: str, unit: str) -> Chart | None:
        if not series.facts:
            return None
        all_rows = self._price_rows(series.facts, history=True)
        rows = thin_history(all_rows, index_level.WEEKLY)
        number = fmt.won_price if unit == "won" else fmt.level
        peak = max(series.facts, key=lambda f: f["high"] or 0)
        count = sum(1 for f in series.facts if f["record_high"])
        alt = (
            f"Line chart of {what}'s close with its intraday range {_span(rows)} (weekly before the last two years; "
            f"drag across the overview below the chart to zoom). Last close {number(series.facts[-1]['close'])}; "
            f"highest intraday level {number(peak['high'])} on {fmt.month_day(_day(peak['as_of']))}, {_day(peak['as_of']).year}; "
            f"{count} record high{'s' if count != 1 else ''} marked with triangles."
        )
        return Chart(self.template(template), rows, alt, template)

    def _flows_indicator(self) -> list[Chart | None]:
        series = self.hist.flows.get(self.index_name)
        if series is None or not series.facts:
            return []
        daily = self._flow_rows(series.facts)
        running = thin_history(self._running(daily))
        last = running[-1]
        parts = [f"{INVESTOR_LABELS[k].lower()} {_signed_won(last[k])}" for k in flows.INVESTOR_KEYS if last.get(k) is not None]
        history = Chart(
            self.template("flows-history"),
            running,
            f"Line chart of cumulative net buying by investor type on the {self.index_name} market {_span(running)} "
            "(weekly before the last two years; drag across the overview to zoom). Totals: " + ", ".join(parts) + ".",
            "flows-history",
        )
        months: dict[str, dict] = {}
        for row in daily:
            month = row["date"][:7] + "-01"
            acc = months.setdefault(month, {"date": month})
            for k in flows.INVESTOR_KEYS:
                if row.get(k) is not None:
                    acc[k] = acc.get(k, 0) + row[k]
        monthly = [{"date": m["date"], **{k: m.get(k) for k in flows.INVESTOR_KEYS}} for m in months.values()]
        latest = monthly[-1]
        monthly_chart = Chart(
            self.template("flows-monthly"),
            monthly,
            f"Bar chart of net buying by investor type per month on the {self.index_name} market, {len(monthly)} months "
            f"{_span(monthly)}; buying above the zero line, selling below. Latest month so far: "
            + ", ".join(
                f"{INVESTOR_LABELS[k].lower()} {_signed_won(latest[k])}" for k in flows.INVESTOR_KEYS if latest.get(k) is not None
            )
            + ".",
            "flows-monthly",
            headers={"date": "Month"},
        )
        return [history, monthly_chart]

    def _margin_indicator(self) -> list[Chart | None]:
        series = self.hist.margin_loans.get("total")
        if series is None or not series.facts:
            return []
        last = series.facts[-1]
        day = _day(last["as_of"])
        peak = _record_balance(last)
        rows = thin_history(self._balance_rows(series.facts, peak), leverage.WEEKLY)
        history = Chart(
            self.template("margin-history"),
            rows,
            self._balance_alt(
                "total margin-loan balance", rows, "since the data begin (weekly before the last two years; drag to zoom)"
            ),
            "margin-history",
        )
        return [
            history,
            self._margin_window(day, MARGIN_LONG_DAYS, "margin-5y", "over five years"),
            self._margin_window(day, MARGIN_DAYS, "margin-1y", "over the past year"),
        ]

    def _lending_total(self) -> Series | None:
        """The tracked stocks' lending balances summed on every date any of them has (each
        stock counted at its latest balance on or before the date)."""
        series = [self.hist.stock_lending[t] for t in self.data.tracked_tickers if t in self.hist.stock_lending]
        if not series:
            return None
        dates = union_dates(series)
        total = np.zeros(len(dates))
        for s in series:
            pos = s.at(dates)
            values = np.array([f["balance"] for f in s.facts], dtype=float)
            total += np.where(pos >= 0, values[np.maximum(pos, 0)], 0.0)
        rec = records(total)
        facts = []
        for i, d in enumerate(dates):
            prev = None if rec.previous_index[i] < 0 else {"value": float(rec.previous_value[i])}
            facts.append(
                {"as_of": str(d), "balance": int(round(total[i])), "record": bool(rec.record[i]), "previous_record": prev}
            )
        return Series(dates, facts)

    def _lending_indicator(self) -> list[Chart | None]:
        total = self._lending_total()
        if total is None:
            return []
        last = total.facts[-1]
        peak = _record_balance(last)
        rows = thin_history(self._balance_rows(total.facts, peak), leverage.WEEKLY)
        history = Chart(
            self.template("lending-history"),
            rows,
            self._balance_alt(
                f"stock-lending balance of the {len(self.hist.stock_lending)} tracked stocks together",
                rows,
                "since the data begin (weekly before the last two years; drag to zoom)",
            ),
            "lending-history",
        )
        return [history, self._lending_chart(_day(last["as_of"]), {})]

    # ----------------------------------------------------------------- stock pages

    def _stock_price(self, ticker: str) -> Chart | None:
        series = self.hist.stocks.get(ticker)
        if series is None:
            return None
        name = self._names().get(ticker, ticker)
        chart = self._price_history(series, "stock-price-history", name, "won")
        if chart is not None:
            chart.title = f"{name}: share price since the data begin (drag to zoom)"
        return chart

    def _stock_lending(self, ticker: str) -> Chart | None:
        series = self.hist.stock_lending.get(ticker)
        if series is None or not series.facts:
            return None
        name = self._names().get(ticker, ticker)
        peak = _record_balance(series.facts[-1])
        rows = thin_history(self._balance_rows(series.facts, peak), leverage.WEEKLY)
        chart = Chart(
            self.template("stock-lending-history"),
            rows,
            self._balance_alt(
                f"stock-lending balance of {name}", rows, "since the data begin (weekly before the last two years; drag to zoom)"
            ),
            "stock-lending-history",
        )
        chart.title = f"{name}: stock-lending balance since the data begin (drag to zoom)"
        return chart
