"""The build benchmark: one command, one run, one table (``make benchmark``).

In a temporary folder it generates N years of synthetic data in the data contract (every
series, 35 stocks by default) and times, each in a fresh process (``python -m generator build``):

* a cold full build (no published site, no caches);
* a rebuild with nothing changed;
* a rebuild after one new trading day is appended to every daily series;
* cold full builds of 5, 10 and 20 years, to show how the cost grows with history;
* a cold full build of the whole KOSPI universe (``--universe 950`` stocks, the main years);
* what a reader downloads: HTML bytes per page family, and the transferred bytes of a first and
  a repeat visit to a report in Chromium (benchmarks/page_weight.py);

with the wall time and peak memory of each, the cost of a report page's charts (spec, and
static SVG for a sample), and a cold build step by step. As the reference point, a plain
static-site build (Hugo) of the same number of pages is timed in the same run, and every
build time is also given as a multiple of it. The table is printed and written between the
markers of ``docs/performance.md`` and of the README's "Performance" section.

Usage: ``python benchmarks/run.py [--years 10] [--stocks 35] [--universe 950] [--scale 5,10,20]
[--jobs N] [--no-reference] [--no-browser] [--quick] [--doc PATH] [--readme PATH|none]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` puts benchmarks/, not the root, on the path
    sys.path.insert(0, str(ROOT))

from benchmarks import data as bench_data  # noqa: E402
from benchmarks import hugo_reference, machine, measure, page_weight  # noqa: E402
from benchmarks.report import Targets, render_markdown, update_between_markers  # noqa: E402


@dataclass
class Size:
    """Everything measured for one length of history."""

    years: float
    days: int = 0
    cold: measure.Run | None = None
    reference: measure.Run | None = None
    reference_pages: int = 0


@dataclass
class Results:
    """One benchmark run."""

    years: float
    stocks: int
    jobs: int | None
    machine: str
    main: Size
    unchanged: measure.Run | None = None
    new_day: measure.Run | None = None
    new_day_date: str = ""
    forced: measure.Run | None = None  # a full re-render with the chart images cached, step by step
    scaling: list[Size] = field(default_factory=list)
    pages: dict = field(default_factory=dict)
    stages: dict = field(default_factory=dict)
    command: str = "make benchmark"
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average when the run started and ended
    universe: Size | None = None  # the whole market: a cold build with ``universe_stocks`` stocks
    universe_stocks: int = 0
    weight: dict = field(default_factory=dict)  # benchmarks/page_weight.py's figures for the main site


def _python() -> str:
    return sys.executable


def _build_cmd(content: Path, out: Path, jobs: int | None) -> list[str]:
    cmd = [_python(), "-m", "generator", "build", "--content", str(content), "--out", str(out)]
    return cmd + ["--jobs", str(jobs)] if jobs else cmd


#: Stocks in the whole KOSPI market (about 950 listed companies).
UNIVERSE = 950

#: Set by ``run``: the frozen copy of the code that every measured process runs.
CODE: Path | None = None


def freeze_code(work: Path) -> Path:
    """Copy the generator, its templates and the benchmark into ``work``, and run that copy.

    The working tree changes while others edit it; every change to the code changes the build's
    code fingerprint, which (rightly) re-renders every page. Measuring a frozen copy keeps the
    no-change and one-new-day rebuilds about the data, not about someone's edit in between."""
    code = work / "code"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("generator", "templates", "benchmarks"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, code / name, ignore=ignore)
    return code


