"""The 2026-01-07 report in real Chromium: every chart draws, and nothing leaves 127.0.0.1."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_report_charts_draw_offline(page, sample_url: str) -> None:
    page.goto(sample_url + "reports/2026-01-07/index.html")
    charts = page.locator(".vega[data-spec]")
    count = charts.count()
    assert count >= 2
    page.wait_for_function(
        "n => document.querySelectorAll('.vega.drawn svg.marks, .vega.drawn canvas.marks').length >= n", arg=count, timeout=20_000
    )
    for i in range(count):
        box = charts.nth(i).locator("svg.marks").first.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
    text = page.locator("main").inner_text()
    for figure in ("4,551.06", "+25.58", "0.57%", "4,611.72"):
        assert figure in text
    assert page.external_requests == []
    assert page.console_errors == []
