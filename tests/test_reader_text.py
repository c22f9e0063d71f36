"""The words around the figures: stock names link to their pages, dates carry their year when it
is not the page's, a record never reads as equal to the one it beat, and time axes are labelled
by month and year, never by weekday."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2
from hypothesis import given
from hypothesis import strategies as st

from generator import formatting as fmt
from generator.charts.theme import TIME_LABELS
from generator.render import month_day_on_page
from generator.site.views import distinct
from generator.stock_links import link_stocks

NAMES = {"005380": "Hyundai Motor", "307950": "Hyundai AutoEver", "000270": "Kia", "000660": "SK hynix"}


def _href(ticker: str) -> str:
    return f"../stocks/{ticker}/"


def test_first_mention_of_each_stock_links_to_its_page() -> None:
    text = "Hyundai AutoEver, Hyundai Motor and Kia hit records; Kia led. Kiavo is not a stock."
    html = str(link_stocks(text, NAMES, _href))
    assert html.count('href="../stocks/000270/"') == 1
    assert '<a class="stock-link" href="../stocks/307950/">Hyundai AutoEver</a>' in html
    assert '<a class="stock-link" href="../stocks/005380/">Hyundai Motor</a>' in html
    assert "Kiavo" in html and "Kia</a>vo" not in html


def test_names_inside_links_headings_and_code_are_left_alone() -> None:
    from markupsafe import Markup

    html = Markup('<h3>SK hynix</h3><p><a href="x">Kia</a> and <code>Kia</code>, then Kia and SK hynix.</p>')
    out = str(link_stocks(html, NAMES, _href))
    assert out.startswith("<h3>SK hynix</h3>")
    assert '<a href="x">Kia</a>' in out and "<code>Kia</code>" in out
    assert 'then <a class="stock-link" href="../stocks/000270/">Kia</a> and <a class="stock-link" href="../stocks/000660/">SK hynix</a>' in out


def test_plain_text_is_escaped_before_linking() -> None:
    out = str(link_stocks("<script>Kia</script>", NAMES, _href))
    assert "<script>" not in out and "&lt;script&gt;" in out


def _render(source: str, **context: object) -> str:
    env = jinja2.Environment(autoescape=True)
    env.filters["month_day"] = month_day_on_page
    return env.from_string(source).render(**context)


def test_dates_carry_the_year_unless_it_is_the_pages_own() -> None:
    record = dt.date(2023, 7, 26)
    assert _render("{{ d | month_day }}", d=record, day=dt.date(2026, 1, 7)) == "July 26, 2023"
    assert _render("{{ d | month_day }}", d=dt.date(2026, 1, 5), day=dt.date(2026, 1, 7)) == "Jan. 5"
    assert _render("{{ d | month_day }}", d=record) == "July 26, 2023"  # a page without a day
    assert _render("{{ d | month_day(none) }}", d=record, day=dt.date(2026, 1, 7)) == "July 26"


@given(st.floats(min_value=1e9, max_value=1e14), st.floats(min_value=1, max_value=1e9))
def test_a_record_never_reads_as_its_predecessor(previous: float, margin: float) -> None:
    value = previous + margin
    a, b = distinct(lambda v: fmt.won(v, 2), value, previous)
    assert a != b


def test_a_record_that_reads_differently_keeps_the_house_style() -> None:
    assert distinct(lambda v: fmt.won(v, 2), 27.6e12, 27.5288e12) == (fmt.won(27.6e12, 2), fmt.won(27.5288e12, 2))


def _expected(day: dt.date) -> str:
    """What a time axis should say at midnight UTC of ``day``: the year at January 1, the month
    at the first of a month, nothing on a weekend, else "Jan 7"."""
    if day.month == 1 and day.day == 1:
        return str(day.year)
    if day.day == 1:
        return day.strftime("%b")
    if day.weekday() >= 5:
        return ""
    return f"{day:%b} {day.day}"


def test_time_labels_name_months_and_years_and_never_a_weekend_day() -> None:
    """Vega itself evaluates the label expression (vl-convert), at ticks on every kind of day."""
    import vl_convert

    start, end = "2025-12-27T00:00:00Z", "2026-03-02T00:00:00Z"
    spec = {
        "data": {"values": [{"date": start}, {"date": end}]},
        "mark": "point",
        "width": 8000,
        "encoding": {
            "x": {"field": "date", "type": "temporal", "scale": {"type": "utc", "domain": [start, end]},
                  "title": None, "axis": {"labelExpr": TIME_LABELS, "labelOverlap": False, "tickCount": {"interval": "day"}}},
        },
    }
    svg = vl_convert.vegalite_to_svg(spec)
    labels = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    wanted = [_expected(dt.date(2025, 12, 27) + dt.timedelta(days=k)) for k in range(0, 66)]
    shown = [x for x in labels if x]
    assert shown == [w for w in wanted if w], shown
    assert not any(re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)", x) for x in labels)


def test_favicon_is_a_real_icon(sample_site: Path) -> None:
    data = (sample_site / "favicon.ico").read_bytes()
    assert data[:4] == b"\x00\x00\x01\x00" and data[22:30] == b"\x89PNG\r\n\x1a\n"
    assert 'rel="icon"' in (sample_site / "index.html").read_text(encoding="utf-8")
