"""Light report pages: a chart's template is a script in assets/specs/, fetched once for every page
that shows the chart; the page carries only its rows, packed, and a data table of its newest rows.

What a reader relies on: every chart still draws exactly the spec it drew before (template plus
the page's rows), from a server and from a site opened from disk; the CSV beside a chart still has
every row; the data table says when it shows only the newest of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.charts import DATA_NAME, TABLE_ROWS, Chart, ChartTemplate, packed_rows, safe_json, unpack_rows
from tests.chart_specs import page_spec, spec_script

REPORT = "reports/2026-01-07/index.html"

values = st.one_of(st.none(), st.booleans(), st.integers(-(10**15), 10**15), st.floats(allow_nan=False, allow_infinity=False),
                   st.text(max_size=4))
fields = st.lists(st.sampled_from(["date", "close", "ticker", "name", "balance", "record"]), min_size=1, max_size=6, unique=True)


@settings(suppress_health_check=[HealthCheck.too_slow])  # drawing rows of dicts is slow on a busy machine
@given(st.data())
def test_rows_unpack_to_exactly_the_rows_packed(data) -> None:
    names = data.draw(fields)
    same = data.draw(st.booleans())
    rows = data.draw(st.lists(
        st.fixed_dictionaries({n: values for n in names}) if same
        else st.dictionaries(st.sampled_from(names), values, min_size=1), max_size=12))
    packed = packed_rows(rows)
    # through JSON, as the page carries them
    assert unpack_rows(json.loads(safe_json(packed))) == json.loads(safe_json(rows))
    if same and rows:
        assert sorted(packed["columns"]) == sorted(names) and "objects" not in packed


def test_rows_that_differ_stay_objects_so_no_field_becomes_null() -> None:
    rows = [{"date": "2026-01-06", "close": 1.0}, {"date": "2026-01-07"}]
    assert packed_rows(rows) == {"objects": rows}
    assert unpack_rows(packed_rows(rows))[1] == {"date": "2026-01-07"}


def _template(spec: dict, id: str = "index-3m") -> ChartTemplate:
    return ChartTemplate(id, "KOSPI", spec, ("date", "close"), kinds={"date": "date"})


def test_a_changed_template_is_a_new_script() -> None:
    a, b = _template({"mark": "line"}), _template({"mark": "area"})
    assert a.key != b.key and a.asset != b.asset and a.asset.startswith("assets/specs/index-3m.en.")
    assert _template({"mark": "line"}).key == a.key, "the same template keeps its name from build to build"


def _days(n: int, tickers: tuple[str, ...] = ("",)) -> list[dict]:
    import datetime as dt

    first = dt.date(2025, 1, 1)
    return [{"date": (first + dt.timedelta(days=i)).isoformat(), "close": float(i), **({"ticker": t} if t else {})}
            for t in tickers for i in range(n)]


@pytest.mark.parametrize(
    ("rows", "shown", "first_date"),
    [
        (_days(12), 12, "2025-01-01"),  # short: every row
        (_days(250), TABLE_ROWS, "2025-08-19"),  # a year: the newest TABLE_ROWS days
        (_days(21, ("a", "b", "c", "d", "e", "f")), 18, "2025-01-19"),  # six stocks: the newest three days of each
    ],
)
def test_the_data_table_shows_the_newest_days_and_the_csv_every_row(rows, shown, first_date) -> None:
    from generator.charts import chart_csv

    chart = Chart(_template({"mark": "line"}), rows, "alt", "index-3m")
    table = chart.table_source
    assert len(table) == shown and min(r["date"] for r in table) == first_date
    assert max(r["date"] for r in table) == max(r["date"] for r in rows)
    assert [r for r in rows if r in table] == table, "rows keep their order"
    assert len(chart_csv(chart).splitlines()) == len(rows) + 1


def test_pages_carry_rows_and_load_their_templates_once(sample_site: Path) -> None:
    scripts = sorted((sample_site / "assets" / "specs").glob("*.js"))
    assert scripts, "the site publishes its chart templates"
    keys = {spec_script(path)[0] for path in scripts}
    assert {path.stem for path in scripts} == keys
    pages = [sample_site / REPORT, sample_site / "index.html", sample_site / "indicators" / "margin-loans" / "index.html",
             sample_site / "stocks" / "005930" / "index.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        slugs = re.findall(r'<script type="application/json" id="spec-([^"]+)">', html)
        assert slugs, page
        for slug in slugs:
            block = re.search(rf'id="spec-{slug}">(.*?)</script>', html, re.S).group(1)
            assert '"$schema"' not in block and '"usermeta"' not in block, f"{page}: {slug} carries its template"
            spec = page_spec(page, slug)
            assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/") and spec["datasets"][DATA_NAME]
        loaded = re.findall(r'<script src="[^"]*assets/specs/([^"]+)\.js" defer>', html)
        assert len(loaded) == len(set(loaded)) and set(loaded) <= keys, page
        assert html.index("assets/specs/") < html.index("assets/charts.js"), "templates load before the script that uses them"


def test_the_headline_charts_rows_on_the_page_are_the_days_rows(sample_site: Path) -> None:
    spec = page_spec(sample_site / REPORT, "index-3m")
    rows = spec["datasets"][DATA_NAME]
    newest = rows[-1]
    assert newest["date"] == "2026-01-07" and newest["close"] == 4551.06 and newest["high"] == 4611.72
    assert newest["previous_record_high"] == 4525.48


@pytest.mark.browser
def test_charts_draw_from_a_site_opened_from_disk(browser, sample_site: Path) -> None:
    """No server: the page and its template scripts come from file:// (a fetch would fail there)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((sample_site / REPORT).as_uri())
        page.wait_for_function(
            "() => [...document.querySelectorAll('.vega')].every(c => c.classList.contains('drawn') || c.classList.contains('failed'))",
            timeout=60_000,
        )
        assert page.locator(".vega").count() == 6 == page.locator(".vega.drawn").count()
        assert errors == []
    finally:
        context.close()


