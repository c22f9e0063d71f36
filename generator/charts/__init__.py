"""Stage 6, chart: the catalogue of Altair charts.

Each chart family has a module that builds its Altair charts once per build against a named,
empty data source and says which rows and text each page's chart has (generator/charts/family.py);
``Catalogue`` keeps the resulting Vega-Lite specs, and a page gets a chart by filling that
template with its own rows (``ChartTemplate.fill``), which costs a dict copy rather than a new
Altair object and a schema validation per page.

The rows a chart draws are exactly the rows of its CSV, so a reader who downloads the data gets
what the chart shows. A page carries only those rows: the template, the same on every page that
shows the chart, is a script of its own in ``assets/specs/`` (``ChartTemplate.asset``), which a
browser fetches once and caches, and ``assets/charts.js`` puts the two together.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup, escape

from generator import formatting as fmt

DATA_NAME = "table"
#: The most rows a chart's data table shows: the newest days' (the CSV beside it has every row).
TABLE_ROWS = 20
#: Where the chart templates' scripts live (one per template and edition, see ``ChartTemplate.asset``).
SPECS_FOLDER = "assets/specs/"


@dataclass(frozen=True)
class ChartTemplate:
    """A Vega-Lite spec with no data; ``fill`` gives a page's spec.

    ``columns`` are the data columns in CSV order, ``headers`` their human names and ``kinds``
    how the data table shows them (see ``table_cell``)."""

    id: str
    title: str
    spec: dict
    columns: tuple[str, ...]
    headers: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    #: the language of its words and of its data table's figures and dates
    lang: str = "en"

    def fill(self, rows: list[dict]) -> dict:
        """The page's spec: the template with ``rows`` as its one dataset (a shallow copy)."""
        return {**self.spec, "datasets": {DATA_NAME: rows}}

    @cached_property
    def key(self) -> str:
        """The name the template's script registers it under: its id, language and a digest of
        its spec ("index-3m.en.1f2e3d4c5b6a"), so a changed template is a new file and a page
        never draws with a template other than the one it was written with."""
        digest = hashlib.blake2b(safe_json(self.spec).encode("utf-8"), digest_size=6).hexdigest()
        return f"{self.id}.{self.lang}.{digest}"

    @property
    def asset(self) -> str:
        """The site path of the template's script (see ``spec_script``)."""
        return f"{SPECS_FOLDER}{self.key}.js"

    def spec_script(self) -> str:
        """The template as a script that registers its spec in ``window.kospiCharts`` for
        assets/charts.js. A script rather than JSON to fetch, so charts draw from a site opened
        from disk too (browsers do not let a page fetch files there)."""
        return f"(window.kospiCharts = window.kospiCharts || {{}})[{json.dumps(self.key)}] = {safe_json(self.spec)};\n"


