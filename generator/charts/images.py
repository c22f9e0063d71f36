"""Static chart images rendered at build time with vl-convert: the SVG fallback of a report's
headline chart (shown until the interactive chart draws, and without JavaScript) and its PNG
social card (``og:image``, 1200x630: the title, the day's close and that same SVG).

Rendering costs tens of milliseconds per image and a report site has hundreds of pages, so
images are cached on disk by a hash of the filled spec (plus the vl-convert version and
``RENDER_VERSION``): a rebuild renders only pages whose data changed. Misses are rendered in
parallel worker processes (``jobs``, default one per CPU), each page's SVG once: the card is
composed around it and rasterised, not drawn a second time.

This module imports no Altair so that worker processes start quickly.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from xml.sax.saxutils import escape

import vl_convert

from generator.cache import default_cache_dir, write_cache_file
from generator.charts.palette import ACCENT, BACKGROUND, FONT, MUTED, TEXT
from generator.errors import BuildError
from generator.processes import default_jobs, die_with_parent, forked_reason

#: Bump when the way specs are turned into images changes, to retire old cache entries.
RENDER_VERSION = "5"
#: Width of the SVG fallback in CSS pixels; it scales down with the page (viewBox).
FALLBACK_WIDTH = 720
#: Social-card size in pixels (the size Facebook, X and LinkedIn ask for).
CARD_SIZE = (1200, 630)
#: Below this many pages to render, worker processes cost more than they save.
PARALLEL_THRESHOLD = 6


def _engine() -> None:
    """Refuse to run vl-convert in a process forked from the build (``processes.forked_reason``)."""
    reason = forked_reason()
    if reason is not None:
        raise BuildError(f"a static chart image was not drawn ahead of time, and {reason} cannot draw one")


# ----------------------------------------------------------------------------- specs


def _static_view(spec: dict, width: int) -> dict:
    """Fixed widths (vl-convert has no page to fit) and no hover layers (their invisible
    points and pointer regions would be most of the SVG's bytes)."""
    if spec.get("width") == "container":
        spec["width"] = width
    if "params" in spec:
        spec["params"] = [p for p in spec["params"] if not str(p.get("name", "")).startswith("hover")]
        if not spec["params"]:
            del spec["params"]
    for key in ("vconcat", "hconcat", "concat", "layer"):
        if key in spec:
            spec[key] = [_static_view(sub, width) for sub in spec[key] if not _is_hover(sub)]
    return spec


def _is_hover(view: dict) -> bool:
    """A hover layer: its selector points (named "hover...") or a mark that uses the param."""
    if str(view.get("name", "")).startswith("hover"):
        return True
    return "layer" not in view and '"param": "hover' in json.dumps(view.get("encoding", {}))


def static_spec(spec: dict, width: int = FALLBACK_WIDTH) -> dict:
    """The spec for a static rendering: fixed width, no hover layers, and no ARIA attributes
    inside the SVG (the chart container is the one accessible image, with its own label)."""
    out = _static_view(copy.deepcopy(spec), width)
    out.pop("usermeta", None)
    out["config"] = {**out.get("config", {}), "aria": False}
    return out


def _hash(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (RENDER_VERSION, _versions(), *parts):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


@cache
def _versions() -> str:
    try:
        from importlib.metadata import version

        package = version("vl-convert-python")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        package = "?"
    return f"{package}/{vl_convert.get_vega_version()}"


def spec_key(spec: dict) -> str:
    """The cache key of a static spec's SVG: a hash of the filled spec and the renderer's version."""
    return _hash("svg", json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def card_key(svg_key: str, title: str, subtitle: str, brand: str) -> str:
    return _hash("card", svg_key, title, subtitle, brand)


# ----------------------------------------------------------------------------- rendering


#: Vega specs compiled from Vega-Lite templates in this process, by a hash of the template.
_COMPILED: dict[str, dict] = {}


def _template_hash(template: dict) -> str:
    text = json.dumps(template, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _stored_vega(key: str, template: dict) -> dict:
    """A template compiled to Vega: from the disk cache (``vega/`` beside the images) when an
    earlier build compiled it with the same vl-convert, else compiled now and stored."""
    folder = default_cache_dir()
    path = folder / "vega" / f"{_hash('vega', key)}.json" if folder is not None else None
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    _engine()
    vega = vl_convert.vegalite_to_vega(template)
    if path is not None:
        write_cache_file(path, json.dumps(vega, ensure_ascii=False).encode("utf-8"))
    return vega


def compiled_vega(spec: dict) -> dict | None:
    """The spec as Vega, compiled from its data-free template once per process and filled
    with the spec's named datasets; None when the spec has no named datasets to fill.

    Every page of a build shares a handful of templates, so compiling Vega-Lite to Vega
    (about a third of ``vegalite_to_svg``'s time) once per template instead of once per page
    is what "build the spec once, fill in the data" means for the static images. Vega-Lite
    compiles named datasets to Vega data entries of the same name, whose values Vega reads
    at run time; the SVG is the same, byte for byte (tests/test_charts.py)."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return None
    template = {**spec, "datasets": {name: [] for name in datasets}}
    key = _template_hash(template)
    vega = _COMPILED.get(key)
    if vega is None:
        vega = _COMPILED[key] = _stored_vega(key, template)
    entries = vega.get("data", [])
    if not set(datasets) <= {d.get("name") for d in entries}:
        return None
    filled = dict(vega)
    filled["data"] = [{**d, "values": datasets[d["name"]]} if d.get("name") in datasets else d for d in entries]
    return filled


_CLIP_ID = re.compile(r'(?<=["#])clip(\d+)(?=[")])')


def stable_ids(svg: str) -> str:
    """Vega numbers the clip paths of an SVG from a counter that lives as long as its engine,
    so the same chart drawn second in a process says ``clip5`` where drawn first it says
    ``clip1``; numbered in order of appearance instead, the same spec gives the same bytes in
    every build and process (what the image cache and unchanged pages rely on)."""
    order: dict[str, int] = {}
    return _CLIP_ID.sub(lambda m: f"clip{order.setdefault(m.group(1), len(order))}", svg)


def render_svg(spec: dict) -> str:
    """A static spec as SVG text (through the template's compiled Vega when it has one)."""
    _engine()
    vega = compiled_vega(spec)
    return stable_ids(vl_convert.vega_to_svg(vega) if vega is not None else vl_convert.vegalite_to_svg(spec))


_ROOT = re.compile(r"<svg\b[^>]*>")
_DIMENSION = re.compile(r'\s(width|height)="([0-9.]+)"')
_VIEWBOX = re.compile(r'\sviewBox="([-0-9., ]+)"')
#: Where the chart sits on the card: left, top, width, height.
CARD_CHART = (56, 150, 1088, 410)


def compose_card(svg: str, title: str, subtitle: str, brand: str = "") -> str:
    """A 1200x630 card: title, subtitle and brand around the chart's SVG, on white.

    The chart's drawing goes in as a group scaled to its box (centred vertically, like
    ``preserveAspectRatio="xMinYMid meet"``), not as a nested ``<svg>``: the rasteriser
    draws a nested viewport about three times slower, and the pixels are the same."""
    w, h = CARD_SIZE
    root = _ROOT.search(svg)
    end = svg.rfind("</svg>")
    if root is None or end < root.end():
        raise ValueError("not an SVG document")
    size = dict((m.group(1), float(m.group(2))) for m in _DIMENSION.finditer(root.group(0)))
    left, top, box_w, box_h = CARD_CHART
    x0, y0 = 0.0, 0.0
    chart_w, chart_h = size.get("width") or box_w, size.get("height") or box_h
    box = _VIEWBOX.search(root.group(0))
    if box:
        x0, y0, chart_w, chart_h = (float(v) for v in box.group(1).replace(",", " ").split())
    scale = min(box_w / chart_w, box_h / chart_h)
    dy = top + (box_h - chart_h * scale) / 2
    chart = (
        f'<g transform="translate({left} {dy:.3f}) scale({scale:.6f}) translate({-x0:g} {-y0:g})">'
        f"{svg[root.end() : end]}</g>"
    )
    font = escape(FONT, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
        f'<rect width="{w}" height="{h}" fill="{BACKGROUND}"/>'
        f'<rect width="{w}" height="10" fill="{ACCENT}"/>'
        f'<text x="56" y="84" font-family="{font}" font-size="40" font-weight="700" fill="{TEXT}">{escape(title)}</text>'
        f'<text x="56" y="128" font-family="{font}" font-size="26" fill="{MUTED}">{escape(subtitle)}</text>'
        f"{chart}"
        f'<text x="56" y="604" font-family="{font}" font-size="22" font-weight="700" fill="{TEXT}">{escape(brand)}</text>'
        "</svg>"
    )


_PROBE_TEXT = "Qg4,6.09 Kospi 코스피 −%"


def _probe(family: str) -> bytes:
    font = escape(family, {'"': "&quot;"})
    return vl_convert.svg_to_png(
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40"><rect width="240" height="40" fill="#fff"/>'
        f'<text x="4" y="28" font-family="{font}" font-size="22" font-weight="700">{_PROBE_TEXT}</text></svg>',
        scale=1,
    )


@cache
def raster_font() -> str:
    """The one family of the site's font stack that the rasteriser really draws with here.

    The rasteriser looks up every family of a stack, for every piece of text, until it finds
    one; on a machine with few fonts that search was a quarter of a card's time. Drawing a
    probe text with the whole stack and then with each family on its own tells which family
    gives the same pixels; the card is drawn with that family alone, so its pixels are exactly
    those the whole stack would give. Falls back to the stack when no family alone matches."""
    whole = _probe(FONT)
    families = [f.strip().strip("'\"") for f in FONT.split(",")]
    for family in families:
        if _probe(family) == whole:
            return family
    return FONT


def render_card(svg: str, title: str, subtitle: str, brand: str = "") -> bytes:
    """The PNG social card around a rendered SVG."""
    _engine()
    card = compose_card(svg, title, subtitle, brand)
    family = raster_font()
    if family != FONT:
        card = card.replace(escape(FONT, {'"': "&quot;"}), family).replace(FONT, family)
    return vl_convert.svg_to_png(card, scale=1)


@dataclass(frozen=True)
class Headline:
    """What one report needs rendered: its static spec's SVG and, with a title, a card."""

    spec: dict  # a static spec (``static_spec``)
    title: str = ""
    subtitle: str = ""
    brand: str = ""
    card: bool = True

    @property
    def svg_key(self) -> str:
        return spec_key(self.spec)

    @property
    def card_key(self) -> str:
        return card_key(self.svg_key, self.title, self.subtitle, self.brand)


def _render_job(
    job: tuple[str, str | None, dict | None, str | None, str, str, str],
) -> tuple[str, bytes, str | None, bytes | None]:
    """Worker: render the SVG (unless given) and the card (when asked)."""
    svg_key, c_key, spec, svg_text, title, subtitle, brand = job
    svg = svg_text if svg_text is not None else render_svg(spec or {})
    card = render_card(svg, title, subtitle, brand) if c_key is not None else None
    return svg_key, svg.encode("utf-8"), c_key, card


# ----------------------------------------------------------------------------- the cache


class ImageCache:
    """Rendered images on disk, one file per content hash (written atomically)."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def _path(self, key: str, ext: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / key[:2] / f"{key}.{ext}"

    def get(self, key: str, ext: str) -> bytes | None:
        path = self._path(key, ext)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, key: str, ext: str, data: bytes) -> None:
        path = self._path(key, ext)
        if path is not None:
            write_cache_file(path, data)


@dataclass
class RenderStats:
    """What ``StaticImages.prepare`` did, for the build summary and the benchmark."""

    pages: int = 0
    from_cache: int = 0
    rendered: int = 0
    seconds: float = 0.0
    jobs: int = 1
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, other: RenderStats) -> None:
        """Fold in the statistics of another ``prepare`` call."""
        self.pages += other.pages
        self.from_cache += other.from_cache
        self.rendered += other.rendered
        self.seconds += other.seconds
        self.jobs = max(self.jobs, other.jobs)
        for kind, n in other.kinds.items():
            self.kinds[kind] = self.kinds.get(kind, 0) + n

    @property
    def per_page_ms(self) -> float:
        """Wall-clock milliseconds per page rendered (not counting pages found in the cache)."""
        return self.seconds / self.rendered * 1000 if self.rendered else 0.0


def _pool(workers: int) -> ProcessPoolExecutor:
    # "spawn": vl-convert runs a JavaScript engine on threads, which must not be forked.
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=die_with_parent, initargs=(os.getpid(),)
    )


class StaticImages:
    """The build's static images, keyed by content hash: memory, then the disk cache, then vl-convert."""

    def __init__(self, cache_dir: Path | None = None, jobs: int | None = None):
        self.cache = ImageCache(cache_dir)
        self.jobs = jobs
        self.memory: dict[str, bytes] = {}
        self.stats = RenderStats()
        self._pool: ProcessPoolExecutor | None = None
        self._in_session = False

    def configure(self, cache_dir: Path | None, jobs: int | None = None) -> None:
        self.cache = ImageCache(cache_dir)
        if jobs is not None:
            self.jobs = jobs

    @contextmanager
    def session(self) -> Iterator[StaticImages]:
        """Keep one pool of worker processes for several ``prepare`` calls (starting a worker
        and its JavaScript engine costs about half a second)."""
        self._in_session = True
        try:
            yield self
        finally:
            self._in_session = False
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None

    def forget(self, keys: Iterable[str] | None = None) -> None:
        """Drop the images held in memory (all, or those of ``keys``); the disk cache keeps them."""
        if keys is None:
            self.memory.clear()
            return
        for key in keys:
            self.memory.pop(key, None)

    def _lookup(self, key: str, ext: str) -> bytes | None:
        data = self.memory.get(key)
        if data is None:
            data = self.cache.get(key, ext)
            if data is not None:
                self.memory[key] = data
        return data

    def _store(self, key: str, ext: str, data: bytes) -> None:
        self.memory[key] = data
        self.cache.put(key, ext, data)

    def svg_text(self, spec: dict) -> str:
        """The SVG of a static spec, rendered now if neither memory nor the cache has it."""
        key = spec_key(spec)
        data = self._lookup(key, "svg")
        if data is None:
            data = render_svg(spec).encode("utf-8")
            self._store(key, "svg", data)
        return data.decode("utf-8")

    def svg(self, spec: dict) -> str:
        """The inline SVG fallback of a page's (filled) spec, hidden from assistive technology."""
        return inline_svg(self.svg_text(static_spec(spec)))

    def card(self, head: Headline) -> bytes:
        """The PNG card of a headline, rendered now if neither memory nor the cache has it."""
        key = head.card_key
        data = self._lookup(key, "png")
        if data is None:
            data = render_card(self.svg_text(head.spec), head.title, head.subtitle, head.brand)
            self._store(key, "png", data)
        return data

    def prepare(self, heads: Iterable[Headline], jobs: int | None = None) -> RenderStats:
        """Render every headline's SVG (and card) not yet in memory or the cache, in parallel
        worker processes, so that later ``svg``/``card`` calls are lookups."""
        return self.submit(heads, jobs).wait()

    def submit(self, heads: Iterable[Headline], jobs: int | None = None) -> PendingImages:
        """Start rendering what ``prepare`` would and return at once (inside a ``session``,
        the image workers draw while the caller does other work); ``wait()`` stores the images
        and gives the statistics. Outside a session, or for a few images, it renders here."""
        started = time.perf_counter()
        stats = RenderStats(jobs=jobs or self.jobs or default_jobs())
        todo: dict[str, tuple] = {}
        for head in heads:
            stats.pages += 1
            s_key = head.svg_key
            c_key = head.card_key if head.card else None
            svg = self._lookup(s_key, "svg")
            card = self._lookup(c_key, "png") if c_key else None
            if svg is not None and (c_key is None or card is not None):
                stats.from_cache += 1
                continue
            if s_key in todo:
                continue
            todo[s_key] = (
                s_key,
                c_key,
                None if svg is not None else head.spec,
                svg.decode() if svg is not None else None,
                head.title,
                head.subtitle,
                head.brand,
            )
        jobs_list = list(todo.values())
        # a process that may not run the engine itself (forked from the build) always spawns workers
        if not jobs_list or (forked_reason() is None and (stats.jobs <= 1 or len(jobs_list) < PARALLEL_THRESHOLD)):
            return PendingImages(self, stats, started, done=[_render_job(job) for job in jobs_list])
        if self._in_session:
            if self._pool is None:
                self._pool = _pool(stats.jobs)
            chunk = max(1, min(8, len(jobs_list) // (stats.jobs * 4)))
            futures = [self._pool.submit(_render_jobs, jobs_list[i : i + chunk]) for i in range(0, len(jobs_list), chunk)]
            return PendingImages(self, stats, started, futures=futures)
        workers = min(stats.jobs, len(jobs_list))
        chunk = max(1, min(8, len(jobs_list) // (workers * 4)))
        with _pool(workers) as pool:
            done = list(pool.map(_render_job, jobs_list, chunksize=chunk))
        return PendingImages(self, stats, started, done=done)


def _render_jobs(jobs: list[tuple]) -> list[tuple[str, bytes, str | None, bytes | None]]:
    return [_render_job(job) for job in jobs]


class PendingImages:
    """Images being rendered (``StaticImages.submit``); ``wait`` stores them."""

    def __init__(self, images: StaticImages, stats: RenderStats, started: float, *, done: list | None = None, futures: list | None = None):
        self._images = images
        self._stats = stats
        self._started = started
        self._done = done or []
        self._futures = futures or []

    def wait(self) -> RenderStats:
        results = list(self._done)
        for future in self._futures:
            results.extend(future.result())
        stats, images = self._stats, self._images
        for s_key, svg_bytes, c_key, card in results:
            images._store(s_key, "svg", svg_bytes)
            stats.kinds["svg"] = stats.kinds.get("svg", 0) + 1
            if c_key is not None and card is not None:
                images._store(c_key, "png", card)
                stats.kinds["card"] = stats.kinds.get("card", 0) + 1
            stats.rendered += 1
        stats.seconds = time.perf_counter() - self._started
        images.stats = stats
        return stats


#: What Vega writes into an SVG that an inlined static picture, hidden from assistive technology,
#: does not use: class names and ARIA roles (the site's CSS styles none of them), the pointer
#: events of an interactive view, and a default opacity.
_UNUSED_ATTRIBUTE = re.compile(r'\s(?:class|role|aria-roledescription|aria-label|aria-hidden|pointer-events)="[^"]*"|\sopacity="1"')
#: What draws nothing: the hidden foreground path and the zero-size background of every group
#: Vega draws, and a translation by nothing.
_NOTHING = re.compile(r'<path\b[^>]*\bdisplay="none"[^>]*/>|<path\b[^>]*\sd="M0,0h0v0h0Z"[^>]*/>| transform="translate\(0,0\)"')
_TAG = re.compile(r"<[^>]+>")
_FINE_DECIMAL = re.compile(r"-?\d+\.\d{2,}")


def _tenth(match: re.Match[str]) -> str:
    """A coordinate to a tenth of a pixel, written short: 12.0 as 12, -0.0 as 0."""
    text = f"{float(match.group(0)):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def inline_svg(text: str) -> str:
    """A rendered SVG made fit for inlining in every report page: no XML prolog, hidden from
    the accessibility tree and not focusable, and about a third lighter. The page carries it
    whole (it is what shows until the chart draws, and without JavaScript), so attributes
    nothing reads are dropped and coordinates kept to a tenth of a pixel (a twentieth of a
    pixel off at most, on a picture drawn at 720 px or smaller). Text between tags (the
    axis labels) is left as it is; the PNG card and the SVG files are drawn from the full SVG."""
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text
    text = _NOTHING.sub("", text)
    text = _TAG.sub(lambda tag: _FINE_DECIMAL.sub(_tenth, _UNUSED_ATTRIBUTE.sub("", tag.group(0))), text)
    return text.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