def _pixels(svg: str):
    import io

    import vl_convert
    from PIL import Image

    return Image.open(io.BytesIO(vl_convert.svg_to_png(svg, scale=1))).convert("RGB")


@pytest.mark.parametrize("day", ["2026-01-07", "2024-08-05", "2023-11-06"])
def test_the_inline_headline_picture_is_lighter_and_looks_the_same(sample_site: Path, day: str) -> None:
    """A report carries its headline chart's static SVG whole (what shows until the chart
    draws): slimmed, it must still be the same picture, with the same labels."""
    from PIL import ImageChops

    from generator.charts.images import inline_svg, render_svg, static_spec

    page = sample_site / "reports" / day / "index.html"
    shown = re.search(r'<div class="fallback">(<svg.*?</svg>)</div>', page.read_text(encoding="utf-8"), re.S)
    assert shown, f"{day}: the headline chart has an inline picture"
    full = render_svg(static_spec(page_spec(page, "index-3m")))
    assert shown.group(1) == inline_svg(full), "the page carries the slimmed drawing of its own rows"
    assert len(shown.group(1).encode()) <= 0.75 * len(full.encode())
    assert re.findall(r">([^<>]+)</text>", shown.group(1)) == re.findall(r">([^<>]+)</text>", full), "every label, word for word"
    before, after = _pixels(full), _pixels(shown.group(1))
    assert before.size == after.size
    difference = ImageChops.difference(before, after)
    changed = sum(1 for pixel in difference.get_flattened_data() if max(pixel) > 16)
    assert changed <= 0.005 * before.width * before.height, f"{changed} pixels changed visibly"
    assert max(high for _low, high in difference.getextrema()) <= 96, "no pixel changes by more than anti-aliasing would"
