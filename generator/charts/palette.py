"""The chart colours: the site's own (templates/assets/site.css custom properties), light and
dark, and the investor palette. Kept apart from theme.py so that modules that must not import
Altair (the image workers) can use them; tests/test_charts.py checks they match site.css."""

from __future__ import annotations

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif"

# (light, dark), as site.css's --fg, --muted, --rule, --accent, --record and --bg.
TEXT, TEXT_DARK = "#1a1a1a", "#e8e6e3"
MUTED, MUTED_DARK = "#5a5a5a", "#a3a09b"
GRID, GRID_DARK = "#dedbd5", "#33363a"
ACCENT, ACCENT_DARK = "#1d4d8f", "#8fb8f2"
RECORD, RECORD_DARK = "#7a5200", "#f0c96a"
BACKGROUND, BACKGROUND_DARK = "#fdfcfa", "#111315"

#: Up and down colours by convention, (light, dark): site.css's --up/--down, and the
#: .korean-convention overrides.
PALETTES: dict[str, dict[str, tuple[str, str]]] = {
    "western": {"up": ("#17753a", "#4cc274"), "down": ("#c0262d", "#ff7f78")},
    "korean": {"up": ("#c7222a", "#ff7f78"), "down": ("#1f5fbf", "#7fb4ff")},
}

#: Investor types, Okabe-Ito hues (distinct under the common colour-vision deficiencies),
#: darkened in light mode to reach 4.5:1 on the page, so that the same colour serves a line
#: and the text label naming it (WCAG 1.4.3): (light, dark).
INVESTORS: dict[str, tuple[str, str]] = {
    "individuals": ("#ad5a00", "#e69f00"),
    "institutions": ("#1060b0", "#56b4e9"),
    "foreigners": ("#0a7a3a", "#2fc79b"),
    "other": ("#666666", "#a0a0a0"),
}

#: Series colours for charts of several stocks (the leading stocks), in the order the stocks
#: are listed: distinct hues that keep clear of the gain and loss colours' role, each 4.5:1 on
#: the page (legend and labels are text too): (light, dark).
SERIES: tuple[tuple[str, str], ...] = (
    ("#0072b2", "#56b4e9"),
    ("#b34d00", "#e69f00"),
    ("#6a3d9a", "#c4a7f0"),
    ("#007a5a", "#2fc79b"),
    ("#ad1457", "#f08ae6"),
    ("#5d4037", "#d9a58c"),
)
