"""Shared interactive pieces: a hover rule with a tooltip, and an overview+detail brush.

Every selection and view has a fixed name: Altair would otherwise number them from a
process-wide counter, so the same chart could get a different spec in another build, which
would defeat the image cache and rewrite unchanged pages.
"""

from __future__ import annotations

import altair as alt

from generator.charts.theme import MUTED


def hover_layers(base: alt.Chart, tooltip: list[alt.Tooltip], name: str = "hover", *, by_x: bool = True) -> list[alt.Chart]:
    """Invisible points that pick the date nearest the pointer (so the tooltip does not need
    a precise aim on a phone) and a vertical rule marking it. Static renderings drop both
    layers (images.static_spec): the points by their name, the rule by its use of the param."""
    # by_x: the nearest date wherever the pointer is up or down the chart (one series);
    # else the nearest point in both directions (several lines, one tooltip per line)
    hover = alt.selection_point(
        name=name,
        nearest=True,
        on="pointerover",
        clear="pointerout",
        empty=False,
        encodings=["x"] if by_x else alt.Undefined,
        fields=alt.Undefined if by_x else ["date", "ticker"],
    )
    selectors = base.mark_point(opacity=0, size=20).encode(tooltip=tooltip).add_params(hover).properties(name=f"{name}_points")
    # A rule on every row, shown only at the hovered date (a filtered layer would be empty
    # at first and give its scales an infinite extent).
    rule = base.mark_rule(color=MUTED, strokeWidth=1).encode(opacity=alt.condition(hover, alt.value(0.7), alt.value(0)))
    return [selectors, rule]


def overview_detail(
    detail_layers: list[alt.Chart], overview: alt.Chart, *, height: int = 260, overview_height: int = 56, name: str = "brush"
) -> alt.VConcatChart:
    """A detail view above a small overview of the whole history: dragging across the overview
    zooms the detail to that span (its y axis rescales to it); a double-click resets it."""
    brush = alt.selection_interval(name=name, encodings=["x"])
    detail = alt.layer(*detail_layers, name="detail").transform_filter(brush).properties(width="container", height=height)
    strip = overview.add_params(brush).properties(width="container", height=overview_height, name="overview")
    return alt.vconcat(detail, strip, spacing=6)
