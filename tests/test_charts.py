"""The chart catalogue: valid Vega-Lite, data that matches the CSV, thinning, colours, alt texts,
static images and their cache. Browser behaviour is in test_charts_browser.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import math
import re
import struct
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import vl_convert
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import formatting as fmt
from generator.analysis.history import analyse
from generator.analysis.series import Series
from generator.build import load_dataset
from generator.charts import Chart, chart_csv, page_images, palette, table_cell
from generator.charts import images as images_mod
from generator.charts.catalogue import INDICATORS, Catalogue
from generator.charts.images import Headline, StaticImages, compose_card, inline_svg, static_spec
from generator.charts.rows import thin_history, thin_weekly, week_of
from generator.charts.theme import (
    ACCENT,
    BACKGROUND,
    BACKGROUND_DARK,
    INVESTORS,
    MUTED,
    PALETTES,
    RECORD,
    TEXT,
    Theme,
    won_text,
)
from generator.snapshot import make_snapshots

CONTENT = Path(__file__).resolve().parents[1] / "content"


@pytest.fixture(scope="module")
def sample():
    """The bundled sample, analysed, with a catalogue that renders no images."""
    data = load_dataset(CONTENT)
    hist = analyse(data)
    snaps = make_snapshots(data, hist)
    catalogue = Catalogue(data, hist, images=StaticImages(None), fallbacks=False)
    return data, hist, snaps, catalogue


def every_chart(catalogue: Catalogue, snaps: dict, data) -> list[Chart]:
    last = list(snaps)[-1]
    charts = catalogue.report_charts(last, snaps[last]) + catalogue.home_charts(last, snaps[last])
    for slug in INDICATORS:
        charts += catalogue.indicator_charts(slug)
    for ticker in data.tracked_tickers[:2]:
        charts += catalogue.stock_charts(ticker)
    return charts


# ----------------------------------------------------------------------------- validity


def test_every_template_is_valid_vega_lite_and_round_trips(sample):
    data, hist, snaps, catalogue = sample
    charts = every_chart(catalogue, snaps, data)
    made = {c.template.id for c in charts}
    assert made == set(catalogue.templates), "every template is used by some page"
    for chart in charts:
        spec = chart.spec
        assert json.loads(chart.spec_json()) == spec  # JSON round trip, nothing lost or changed
        vega = vl_convert.vegalite_to_vega(spec)  # compiles: the spec is valid Vega-Lite
        assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")
        assert spec["datasets"]["table"] == chart.rows


def test_spec_json_cannot_close_its_script_block(sample):
    data, hist, snaps, catalogue = sample
    chart = catalogue.report_charts(list(snaps)[-1], snaps[list(snaps)[-1]])[0]
    evil = replace(chart, rows=[{**chart.rows[0], "date": "</script><script>alert(1)</script>&"}])
    text = evil.spec_json()
    assert "</script" not in text and "<" not in text and "&" not in text.replace("\\u0026", "")
    assert json.loads(text)["datasets"]["table"][0]["date"].startswith("</script>")


def test_templates_are_built_once_and_identically_in_every_build(sample):
    data, hist, snaps, catalogue = sample
    assert catalogue.template("index-3m") is catalogue.template("index-3m")
    again = Catalogue(data, hist, images=StaticImages(None), fallbacks=False)
    # Altair numbers unnamed views and selections from a process-wide counter: a second
    # build in the same process must still produce byte-identical specs (cache keys, page hashes).
    for key, template in catalogue.templates.items():
        assert json.dumps(again.template(key).spec, sort_keys=True) == json.dumps(template.spec, sort_keys=True), key


def test_report_charts_fill_the_built_templates_and_make_no_new_altair_chart(sample, monkeypatch):
    """Filling templates is a copy per page, not a new Altair chart: once the templates are built,
    a month of report pages builds none again, calls no Altair, and each page's spec is its
    template's with only the rows put in."""
    import altair

    from generator.charts import catalogue as catalogue_module

    data, hist, snaps, _ = sample
    catalogue = Catalogue(data, hist, images=StaticImages(None), fallbacks=False)
    days = list(snaps)[-30:]
    catalogue.report_charts(days[0], snaps[days[0]])  # build the templates

    def not_again(*args, **kwargs):
        raise AssertionError("a page built an Altair chart")

    monkeypatch.setattr(altair.TopLevelMixin, "to_dict", not_again)
    monkeypatch.setattr(altair.Chart, "__init__", not_again)
    every = catalogue_module._factories()
    monkeypatch.setattr(catalogue_module, "_factories", lambda: {key: not_again for key in every})
    for day in days:
        for chart in catalogue.report_charts(day, snaps[day]):
            assert chart.template is catalogue.template(chart.template.id)
            spec = json.loads(chart.spec_json())
            assert spec.pop("datasets") == {"table": json.loads(json.dumps(chart.rows))}
            assert spec == {k: v for k, v in json.loads(json.dumps(chart.template.spec)).items() if k != "datasets"}