@dataclass
class Chart:
    """One chart on one page: its spec, its rows (for the CSV and the table) and its text alternative.

    ``fallback_svg`` is a static rendering inlined in the page, shown until the interactive chart
    draws (and without JavaScript): a report's headline chart has one. Every other chart has
    ``image_svg``, the same kind of rendering written beside the page as ``svg_name`` and shown
    only without JavaScript (``<noscript>``), so readers with JavaScript never fetch it."""

    template: ChartTemplate
    rows: list[dict]
    alt: str
    slug: str  # file-name-safe id, unique on the page
    headers: dict[str, str] = field(default_factory=dict)
    fallback_svg: str | None = None
    image_svg: str | None = None
    title: str | None = None  # overrides the template's title (e.g. a stock's name)
    #: whether the template is one of the catalogue's, whose script assets/specs/ has; a chart
    #: made on its own (the research page's) carries its whole spec in the page
    shared: bool = True

    @property
    def spec(self) -> dict:
        return self.template.fill(self.rows)

    @property
    def caption(self) -> str:
        return self.title or self.template.title

    @property
    def csv_name(self) -> str:
        return f"{self.slug}.csv"

    @property
    def svg_name(self) -> str:
        return f"{self.slug}.svg"

    def header(self, column: str) -> str:
        return self.headers.get(column) or self.template.headers.get(column) or column

    @property
    def table_source(self) -> list[dict]:
        """The rows the data table shows: every row of a short chart; of a longer one, the rows
        of its newest dates, at most ``TABLE_ROWS`` (a year of margin loans is 250 rows, most
        of a report page's weight as a table nobody reads row by row; the CSV link beside the
        table has them all). Rows keep their order, so a chart of several stocks (one run of
        days per stock) shows each stock's newest days."""
        if len(self.rows) <= TABLE_ROWS or not all("date" in row for row in self.rows):
            return self.rows
        dates = sorted({row["date"] for row in self.rows}, reverse=True)
        per_date = -(-len(self.rows) // len(dates))  # rows a date has (several stocks: one each)
        keep = set(dates[: max(1, TABLE_ROWS // per_date)])
        return [row for row in self.rows if row["date"] in keep]

    def table_rows(self) -> list[list[str]]:
        """The rows as the data table shows them: numbers formatted the report's way."""
        cols = self.template.columns
        kinds = self.template.kinds
        lang = self.template.lang
        return [[table_cell(row.get(c), kinds.get(c, ""), lang) for c in cols] for row in self.table_source]

    def table_body(self) -> Markup:
        """The data table's rows as HTML (``<tr><td>…</td></tr>`` per row, every cell escaped).

        Built here rather than in a template loop: a report page has several hundred rows of
        data tables, and escaping them cell by cell through Jinja was a third of its render time."""
        return Markup("".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>\n" for row in self.table_rows()))

    def spec_json(self) -> str:
        """The spec as JSON that is safe inside a <script type="application/json"> block:
        "<", ">" and "&" are escaped so no data string can close the block."""
        return safe_json(self.spec)

    def page_json(self) -> str:
        """What the page itself carries for assets/charts.js, as safe JSON: for a catalogue
        chart, its template's key and its rows packed (``packed_rows``:
        ``{"template": key, "columns": [...], "rows": [[...], ...]}``); for a chart made on
        its own, its whole spec."""
        if not self.shared:
            return self.spec_json()
        return safe_json({"template": self.template.key, **packed_rows(self.rows)})


def chart_csv(chart: Chart) -> str:
    """The rows a chart draws, as CSV with the chart's own column names."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(chart.template.columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in chart.rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in chart.template.columns})
    return out.getvalue()


def chart_files(chart: Chart) -> dict[str, str]:
    """The files a chart has beside its page: its CSV, and its static SVG when it has one."""
    files = {chart.csv_name: chart_csv(chart)}
    if chart.image_svg is not None:
        files[chart.svg_name] = chart.image_svg
    return files


def packed_rows(rows: list[dict]) -> dict[str, list]:
    """Rows as ``{"columns": [...], "rows": [[...], ...]}`` when every row has the same fields
    (the field names written once, not once a row); rows that differ stay objects
    (``{"objects": [...]}``), so a field a row lacks is never turned into a null, which a chart
    can read differently. assets/charts.js unpacks both; ``unpack_rows`` is its twin here."""
    names = list(rows[0]) if rows else []
    fields = set(names)
    if any(row.keys() != fields for row in rows):
        return {"objects": rows}
    return {"columns": names, "rows": [[row[n] for n in names] for row in rows]}


def unpack_rows(packed: dict[str, list]) -> list[dict]:
    """The rows ``packed_rows`` packed, exactly as they were."""
    if "objects" in packed:
        return packed["objects"]
    names = packed["columns"]
    return [dict(zip(names, values, strict=True)) for values in packed["rows"]]


def safe_json(value: object) -> str:
    """Compact JSON with "<", ">" and "&" escaped, for embedding in HTML."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def table_cell(value: object, kind: str, lang: str = "en") -> str:
    """One cell of a chart's data table.

    kinds: ``date`` (Jan. 7, 2026), ``month`` (June 2024, for a row that stands for a month),
    ``level`` (4,551.06), ``won`` (27.6 trillion won, exact in the CSV), ``won_signed`` (+978
    billion won), ``price`` (362,000), ``index`` (103.4), ``pct`` (+0.57, −1.20: a change in
    percent, the % in the column's name), ``bool`` (yes/blank); anything else as is. In Korean
    (``lang`` "ko") dates, months, amounts and "yes" read the Korean way (2026년 1월 7일,
    2024년 6월, 27조 6,224억 원, 예). Every minus is a true minus, as in the prose."""
    if value is None or value == "":
        return ""
    if kind == "pct" and isinstance(value, int | float):
        return fmt.signed(value, 2)
    if kind == "month" and isinstance(value, str):
        from generator.charts.words import words

        return words(lang).month_year(dt.date.fromisoformat(value))
    if lang != "en" and kind in ("date", "won", "won_signed", "bool"):
        from generator.charts.words import words

        said = words(lang)
        if kind == "date" and isinstance(value, str):
            return said.date(dt.date.fromisoformat(value))
        if kind == "won" and isinstance(value, int | float):
            return said.won(value, 2)
        if kind == "won_signed" and isinstance(value, int | float):
            return said.signed_won(value, 2)
        if kind == "bool":
            return said.yes(value)
    if kind == "date" and isinstance(value, str):
        day = dt.date.fromisoformat(value)
        return f"{fmt.month_day(day)}, {day.year}"
    if kind == "level" and isinstance(value, int | float):
        return fmt.level(value)
    if kind == "won" and isinstance(value, int | float):
        return fmt.won(value, 2)
    if kind == "won_signed" and isinstance(value, int | float):
        return fmt.signed_won(value, 2)
    if kind == "price" and isinstance(value, int | float):
        return fmt.won_price(value)
    if kind == "index" and isinstance(value, int | float):
        return f"{value:,.1f}"
    if kind == "bool":
        return "yes" if value else ""
    return str(value)