def _env(cache: Path) -> dict[str, str]:
    """The build's environment: the frozen code, and its own cache folders (so "cold" means no
    cached chart images)."""
    env = dict(os.environ)
    if CODE is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(CODE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["XDG_CACHE_HOME"] = str(cache)
    env["KOSPI_REPORT_CHART_CACHE"] = str(cache / "charts")
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cold(size: Size, work: Path, stocks: int, jobs: int | None, reference: bool, tag: str = "") -> tuple[Path, Path, Path]:
    """Generate ``size.years`` of content and time a cold build of it (and the reference)."""
    content = work / f"content-{size.years}y{tag}"
    out = work / f"site-{size.years}y{tag}"
    cache = work / f"cache-{size.years}y{tag}"
    _log(f"· generating {size.years} years of data ({stocks} stocks)")
    size.days = bench_data.make_content(content, years=size.years, stocks=stocks)
    for folder in (out, cache):
        shutil.rmtree(folder, ignore_errors=True)
    _log(f"· cold build, {size.years} years ({size.days} trading days)")
    size.cold = measure.run(_build_cmd(content, out, jobs), env=_env(cache))
    if reference:
        hugo_site = work / f"hugo-{size.years}y"
        size.reference_pages = hugo_reference.make_site(content / "data", hugo_site)
        _log(f"· reference: hugo, {size.reference_pages} pages")
        size.reference = measure.run(hugo_reference.command(hugo_site, work / f"hugo-out-{size.years}y"))
    return content, out, cache


def run(args: argparse.Namespace) -> Results:
    global CODE
    reference = not args.no_reference
    if reference and not shutil.which("hugo"):
        raise SystemExit("hugo is not installed (apt-get install hugo, or `make benchmark`); or pass --no-reference")
    scale = sorted({*args.scale, args.years}) if not args.quick else [args.years]
    with tempfile.TemporaryDirectory(prefix="kospi-bench-") as tmp:
        work = Path(tmp)
        CODE = freeze_code(work)
        main = Size(args.years)
        results = Results(args.years, args.stocks, args.jobs, machine.describe(), main)
        content, out, cache = _cold(main, work, args.stocks, args.jobs, reference)

        _log("· rebuild, nothing changed")
        results.unchanged = measure.run(_build_cmd(content, out, args.jobs), env=_env(cache))
        results.new_day_date = bench_data.append_day(content / "data")
        _log(f"· rebuild after one new trading day ({results.new_day_date})")
        results.new_day = measure.run(_build_cmd(content, out, args.jobs), env=_env(cache))

        _log("· chart cost per report page")
        probe = measure.run(
            [_python(), "-m", "benchmarks.probe", "pages", "--content", str(content), "--svg-sample", str(3 if args.quick else 20)],
            cwd=CODE,
            env=_env(work / "cache-probe"),
        )
        results.pages = json.loads(probe.output.strip().splitlines()[-1])
        _log("· a full re-render (--force, chart images cached), step by step")
        cmd = [_python(), "-m", "benchmarks.probe", "stages", "--content", str(content), "--out", str(work / "stages-site")]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        results.forced = measure.run(cmd, cwd=CODE, env=_env(cache))
        results.stages = json.loads(results.forced.output.strip().splitlines()[-1])
        _log("· page weight: HTML per page family, a report's first and repeat visit in Chromium")
        results.weight = page_weight.weigh(out, browser=not args.no_browser)
        shutil.rmtree(work / "stages-site", ignore_errors=True)

        if args.universe:
            results.universe_stocks = args.universe
            results.universe = Size(args.years)
            _log(f"· the whole market: {args.universe} stocks")
            _cold(results.universe, work, args.universe, args.jobs, reference=False, tag="-universe")
            for leftover in work.glob("*-universe"):
                shutil.rmtree(leftover, ignore_errors=True)

        for years in scale:
            if years == args.years:
                results.scaling.append(main)
                continue
            size = Size(years)
            _cold(size, work, args.stocks, args.jobs, reference)
            # Each size's folders go as soon as it is measured: 20 years of site is large.
            for leftover in work.glob(f"*-{years}y"):
                shutil.rmtree(leftover, ignore_errors=True)
            results.scaling.append(size)
    return results


def _parse_years(text: str) -> float:
    """Whole years as an int (10, so the tables say "10 years"), a fraction as it is (0.25)."""
    try:
        years = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of years") from None
    if not 0 < years <= 100:
        raise argparse.ArgumentTypeError(f"{text!r}: between 0 and 100 years")
    return int(years) if years.is_integer() else years


def _parse_scale(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of years such as 5,10,20") from None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description="Time the site build against a plain static-site build.")
    parser.add_argument("--years", type=_parse_years, default=10, help="years of history for the main measurements (default 10; a fraction such as 0.25 for a quick check)")
    parser.add_argument("--stocks", type=int, default=35, help="stocks in the generated data (default 35)")
    parser.add_argument("--universe", type=int, default=None, help="stocks of the whole-market cold build (default 950, none with --quick; 0 skips it)")
    parser.add_argument("--scale", type=_parse_scale, default=[5, 10, 20], help="years for the growth table (default 5,10,20)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to the build (default: the build's own default)")
    parser.add_argument("--no-reference", action="store_true", help="skip the Hugo reference build")
    parser.add_argument("--no-browser", action="store_true", help="weigh pages without Chromium (no transfer figures)")
    parser.add_argument("--quick", action="store_true", help="only the main size, a small SVG sample (for tests)")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "performance.md", help="docs page to update (default docs/performance.md)")
    parser.add_argument("--readme", default=str(ROOT / "README.md"), help="README to update, or 'none'")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures as JSON here")
    args = parser.parse_args(argv)
    if args.universe is None:
        args.universe = 0 if args.quick else UNIVERSE
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    results = run(args)
    results.load = (load_before, os.getloadavg()[0])
    results.command = "make benchmark" if not argv else "python benchmarks/run.py " + " ".join(argv)
    full, short = render_markdown(results, Targets())
    print(full)
    update_between_markers(args.doc, full, title="# Performance\n")
    if args.readme and args.readme != "none":
        update_between_markers(Path(args.readme), short, title=None)
    if args.json:
        args.json.write_text(json.dumps(_jsonable(results), indent=1), encoding="utf-8")
    _log(f"benchmark finished in {time.perf_counter() - started:.0f} s; tables written to {args.doc}")
    return 0


def _jsonable(value):
    if hasattr(value, "__dataclass_fields__"):
        out = {k: _jsonable(getattr(value, k)) for k in value.__dataclass_fields__}
        if isinstance(value, measure.Run):
            out["output"] = value.output[-500:]  # the build's summary line, not its whole log
        return out
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
