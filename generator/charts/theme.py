"""One chart theme matching the site's CSS (fonts, greys, accent), light and dark, two colour conventions.

Every colour a chart uses is a light-mode literal from this module. A spec carries the light
colours plus ``usermeta.darkColors``, a map from each light colour to its dark-mode twin, which
the site script (assets/charts.js) swaps in when the reader's system prefers dark. So the
theme lives here only, and the static fallback images (rendered at build time) are light.

Gains and losses: ``color_convention`` "western" is green up and red down, "korean" red up and
blue down (site.toml). Charts never tell a gain from a loss by colour alone: the palettes are
paired with a sign (▲/▼, +/−) or a line dash, and every colour here passes 3:1 contrast
against its background (WCAG 1.4.11 for graphics), checked by tests/test_charts.py.

Other chart modules (``research.py`` too) use it as::

    from generator.charts.theme import Theme, finish
    theme = Theme("korean")
    template = finish(altair_chart, "my-chart", "Title", ("date", "value"), theme)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import altair as alt
from altair.typing import ChartType

from generator.charts import DATA_NAME, ChartTemplate
from generator.charts.palette import (  # noqa: F401 - re-exported for chart modules
    ACCENT,
    ACCENT_DARK,
    BACKGROUND,
    BACKGROUND_DARK,
    FONT,
    GRID,
    GRID_DARK,
    INVESTORS,
    MUTED,
    MUTED_DARK,
    PALETTES,
    RECORD,
    RECORD_DARK,
    SERIES,
    TEXT,
    TEXT_DARK,
)
from generator.charts.words import DATE_FORMAT, TIME_LABELS, ChartWords, words

#: Each investor's line dash, so lines differ by more than colour.
INVESTOR_DASHES: dict[str, list[int]] = {
    "individuals": [1, 0],
    "institutions": [6, 3],
    "foreigners": [2, 2],
    "other": [8, 3, 2, 3],
}
INVESTOR_LABELS = {"individuals": "Individuals", "institutions": "Institutions", "foreigners": "Foreigners", "other": "Other"}

# Compatibility names (light colours).
INVESTOR_COLORS = {k: v[0] for k, v in INVESTORS.items()}



@dataclass(frozen=True)
class Theme:
    """The palette of one site: its colour convention; light colours, dark twins in ``dark_colors``."""

    convention: str = "western"
    #: the edition's language: the charts' words and date and number styles (generator/charts/words.py)
    lang: str = "en"

    @property
    def words(self) -> ChartWords:
        return words(self.lang)

    @property
    def up(self) -> str:
        return PALETTES[self._conv]["up"][0]

    @property
    def down(self) -> str:
        return PALETTES[self._conv]["down"][0]

    @property
    def _conv(self) -> str:
        return self.convention if self.convention in PALETTES else "western"

    def config(self) -> dict:
        """The Vega-Lite ``config`` block (light)."""
        return config()

    def dark_colors(self) -> dict[str, str]:
        """Light colour -> dark colour, for every colour a spec of this theme may use."""
        pairs = [
            (TEXT, TEXT_DARK),
            (MUTED, MUTED_DARK),
            (GRID, GRID_DARK),
            (ACCENT, ACCENT_DARK),
            (RECORD, RECORD_DARK),
            (BACKGROUND, BACKGROUND_DARK),
            *PALETTES[self._conv].values(),
            *INVESTORS.values(),
            *SERIES,
        ]
        return dict(pairs)


def config(dark: bool = False) -> dict:
    """A Vega-Lite config block matching site.css: system fonts, quiet greys, no chart border.

    ``dark=True`` gives the dark twin (kept for callers that want a dark static image)."""
    text, muted, grid = (TEXT_DARK, MUTED_DARK, GRID_DARK) if dark else (TEXT, MUTED, GRID)
    accent = ACCENT_DARK if dark else ACCENT
    return {
        "background": None,
        "font": FONT,
        "padding": {"left": 2, "right": 8, "top": 6, "bottom": 2},
        "view": {"stroke": None},
        "axis": {
            "labelColor": muted,
            "titleColor": muted,
            "gridColor": grid,
            "domainColor": grid,
            "tickColor": grid,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "labelFlush": True,
        },
        "axisX": {"grid": False, "domainColor": muted, "tickColor": muted},
        "legend": {
            "labelColor": text,
            "titleColor": muted,
            "labelFontSize": 12,
            "orient": "top",
            "direction": "horizontal",
            "symbolStrokeWidth": 2.5,
        },
        "title": {"color": text, "fontSize": 14, "anchor": "start", "fontWeight": 600},
        "text": {"color": text, "fontSize": 12},
        "line": {"color": accent, "strokeWidth": 2},
        "area": {"color": accent},
        "bar": {"color": accent},
        "point": {"color": accent},
        "rule": {"color": muted},
    }


#: Dark overrides of the config (published for callers that render dark images themselves).
DARK = config(dark=True)


def won_text(field: str) -> str:
    """A Vega expression that reads a won amount the way the report does: "27.6 trillion won",
    "978 billion won", "−209.2 billion won" (true minus sign; up to 1 decimal, zeros dropped).

    The unit thresholds are those of ``formatting.won``: a unit is used once the next smaller
    one would read 1,000 at one decimal (999.95 billion is "1 trillion"), and amounts under a
    million are written out to the won (999,999.5 rounds up to "1 million won")."""
    v = f"datum[{field!r}]"
    return (
        "("
        + (
            f"!isValid({v}) ? 'no data' : "
            f"abs({v}) >= 0.99995e12 ? format({v} / 1e12, ',.1~f') + ' trillion won' : "
            f"abs({v}) >= 0.99995e9 ? format({v} / 1e9, ',.1~f') + ' billion won' : "
            f"abs({v}) >= 999999.5 ? format({v} / 1e6, ',.1~f') + ' million won' : "
            f"format({v}, ',.0f') + ' won'"
        )
        + ")"
    )


def number_text(field: str, spec: str, suffix: str = "") -> str:
    """A Vega expression for a number in a tooltip, in d3-format ``spec`` ("+.2f", ",.0f"), or
    "no data" where the row has none (the first day of a series has no change), never "null"."""
    v = f"datum[{field!r}]"
    return f"(isValid({v}) && isFinite({v}) ? format({v}, {spec!r}){' + ' + repr(suffix) if suffix else ''} : 'no data')"


def signed_won_text(field: str) -> str:
    """``won_text`` with a plus sign on gains: "+1.2 trillion won", "−978 billion won"."""
    return f"(datum[{field!r}] > 0 ? '+' : '') + ({won_text(field)})"


def time_x(field: str = "date", *, monthly: bool = False) -> alt.X:
    """The x encoding of a chart over trading days (a UTC time scale).

    ``monthly`` puts a tick on the first of every month (windows of a few months, read by
    month); otherwise there is about one tick per 80 px and Vega picks the interval that gives
    it (years or quarters on a long history or a phone, months on a year). Labels follow
    ``TIME_LABELS``, and with that spacing they fit without thinning, which could drop a year."""
    axis = alt.Axis(
        labelExpr=TIME_LABELS,
        labelOverlap=True,
        labelSeparation=8,
        grid=False,
        # about one label per 80 px: quarters and years on a long history, months on a year
        tickCount={"interval": "month", "step": 1} if monthly else {"expr": "ceil(width / 80)"},
    )
    return alt.X(f"{field}:T", title=None, scale=alt.Scale(type="utc"), axis=axis)


def trading_day_x(field: str = "date") -> alt.X:
    """The x encoding of a short window of trading days (a few weeks): one place per trading
    day (no gaps for weekends and holidays), each labelled with its date, thinned to fit."""
    return alt.X(
        f"{field}:O",
        title=None,
        axis=alt.Axis(labelExpr="utcFormat(toDate(datum.value), '%b %-d')", labelAngle=0, labelOverlap=True, labelSeparation=8),
    )


def date_tooltip(field: str = "date", title: str = "Date") -> alt.Tooltip:
    """Dates in tooltips, read in UTC (a "utc" time unit) so that a reader west of Greenwich
    does not see the day before: dates in the data are midnight UTC."""
    return alt.Tooltip(f"utcyearmonthdate({field}):T", title=title, format=DATE_FORMAT)


def finish(
    chart: ChartType,
    chart_id: str,
    title: str,
    columns: tuple[str, ...],
    theme: Theme,
    *,
    headers: dict[str, str] | None = None,
    kinds: dict[str, str] | None = None,
    responsive: bool = True,
) -> ChartTemplate:
    """Turn an Altair chart drawn from the named data source into a template: validated once
    (Altair checks the Vega-Lite schema), data removed, the site's config and dark colours added.

    ``kinds`` says how the data table shows each column (see ``generator.charts.table_cell``)."""
    chart = chart.copy(deep=False)
    chart.data = alt.Data(name=DATA_NAME)  # the one data source; sub-views inherit it
    spec = chart.to_dict(validate=True)
    spec.pop("datasets", None)
    if theme.lang != "en":
        spec = localised(spec, theme.words)
    spec["config"] = theme.config()
    spec["usermeta"] = {"darkColors": theme.dark_colors()}
    if responsive:
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return ChartTemplate(chart_id, title, spec, tuple(columns), dict(headers or {}), dict(kinds or {}), theme.lang)


_WON_FIELD = re.compile(r"\(!isValid\(datum\['([^']+)'\]\) \? 'no data' : abs")


def localised(spec: dict, words: ChartWords) -> dict:
    """An English template's Vega expressions in another edition's conventions: time-axis
    labels, tooltip dates, won amounts and "no data" (a chart's titles and labels are chosen
    in that language where it is built; these are written by the helpers above, which every
    chart shares)."""
    text = json.dumps(spec, ensure_ascii=False)
    for field in set(_WON_FIELD.findall(text)):
        text = text.replace(json.dumps(won_text(field))[1:-1], json.dumps(words.won_text(field), ensure_ascii=False)[1:-1])
    swaps = {
        TIME_LABELS: words.time_labels,
        DATE_FORMAT: words.date_format,
        "utcFormat(toDate(datum.value), '%b %-d')": words.day_label,
        "'no data'": repr(words._("no data")),
    }
    for english, other in swaps.items():
        text = text.replace(json.dumps(english)[1:-1], json.dumps(other, ensure_ascii=False)[1:-1])
    return json.loads(text)


def register_altair_theme() -> None:
    """Make the site's look Altair's default theme "kospi_report" (for notebooks and research)."""

    @alt.theme.register("kospi_report", enable=True)
    def _theme() -> alt.theme.ThemeConfig:
        # config() is the plain JSON block every spec carries, not Altair's ConfigKwds TypedDict.
        return {"config": config()}  # type: ignore[typeddict-item]