# ----------------------------------------------------------------------------- data


def test_csv_is_exactly_the_rows_the_chart_draws(sample):
    data, hist, snaps, catalogue = sample
    for chart in every_chart(catalogue, snaps, data):
        assert all(set(row) == set(chart.template.columns) for row in chart.rows), chart.slug
        parsed = list(csv.DictReader(io.StringIO(chart_csv(chart))))
        assert [list(r) for r in parsed[:1]] == [list(chart.template.columns)]
        assert len(parsed) == len(chart.rows)
        for got, row in zip(parsed, chart.rows, strict=True):
            assert got == {k: "" if row[k] is None else str(row[k]) for k in chart.template.columns}, chart.slug


def test_each_page_has_unique_chart_slugs_and_the_headline_first(sample):
    data, hist, snaps, catalogue = sample
    for day in list(snaps)[:3] + list(snaps)[-3:]:
        charts = catalogue.report_charts(day, snaps[day])
        slugs = [c.slug for c in charts]
        assert len(set(slugs)) == len(slugs)
        assert slugs[0] == "index-3m"
        assert charts[0].rows[-1]["date"] == day.isoformat()


def test_indicator_and_stock_charts(sample):
    data, hist, snaps, catalogue = sample
    for slug in INDICATORS:
        charts = catalogue.indicator_charts(slug)
        assert charts, slug
        assert any("history" in c.slug for c in charts), "each indicator page has a long-history chart"
        for chart in charts:
            if "history" in chart.slug:
                assert "vconcat" in chart.spec and any(p["name"] == "brush" for p in chart.spec["params"]), "zoom by brushing"
    assert catalogue.indicator_charts("no-such-page") == []
    assert catalogue.indicator_charts("kospi") == catalogue.indicator_charts("kospi")
    ticker = data.tracked_tickers[0]
    price, lending = catalogue.stock_charts(ticker)
    assert price.rows[-1]["date"] == hist.stocks[ticker].facts[-1]["as_of"]
    assert any(r["record_high"] for r in price.rows)
    assert lending.rows[-1]["balance"] == hist.stock_lending[ticker].facts[-1]["balance"]
    assert catalogue.stock_charts("999999") == []


def test_alt_texts_state_the_key_numbers(sample):
    data, hist, snaps, catalogue = sample
    day = dt.date(2026, 1, 7)
    charts = {c.slug: c for c in catalogue.report_charts(day, snaps[day])}
    index = snaps[day]["indices"]["KOSPI"]
    assert fmt.level(index["close"]) in charts["index-3m"].alt
    assert "record" in charts["index-3m"].alt
    prior = index["previous_record_high"]["value"]
    assert fmt.level(prior) in charts["index-3m"].alt
    flows_today = snaps[day]["flows"]["KOSPI"]
    assert fmt.won(flows_today["foreigners"]["won"]).lstrip("−") in charts["flows-20d"].alt
    margin = snaps[day]["margin_loans"]["total"]
    assert fmt.won(margin["balance"]) in charts["margin-1y"].alt
    for chart in charts.values():
        assert len(chart.alt) > 60 and re.search(r"\d", chart.alt), chart.slug


