"""What a chart family is: the parts one module (generator/charts/<family>.py) adds to the catalogue.

A family module owns everything about its charts: the Altair template of each (built once per
build), the rows a page's chart draws (which are also its CSV and data table) and the text
alternative that says what the chart shows. It declares them in one ``FAMILY`` value; the
catalogue (generator/charts/catalogue.py) lists the family modules and asks each for its charts,
so adding a chart touches its family's module and nothing else (docs/charts.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from generator.analysis.history import History
from generator.charts import Chart, ChartTemplate
from generator.charts.theme import Theme
from generator.charts.words import ChartWords, words
from generator.dataset import Dataset
from generator.snapshot_types import Snapshot

ENGLISH = words("en")


class Charting(Protocol):
    """What a family's chart makers read: the build's data and the catalogue's templates."""

    data: Dataset
    hist: History
    index_name: str
    theme: Theme

    @property
    def words(self) -> ChartWords: ...

    def template(self, template_id: str) -> ChartTemplate: ...

    def names(self) -> dict[str, str]: ...


#: ``factory(index_name, theme)`` -> the template (titles may name the headline index).
TemplateFactory = Callable[[str, Theme], ChartTemplate]
#: A report's chart on a day (None when the data are missing).
ReportChart = Callable[[Charting, dt.date, Snapshot], "Chart | None"]
#: An indicator page's charts (None entries are left out).
IndicatorCharts = Callable[[Charting], "list[Chart | None]"]
#: A tracked stock's chart (None when the data are missing).
StockChart = Callable[[Charting, str], "Chart | None"]


@dataclass(frozen=True)
class ChartFamily:
    """One family's templates and chart makers, in the order its pages show them."""

    templates: dict[str, TemplateFactory]
    #: charts of a day's report (and of the home page), in page order
    report: tuple[ReportChart, ...] = ()
    #: indicator pages by slug ("kospi" is the headline index's page, whatever its name)
    indicators: dict[str, IndicatorCharts] = field(default_factory=dict)
    #: charts of a tracked stock's page
    stock: tuple[StockChart, ...] = ()


# ----------------------------------------------------------------- helpers every family uses


def day_of(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def span(rows: list[dict], key: str = "date", words: ChartWords = ENGLISH) -> str:
    """ "from Oct. 6, 2025 to Jan. 7, 2026" for alt texts (in ``words``' language)."""
    return words.span(day_of(rows[0][key]), day_of(rows[-1][key]))


_WINDOW = re.compile(r", (?:\d+ (?:trading days|months?|years?))$")
_WINDOW_KO = re.compile(r", (?:최근 )?\d+(?:거래일|개월|년)$")


def windowed(chart: Chart, complete: bool, words: ChartWords = ENGLISH) -> Chart:
    """A chart of a fixed window ("…, 5 years") whose data begin later than the window says
    is titled by what it shows ("…, since June 2023"): a title never names more than the data."""
    if not complete and chart.rows:
        first = words.month_year(day_of(chart.rows[0]["date"]))
        window = _WINDOW_KO if words.korean else _WINDOW
        since = words._(", since {month}").format(month=first)
        title = window.sub(since, chart.caption)
        chart.title = title if title != chart.caption else chart.caption + words._(" (data since {month})").format(month=first)
    return chart
