"""The benchmark's tables, as Markdown, and the marked block of a document they replace.

``render_markdown`` gives the full block for docs/performance.md and a short one (machine,
main table, growth) for the README. ``update_between_markers`` swaps the text between
``<!-- benchmark:start -->`` and ``<!-- benchmark:end -->`` so re-running updates the figures
and leaves everything the authors wrote around them alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from benchmarks.run import Results

START = "<!-- benchmark:start -->"
END = "<!-- benchmark:end -->"
GIB = 1024**3
MIB = 1024**2


@dataclass(frozen=True)
class Targets:
    """The targets of issue 16 (10 years, a 2-core machine)."""

    cold_x: float = 15.0  # cold full build, multiple of the reference
    unchanged_x: float = 0.5  # no-change rebuild
    new_day_x: float = 1.0  # one-new-day rebuild
    memory: int = GIB  # peak memory of any build
    growth_20_10: float = 2.2  # 20 years / 10 years, cold
    universe_x: float = 2.0  # the whole market's cold build / the main (35-stock) cold build
    report_html: int = 80 * 1000  # bytes of a report page's HTML
    first_visit: int = 450 * 1000  # bytes transferred (compressed) on a first visit to a report


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _mem(run) -> str:
    if run is None:
        return "—"
    text = f"{run.peak / MIB:,.0f} MiB"
    if (run.tree_pss or run.tree_rss or 0) > run.max_rss * 1.05:
        text += f" ({run.max_rss / MIB:,.0f} MiB largest process)"
    return text


def _ratio(value: float | None, ref: float | None) -> float | None:
    if value is None or not ref:
        return None
    return value / ref


def _x(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def _verdict(ratio: float | None, limit: float) -> str:
    if ratio is None:
        return "—"
    return "met" if ratio <= limit else f"missed by {ratio / limit:.2f}×"


def render_markdown(r: Results, t: Targets) -> tuple[str, str]:
    """The full block (docs) and the short block (README)."""
    main = r.main
    ref = main.reference.seconds if main.reference else None
    workers = f"{r.jobs}" if r.jobs else "the default, one per core"
    jobs = f"`--jobs` {workers} (page workers forked from the build and chart-image workers)"
    head = [
        f"Machine: {r.machine}; load average {r.load[0]:.1f} when the run started, {r.load[1]:.1f} when it ended "
        "(anything else running on the machine lengthens wall times; CPU time is the steadier figure).",
        "",
        f"Data: {r.years} years ({main.days:,} trading days), {r.stocks} stocks, every series; builds with {jobs}; "
        f"reference: Hugo, {main.reference_pages:,} Markdown pages of the same days"
        + (" (not run)" if ref is None else "")
        + f". Command: `{r.command}`.",
        "",
    ]
    rows = [
        ("Cold full build", main.cold, t.cold_x),
        ("Rebuild, nothing changed", r.unchanged, t.unchanged_x),
        (f"Rebuild, one new trading day ({r.new_day_date})", r.new_day, t.new_day_x),
    ]
    table = [
        "| Build | Time | CPU time | Peak memory | × reference | Target | |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, run, limit in rows:
        ratio = _ratio(run.seconds if run else None, ref)
        table.append(f"| {name} | {_s(run.seconds if run else None)} | {_s(run.cpu_seconds if run else None)} | {_mem(run)} | {_x(ratio)} | ≤ {limit:g}× | {_verdict(ratio, limit)} |")
    if r.forced:
        ratio = _ratio(r.forced.seconds, ref)
        table.append(
            f"| Full re-render (`--force`, chart images cached; after appending the day) | {_s(r.forced.seconds)} | "
            f"{_s(r.forced.cpu_seconds)} | {_mem(r.forced)} | {_x(ratio)} | | |"
        )
    if main.reference:
        table.append(f"| Reference: `hugo --quiet`, cold | {_s(ref)} | {_s(main.reference.cpu_seconds)} | {_mem(main.reference)} | 1.00× | | |")
    runs = [x for x in (main.cold, r.unchanged, r.new_day, r.forced) if x]
    peak = max((x.peak for x in runs), default=0)
    table += ["", f"Peak memory of any build (the whole process tree, by PSS): {peak / MIB:,.0f} MiB (target ≤ {t.memory / GIB:g} GiB: {'met' if peak <= t.memory else f'missed by {peak / t.memory:.2f}×'})."]

    growth = [
        "| Years | Trading days | Cold build | CPU time | Peak memory | Reference | × reference | × the 10-year build |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base = next((s.cold.seconds for s in r.scaling if s.years == 10 and s.cold), None)
    for s in r.scaling:
        cold = s.cold.seconds if s.cold else None
        refs = s.reference.seconds if s.reference else None
        vs10 = _ratio(cold, base)
        growth.append(
            f"| {s.years} | {s.days:,} | {_s(cold)} | {_s(s.cold.cpu_seconds if s.cold else None)} | {_mem(s.cold)} | {_s(refs)} | {_x(_ratio(cold, refs))} | {_x(vs10)} |"
        )
    twenty = next((s for s in r.scaling if s.years == 20 and s.cold), None)
    if twenty and base:
        g = twenty.cold.seconds / base
        growth += ["", f"20 years cost {g:.2f}× 10 years (target ≤ {t.growth_20_10:g}×: {_verdict(g, t.growth_20_10)})."]

    pages = r.pages or {}
    spec, svg, card = pages.get("spec", {}), pages.get("svg", {}), pages.get("card", {})
    per_page = [
        "| Per report page | Mean | Median | p95 | Pages timed |",
        "|---|---:|---:|---:|---:|",
        f"| Charts filled + spec JSON (`Catalogue.report_charts` + `Chart.spec_json`) | {_ms(spec, 'mean_ms')} | {_ms(spec, 'median_ms')} | {_ms(spec, 'p95_ms')} | {spec.get('n', 0):,} |",
        f"| Headline chart as static SVG (`images.render_svg`: Vega compiled once per template, uncached) | {_ms(svg, 'mean_ms')} | {_ms(svg, 'median_ms')} | {_ms(svg, 'p95_ms')} | {svg.get('n', 0):,} |",
        f"| Its PNG social card (`images.render_card`, uncached) | {_ms(card, 'mean_ms')} | {_ms(card, 'median_ms')} | {_ms(card, 'p95_ms')} | {card.get('n', 0):,} |",
        "",
        f"Chart templates (Altair, once per build): {pages.get('templates_s', 0) * 1000:.0f} ms.",
    ]

    timings = (r.stages or {}).get("timings", {})
    total = (r.stages or {}).get("total") or sum(timings.values()) or 1.0
    stages = ["| Step of a full re-render (`--force`, chart images cached) | Seconds | Share |", "|---|---:|---:|"]
    for name, seconds in timings.items():
        stages.append(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")
    stages.append(f"| **total** | **{total:.2f}** | |")

    universe = _universe(r, t)
    weight = _weight(r, t)
    full = "\n".join(
        head
        + table
        + universe
        + weight
        + ["", "### How cost grows with history", ""]
        + growth
        + ["", "### Charts, per report page", ""]
        + per_page
        + ["", "### Where a cold build's time goes", ""]
        + (stages if timings else ["(The build reported no step timings.)"])
    )
    short = "\n".join(head + table + universe + weight + ["", "How a cold build grows with history:", ""] + growth)
    return full + "\n", short + "\n"


def _universe(r: Results, t: Targets) -> list[str]:
    """The whole market's cold build against the main one."""
    u = r.universe
    if u is None or u.cold is None:
        return []
    main = r.main.cold.seconds if r.main.cold else None
    ratio = _ratio(u.cold.seconds, main)
    memory = "met" if u.cold.peak <= t.memory else f"missed by {u.cold.peak / t.memory:.2f}×"
    return [
        "",
        "### The whole market",
        "",
        "| Cold full build | Stocks | Time | CPU time | Peak memory | × the main build | Target | |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| {r.years} years ({u.days:,} trading days) | {r.stocks} | {_s(main)} | {_s(r.main.cold.cpu_seconds if r.main.cold else None)} | {_mem(r.main.cold)} | 1.00× | | |",
        f"| {r.years} years, the whole KOSPI universe | {r.universe_stocks} | {_s(u.cold.seconds)} | {_s(u.cold.cpu_seconds)} | {_mem(u.cold)} | {_x(ratio)} | ≤ {t.universe_x:g}× | {_verdict(ratio, t.universe_x)} |",
        "",
        f"Peak memory of the whole-market build: {u.cold.peak / MIB:,.0f} MiB (target ≤ {t.memory / GIB:g} GiB: {memory}).",
    ]