def test_cumulative_flows_are_running_sums_of_daily_flows(sample):
    data, hist, snaps, catalogue = sample
    day = list(snaps)[-1]
    charts = {c.slug: c for c in catalogue.report_charts(day, snaps[day])}
    cumulative = charts["flows-60d"].rows
    daily = [f for f in hist.flows["KOSPI"].facts if f["as_of"] <= day.isoformat()][-60:]
    for investor in ("individuals", "foreigners"):
        assert cumulative[-1][investor] == sum(f[investor] for f in daily)


def test_record_line_is_the_record_as_of_the_page(sample):
    data, hist, snaps, catalogue = sample
    day = list(snaps)[-1]
    margin = next(c for c in catalogue.report_charts(day, snaps[day]) if c.slug == "margin-1y")
    series = hist.margin_loans["total"]
    upto = [f["balance"] for f in series.facts if f["as_of"] <= margin.rows[-1]["date"]]
    assert {r["record_balance"] for r in margin.rows} == {max(upto)}


# ----------------------------------------------------------------------------- thinning


def _brute_weekly(rows: list[dict], cutoff: str) -> list[dict]:
    """The twin: group by ISO week with itertools, last row's values, max of "high"."""
    before = [r for r in rows if r["date"] < cutoff]
    out = []
    for _, group in itertools.groupby(before, key=lambda r: week_of(r["date"])):
        group = list(group)
        out.append({"date": group[-1]["date"], "high": max(r["high"] for r in group), "close": group[-1]["close"]})
    return out + [r for r in rows if r["date"] >= cutoff]


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
    gaps=st.lists(st.integers(min_value=1, max_value=9), min_size=0, max_size=120),
    cut=st.integers(min_value=0, max_value=400),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_weekly_thinning_matches_a_brute_force_twin(start, gaps, cut, seed):
    rng = np.random.default_rng(seed)
    days = [start]
    for g in gaps:
        days.append(days[-1] + dt.timedelta(days=g))
    rows = [{"date": d.isoformat(), "high": float(rng.integers(0, 1000)), "close": float(rng.integers(0, 1000))} for d in days]
    cutoff = (start + dt.timedelta(days=cut)).isoformat()
    thinned = thin_weekly(rows, cutoff, {"high": "max", "close": "last"})
    assert thinned == _brute_weekly(rows, cutoff)
    # one row per week before the cutoff, dates strictly increasing, last row kept
    dates = [r["date"] for r in thinned]
    assert dates == sorted(set(dates))
    assert thinned[-1]["date"] == rows[-1]["date"]


def test_long_history_is_weekly_beyond_two_years_and_daily_after():
    start = dt.date(1996, 1, 2)
    days = [start + dt.timedelta(days=i) for i in range(0, 30 * 365) if (start + dt.timedelta(days=i)).weekday() < 5]
    rows = [{"date": d.isoformat(), "close": float(i)} for i, d in enumerate(days)]
    thinned = thin_history(rows)
    cutoff = days[-1].replace(year=days[-1].year - 2).isoformat()
    recent = [r for r in thinned if r["date"] >= cutoff]
    assert recent == [r for r in rows if r["date"] >= cutoff]
    older = [r for r in thinned if r["date"] < cutoff]
    assert len({week_of(r["date"]) for r in older}) == len(older)
    assert len(thinned) < len(rows) / 3


# ----------------------------------------------------------------------------- colours


def _css_vars(css: str, selector_pattern: str) -> dict[str, str]:
    block = re.search(selector_pattern + r"\s*\{([^}]*)\}", css)
    assert block, selector_pattern
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", block.group(1)))


