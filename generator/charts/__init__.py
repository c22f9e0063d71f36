"""Stage 5, chart: the catalogue of Altair charts.

Each chart family has a module that builds its Altair chart once per build against a named,
empty data source; ``Catalogue`` keeps the resulting Vega-Lite specs, and a page gets a chart
by filling that template with its own rows (``ChartTemplate.fill``), which costs a dict copy
rather than a new Altair object and a schema validation per page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

DATA_NAME = "table"


@dataclass(frozen=True)
class ChartTemplate:
    """A Vega-Lite spec with no data; ``fill`` gives a page's spec."""

    id: str
    title: str
    spec: dict
    columns: tuple[str, ...]  # the data columns, in CSV order

    def fill(self, rows: list[dict]) -> dict:
        return {**self.spec, "datasets": {DATA_NAME: rows}}


@dataclass
class Chart:
    """One chart on one page: its spec, its rows (for the CSV and the table) and its text alternative."""

    template: ChartTemplate
    rows: list[dict]
    alt: str
    slug: str  # file-name-safe id, unique on the page
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def spec(self) -> dict:
        return self.template.fill(self.rows)

    @property
    def csv_name(self) -> str:
        return f"{self.slug}.csv"

    def spec_json(self) -> str:
        """The spec as JSON that is safe inside a <script type="application/json"> block:
        "<", ">" and "&" are escaped so no data string can close the block."""
        text = json.dumps(self.spec, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
