"""One chart theme matching the site's CSS (fonts, greys, accent), light and dark.

The page script swaps in the dark config when the reader's system prefers dark, so the specs
carry the light theme and the dark overrides live in ``DARK`` (published as assets/chart-dark.json).
"""

from __future__ import annotations

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans KR', 'Apple SD Gothic Neo', sans-serif"

#: Gains and losses are told apart by colour and by sign/shape; the palettes differ by convention.
PALETTES = {
    "western": {"up": "#1a7f37", "down": "#c62828"},
    "korean": {"up": "#d1242f", "down": "#1f5fbf"},
}
INVESTOR_COLORS = {
    "individuals": "#e69f00",
    "institutions": "#56b4e9",
    "foreigners": "#009e73",
    "other": "#999999",
}
ACCENT = "#1f4e9c"
RECORD = "#b8860b"


def config(dark: bool = False) -> dict:
    """A Vega-Lite config block."""
    text = "#e6e6e6" if dark else "#1b1b1b"
    grid = "#3a3a3a" if dark else "#e4e4e4"
    muted = "#a0a0a0" if dark else "#5c5c5c"
    return {
        "background": None,
        "font": FONT,
        "view": {"stroke": None},
        "axis": {
            "labelColor": muted,
            "titleColor": muted,
            "gridColor": grid,
            "domainColor": grid,
            "tickColor": grid,
            "labelFontSize": 11,
            "titleFontSize": 11,
            "titleFontWeight": "normal",
        },
        "legend": {"labelColor": text, "titleColor": muted, "labelFontSize": 11, "orient": "top"},
        "title": {"color": text, "fontSize": 13, "anchor": "start", "fontWeight": 600},
        "text": {"color": text},
        "line": {"color": ACCENT},
        "area": {"color": ACCENT},
    }


DARK = config(dark=True)