def test_chart_colours_are_the_site_stylesheet_colours():
    css = (Path(__file__).resolve().parents[1] / "templates" / "assets" / "site.css").read_text(encoding="utf-8")
    light = _css_vars(css, r"(?m)^:root")
    dark = _css_vars(css, r"prefers-color-scheme:\s*dark\)\s*\{\s*:root")
    korean = _css_vars(css, r"(?m)^\.korean-convention")
    korean_dark = _css_vars(css, r"prefers-color-scheme:\s*dark\)\s*\{\s*\.korean-convention")
    pairs = {
        "fg": (TEXT, palette.TEXT_DARK),
        "muted": (MUTED, palette.MUTED_DARK),
        "rule": (palette.GRID, palette.GRID_DARK),
        "accent": (ACCENT, palette.ACCENT_DARK),
        "record": (RECORD, palette.RECORD_DARK),
        "bg": (BACKGROUND, BACKGROUND_DARK),
    }
    for name, (day, night) in pairs.items():
        assert (light[name].lower(), dark[name].lower()) == (day, night), name
    for name in ("up", "down"):
        assert (light[name].lower(), dark[name].lower()) == PALETTES["western"][name], name
        assert (korean[name].lower(), korean_dark[name].lower()) == PALETTES["korean"][name], name


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("convention", sorted(PALETTES))
def test_every_chart_colour_has_3_to_1_contrast_in_light_and_dark(convention):
    theme = Theme(convention)
    dark = theme.dark_colors()
    graphics = [ACCENT, RECORD, MUTED, theme.up, theme.down, *(c for c, _ in INVESTORS.values())]
    for colour in graphics:
        assert contrast(colour, BACKGROUND) >= 3, colour  # WCAG 1.4.11 non-text contrast
        assert contrast(dark[colour], BACKGROUND_DARK) >= 3, dark[colour]
    for colour in (TEXT, MUTED):
        assert contrast(colour, BACKGROUND) >= 4.5 and contrast(dark[colour], BACKGROUND_DARK) >= 4.5


# Machado, Oliveira & Fernandes (2009) dichromat simulation matrices (severity 1), linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _lab(hex_colour: str, matrix: list[list[float]] | None) -> list[float]:
    lin = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in lin]
    if matrix:
        lin = [min(1.0, max(0.0, sum(matrix[i][j] * lin[j] for j in range(3)))) for i in range(3)]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]


@pytest.mark.parametrize("deficiency", sorted(CVD))
@pytest.mark.parametrize("mode", [0, 1])
def test_investor_colours_stay_apart_under_colour_blindness(deficiency, mode):
    colours = [pair[mode] for pair in INVESTORS.values()]
    closest = min(math.dist(_lab(a, CVD[deficiency]), _lab(b, CVD[deficiency])) for a, b in itertools.combinations(colours, 2))
    assert closest >= 8, f"two investor colours nearly merge under {deficiency} (ΔE {closest:.1f})"


def _walk(spec):
    if isinstance(spec, dict):
        yield spec
        for v in spec.values():
            yield from _walk(v)
    elif isinstance(spec, list):
        for v in spec:
            yield from _walk(v)


@pytest.mark.parametrize("convention", sorted(PALETTES))
def test_gains_and_losses_are_never_told_by_colour_alone(convention, sample):
    data, hist, snaps, _ = sample
    catalogue = Catalogue(
        replace(data, config=replace(data.config, color_convention=convention)), hist, images=StaticImages(None)
    )
    theme = Theme(convention)
    for template in catalogue.templates.values():
        drawn = {k: v for k, v in template.spec.items() if k != "usermeta"}
        text = json.dumps(drawn, ensure_ascii=False)
        if theme.up not in text:
            continue
        # wherever the up/down colours appear, a dash or a ▲/▼ says the same thing
        dashes = [e for e in _walk(drawn) if isinstance(e, dict) and "strokeDash" in e and isinstance(e["strokeDash"], dict)]
        arrows = "▲" in text and "▼" in text
        assert dashes or arrows, template.id
    other = "korean" if convention == "western" else "western"
    used = json.dumps({k: v for k, v in catalogue.template("lending-stocks").spec.items() if k != "usermeta"})
    assert theme.up in used and Theme(other).up not in used, "the convention picks the chart palette"