def _kb(n: float | None) -> str:
    return "—" if n is None else f"{n / 1000:,.1f} KB"


def _weight(r: Results, t: Targets) -> list[str]:
    """HTML bytes per page family, and a report's transfers in Chromium."""
    html = (r.weight or {}).get("html") or {}
    if not html:
        return []
    order = ["report", "home", "stock", "indicator", "archive", "research"]
    names = [n for n in order if n in html] + sorted(n for n in html if n not in order)
    out = [
        "",
        "### Page weight",
        "",
        "| Page family | Pages | HTML, mean | HTML, largest | Gzipped, mean | Gzipped, largest |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        h = html[name]
        out.append(f"| {name} | {h['raw']['n']:,} | {_kb(h['raw']['mean'])} | {_kb(h['raw']['max'])} | {_kb(h['gzip']['mean'])} | {_kb(h['gzip']['max'])} |")
    rep = html.get("report")
    if rep:
        mean = rep["raw"]["mean"]
        verdict = "met" if rep["raw"]["max"] <= t.report_html else f"missed by {rep['raw']['max'] / t.report_html:.2f}× (largest page)"
        out += [
            "",
            f"A report page's HTML: {_kb(mean)} on average, {_kb(rep['raw']['max'])} at most (target ≤ {_kb(t.report_html)}: {verdict}); "
            f"of the average, {_kb(rep.get('chart_json'))} is inlined chart JSON and {_kb(rep.get('tables'))} is tables.",
        ]
    tr = (r.weight or {}).get("transfer")
    if tr:
        first, repeat = tr["first"], tr["repeat"]
        only_page = set(repeat["by_type"]) <= {".html"}
        extra = ", ".join(k for k in repeat["by_type"] if k != ".html")
        out += [
            "",
            "| Visit to a report, in Chromium (gzip, `Cache-Control: max-age=600`) | Transferred | Requests | From the cache | By type | Target | |",
            "|---|---:|---:|---:|---|---|---|",
            f"| First visit (`{first['page']}`, a fresh profile) | {_kb(first['bytes'])} | {first['requests']} | {first['from_cache']} | {_types(first)} | ≤ {_kb(t.first_visit)} | "
            f"{_verdict(first['bytes'] / t.first_visit, 1.0)} |",
            f"| Repeat visit (`{repeat['page']}`, the same profile) | {_kb(repeat['bytes'])} | {repeat['requests']} | {repeat['from_cache']} | {_types(repeat)} | only the page | "
            f"{'met' if only_page else 'missed: also ' + extra} |",
        ]
    return out


def _types(visit: dict) -> str:
    return ", ".join(f"{k.lstrip('.')} {_kb(v)}" for k, v in visit["by_type"].items()) or "—"


def _ms(summary: dict, key: str) -> str:
    value = summary.get(key)
    return "—" if value is None else f"{value:.1f} ms"


def update_between_markers(path: Path, block: str, title: str | None) -> None:
    """Replace the text between the markers in ``path`` with ``block``.

    A file without the markers gets them appended (a new file starts with ``title``)."""
    marked = f"{START}\n{block.rstrip()}\n{END}"
    text = path.read_text(encoding="utf-8") if path.is_file() else (title or "")
    start, end = text.find(START), text.find(END)
    if start != -1 and end > start:
        text = text[:start] + marked + text[end + len(END) :]
    else:
        text = text.rstrip("\n") + ("\n\n" if text.strip() else "") + marked + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
