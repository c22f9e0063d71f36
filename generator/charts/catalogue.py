"""The catalogue: every chart template, built once per build, and the charts of each page."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import numpy as np

from generator import formatting as fmt
from generator.analysis.history import History
from generator.charts import Chart, ChartTemplate, flows, index_level, leverage
from generator.dataset import Dataset

REPORT_WINDOW = 63  # about three months of trading days
FLOW_WINDOW = 20
MARGIN_DAYS = 365


class Catalogue:
    """Chart templates for one build; page methods fill them with that page's rows."""

    def __init__(self, data: Dataset, hist: History):
        self.data = data
        self.hist = hist
        self.index_name = data.config.headline_index

    @cached_property
    def templates(self) -> dict[str, ChartTemplate]:
        name = self.index_name
        return {
            "index-3m": index_level.template("index-3m", f"{name}: close and intraday range, 3 months"),
            "flows-20d": flows.daily_template("flows-20d", f"Net buying by investor type, {name} market, 20 days"),
            "margin-1y": leverage.balance_template("margin-1y", "Margin-loan balance, 1 year"),
        }

    def report_charts(self, day: dt.date, snap: dict) -> list[Chart]:
        """The charts of a day's report, the headline chart first."""
        charts = [self._index_chart(day, snap)]
        for maker in (self._flows_chart, self._margin_chart):
            chart = maker(day)
            if chart is not None:
                charts.append(chart)
        return [c for c in charts if c is not None]

    def _window(self, series, day: dt.date, count: int) -> range:
        end = series.at(np.array([np.datetime64(day, "D")]))[0]
        return range(max(0, end - count + 1), end + 1)

    def _index_chart(self, day: dt.date, snap: dict) -> Chart | None:
        series = self.hist.indices.get(self.index_name)
        if series is None:
            return None
        today = snap["indices"][self.index_name]
        prev = (today.get("previous_record_high") or {}).get("value")
        rows = [
            {
                "date": f["as_of"],
                "open": f["open"],
                "high": f["high"],
                "low": f["low"],
                "close": f["close"],
                "record_high": f["record_high"],
                "previous_record": prev,
            }
            for f in (series.facts[i] for i in self._window(series, day, REPORT_WINDOW))
        ]
        first = dt.date.fromisoformat(rows[0]["date"])
        alt = (
            f"Line chart of the {self.index_name} daily close with its intraday range from "
            f"{fmt.month_day(first, day)} to {fmt.month_day(day)}: it closed at {fmt.level(today['close'])} "
            f"on {fmt.month_day(day)}, with a high of {fmt.level(today['high'])}"
            + (" (a record)" if today["record_high"] else "")
            + (f"; the previous record high was {fmt.level(prev)}" if prev else "")
            + "."
        )
        return Chart(self.templates["index-3m"], rows, alt, "index-3m",
                     {"date": "Date", "open": "Open", "high": "High", "low": "Low", "close": "Close",
                      "record_high": "Record high", "previous_record": "Previous record high"})

    def _flows_chart(self, day: dt.date) -> Chart | None:
        series = self.hist.flows.get(self.index_name)
        if series is None:
            return None
        window = self._window(series, day, FLOW_WINDOW)
        if not len(window):
            return None
        rows = []
        for i in window:
            facts = series.facts[i]
            for investor, won in facts.items():
                if investor != "as_of":
                    rows.append({"date": facts["as_of"], "investor": investor, "net_buy_won": won, "net_buy_bn": round(won / 1e9, 1)})
        last = series.facts[window[-1]]
        parts = [f"{k} {fmt.won(v)}" for k, v in last.items() if k != "as_of"]
        alt = (
            f"Bar chart of daily net buying by investor type over the last {len(window)} trading days; "
            f"on {fmt.month_day(dt.date.fromisoformat(last['as_of']))}: " + ", ".join(parts) + "."
        )
        return Chart(self.templates["flows-20d"], rows, alt, "flows-20d",
                     {"date": "Date", "investor": "Investor", "net_buy_won": "Net buying (won)", "net_buy_bn": "Net buying (billion won)"})

    def _margin_chart(self, day: dt.date) -> Chart | None:
        series = self.hist.margin_loans.get("total")
        if series is None:
            return None
        end = series.at(np.array([np.datetime64(day, "D")]))[0]
        if end < 0:
            return None
        start_day = np.datetime64(day, "D") - np.timedelta64(MARGIN_DAYS, "D")
        start = int(np.searchsorted(series.dates, start_day))
        rows = [
            {"date": f["as_of"], "balance_won": f["balance"], "balance_tn": round(f["balance"] / 1e12, 4), "record": f["record"]}
            for f in series.facts[start : end + 1]
        ]
        last = series.facts[end]
        alt = (
            f"Line chart of the total margin-loan balance over the past year: {fmt.won(last['balance'])} as of "
            f"{fmt.month_day(dt.date.fromisoformat(last['as_of']))}" + (", a record." if last["record"] else ".")
        )
        return Chart(self.templates["margin-1y"], rows, alt, "margin-1y",
                     {"date": "As of", "balance_won": "Balance (won)", "balance_tn": "Balance (trillion won)", "record": "Record"})