def test_dark_colours_cover_every_colour_in_every_spec(sample):
    data, hist, snaps, catalogue = sample
    dark = catalogue.theme.dark_colors()
    for template in catalogue.templates.values():
        colours = set(re.findall(r'"(#[0-9a-fA-F]{6})"', json.dumps({k: v for k, v in template.spec.items() if k != "usermeta"})))
        assert colours <= set(dark), (template.id, colours - set(dark))
        assert template.spec["usermeta"]["darkColors"] == dark


# ----------------------------------------------------------------------------- numbers in tooltips


def _svg_texts(values: list[float], expr: str) -> list[str]:
    spec = {
        "data": {"values": [{"i": i, "v": v} for i, v in enumerate(values)]},
        "transform": [{"calculate": expr, "as": "t"}],
        "mark": {"type": "text"},
        "encoding": {"y": {"field": "i", "type": "ordinal", "axis": None}, "text": {"field": "t"}},
        "config": {"aria": False},
    }
    svg = vl_convert.vegalite_to_svg(spec)
    import html

    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _exact_tie(v: float) -> bool:
    """Python rounds an exact .x5 to even, JavaScript's toFixed up: both are right, differently."""
    for size in (1e12, 1e9, 1e6):
        if abs(v) >= size * 0.99995:
            scaled = abs(v) / size * 10
            return scaled - math.floor(scaled) == 0.5
    return False


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(min_value=-(10**14), max_value=10**14), min_size=1, max_size=40))
def test_tooltip_won_reads_like_the_report(values):
    values = [v for v in values if not _exact_tie(v)]
    if not values:
        return
    assert _svg_texts(values, won_text("v")) == [fmt.won(v) for v in values]


def test_table_cells_are_formatted_the_report_way():
    assert table_cell("2026-01-07", "date") == "Jan. 7, 2026"
    assert table_cell(27_622_356_000_000, "won") == "27.62 trillion won"
    assert table_cell(-978_000_000_000, "won_signed") == "−978 billion won"
    assert table_cell(4551.06, "level") == "4,551.06"
    assert table_cell(True, "bool") == "yes" and table_cell(False, "bool") == ""
    assert table_cell(None, "won") == ""
    assert table_cell(0.45, "pct") == "+0.45" and table_cell(-0.3, "pct") == "−0.30" and table_cell(0.0, "pct") == "0.00"
    assert table_cell("2024-06-01", "month") == "June 2024" and table_cell("2024-06-01", "month", "ko") == "2024년 6월"
    assert table_cell(-978_000_000_000, "won_signed", "ko") == "−9,780억 원"
    assert table_cell(-2_761_000_000_000, "won", "ko") == "−2조 7,610억 원"


# ----------------------------------------------------------------------------- static images


def test_static_spec_drops_hover_layers_and_fixes_the_width(sample):
    data, hist, snaps, catalogue = sample
    day = list(snaps)[-1]
    spec = page_images.headline(catalogue, day, snaps[day]).spec
    static = static_spec(spec)
    names = [e.get("name") for e in _walk(static) if isinstance(e, dict)]
    assert not any(str(n).startswith("hover") for n in names)
    assert static["width"] == images_mod.FALLBACK_WIDTH and static["config"]["aria"] is False
    assert "hover" in json.dumps(spec), "the page's spec keeps its tooltips"
    svg = inline_svg(vl_convert.vegalite_to_svg(static))
    assert svg.startswith('<svg aria-hidden="true" focusable="false" ') and "viewBox" in svg
    assert len(svg) < 30_000


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_images_are_rendered_once_then_come_from_the_cache(sample, tmp_path, monkeypatch):
    data, hist, snaps, _ = sample
    calls = {"svg": 0}
    real = images_mod.render_svg

    def counting(spec):
        calls["svg"] += 1
        return real(spec)

    monkeypatch.setattr(images_mod, "render_svg", counting)
    days = [(d, snaps[d]) for d in list(snaps)[-3:]]

    first = Catalogue(data, hist, images=StaticImages(tmp_path / "cache", jobs=1))
    heads = [h for day in days for h in page_images.report_images(first, *day)]
    # every chart of each report has a static SVG; charts that are the same on two days (a
    # balance published with a lag) share one
    distinct = len({h.svg_key for h in heads})
    assert len(heads) == 3 * 6 and 3 <= distinct <= len(heads)
    stats = page_images.prepare_report_images(first, days)
    assert (stats.rendered, stats.from_cache) == (distinct, 0) and calls["svg"] == distinct
    card = page_images.card_png(first, *days[-1])
    assert _png_size(card) == images_mod.CARD_SIZE
    assert len(list((tmp_path / "cache").rglob("*.svg"))) == distinct and len(list((tmp_path / "cache").rglob("*.png"))) == 3

    again = Catalogue(data, hist, images=StaticImages(tmp_path / "cache", jobs=1))  # a rebuild
    stats = page_images.prepare_report_images(again, days)
    assert (stats.rendered, stats.from_cache) == (0, len(heads)) and calls["svg"] == distinct
    charts = page_images.report_charts(again, *days[-1])
    assert charts[0].fallback_svg and all(c.image_svg for c in charts[1:]) and calls["svg"] == distinct
    assert page_images.card_png(again, *days[-1]) == card


