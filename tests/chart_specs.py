"""A chart's spec as the browser draws it, read from a built page: the twin of assets/charts.js.

A page carries each chart's rows (packed) and the key of its template; the template is a script
in ``assets/specs/`` that the page loads. Tests that check what a chart says read the spec
through here, so they check what a reader's browser puts together.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.charts import DATA_NAME, unpack_rows

_SCRIPT = re.compile(r'^\(window\.kospiCharts = window\.kospiCharts \|\| \{\}\)\[("[^"]+")\] = (.*);\n$', re.S)


def spec_script(path: Path) -> tuple[str, dict]:
    """The key and the spec a template's script registers."""
    match = _SCRIPT.match(path.read_text(encoding="utf-8"))
    assert match, f"{path} is not a chart template script"
    return json.loads(match.group(1)), json.loads(match.group(2))


def site_root(page: Path) -> Path:
    """The site folder a page belongs to (the folder that holds ``assets/``)."""
    for folder in page.parents:
        if (folder / "assets" / "charts.js").is_file():
            return folder
    raise AssertionError(f"{page} is not in a built site")


def page_spec(page: Path, slug: str) -> dict:
    """The full spec of chart ``slug`` on the page at ``page`` (its index.html)."""
    html = page.read_text(encoding="utf-8")
    block = re.search(rf'<script type="application/json" id="spec-{re.escape(slug)}">(.*?)</script>', html, re.S)
    assert block, f"{page} has no chart {slug}"
    data = json.loads(block.group(1))
    if "template" not in data:
        return data
    key = data["template"]
    script = site_root(page) / "assets" / "specs" / f"{key}.js"
    assert f'/specs/{key}.js"' in html, f"{page} does not load the template of {slug}"
    registered, spec = spec_script(script)
    assert registered == key
    return {**spec, "datasets": {DATA_NAME: unpack_rows(data)}}