def test_cached_images_are_keyed_by_content(sample):
    data, hist, snaps, catalogue = sample
    a, b = list(snaps)[-2:]
    head_a, head_b = page_images.headline_images(catalogue, a, snaps[a]), page_images.headline_images(catalogue, b, snaps[b])
    assert head_a.svg_key != head_b.svg_key
    assert page_images.headline_images(catalogue, a, snaps[a]).svg_key == head_a.svg_key
    assert replace(head_a, subtitle="other").card_key != head_a.card_key


def test_card_escapes_its_text():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"></svg>'
    card = compose_card(svg, "A & B <C>", "x", "KOSPI Report")
    assert "A &amp; B &lt;C&gt;" in card
    assert _png_size(images_mod.render_card(svg, "A & B", "x")) == images_mod.CARD_SIZE


def test_parallel_rendering_gives_the_same_images(sample, tmp_path):
    data, hist, snaps, catalogue = sample
    days = [(d, snaps[d]) for d in list(snaps)[-8:]]
    heads = [page_images.headline_images(catalogue, d, s) for d, s in days]
    serial = StaticImages(None, jobs=1)
    serial.prepare(heads)
    parallel = StaticImages(None, jobs=2)
    stats = parallel.prepare(heads)
    assert stats.rendered == 8 and stats.jobs == 2
    assert all(parallel.card(h) == serial.card(h) for h in heads)


def test_a_headline_needs_a_close(sample):
    data, hist, snaps, catalogue = sample
    day = list(snaps)[-1]
    snap = {**snaps[day], "indices": {}}
    assert page_images.headline(catalogue, day, snap) is None
    assert page_images.card_png(catalogue, day, snap) is None
    assert isinstance(Headline(static_spec({"mark": "point"})).svg_key, str)


def test_series_without_rows_have_no_charts(sample):
    data, hist, snaps, _ = sample
    empty = replace(hist, margin_loans={}, stock_lending={}, flows={"KOSPI": Series(np.array([], dtype="datetime64[D]"), [])})
    catalogue = Catalogue(data, empty, images=StaticImages(None), fallbacks=False)
    day = list(snaps)[-1]
    slugs = [c.slug for c in catalogue.report_charts(day, snaps[day])]
    assert slugs == ["index-3m", "leaders-1m"]
    assert catalogue.indicator_charts("margin-loans") == [] and catalogue.indicator_charts("stock-lending") == []


@pytest.mark.parametrize("value", [999_500, 999_999, 1_000_000, 999_940_000, 999_960_000, 999_940_000_000, 999_960_000_000, -209_200_000_000])
def test_tooltip_won_matches_the_report_at_unit_edges(value):
    assert _svg_texts([value], won_text("v")) == [fmt.won(value)]
