"""Shared test fixtures: the sites built once per run, a local server, and real Chromium.

A whole-site build is the suite's costly step, so each site a test reads is built once per run
and shared by the xdist workers (``shared_build``: the first worker to need it builds it while
the other waits, then both read it); a test that changes a site works on a copy
(``copy_site``). Every build in the run shares one private image cache, never the developer's
own (``private_chart_cache``).

Page tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; every request that
would leave 127.0.0.1 is aborted and recorded, so a test can assert the site needs no network.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Fixed build time so that builds in tests are reproducible.
EPOCH = "1767830400"  # 2026-01-08 00:00 UTC


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real market-data files beside the project; tests using them skip when absent."""
    path = SHARED / "data" / "real"
    if not path.is_dir():
        pytest.skip("../shared/data/real is not present")
    return path


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every xdist worker of this run (and by this run only): the parent of
    the workers' own temporary folders, or this process's when the run has no workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def private_chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One image and template cache for the whole run, shared by its workers and the
    ``kospi-report`` processes tests start: warm after the first build, yet never the
    developer's ``~/.cache`` (which a test must neither read nor fill)."""
    from generator.cache import CACHE_ENV

    cache = run_folder(tmp_path_factory) / "chart-cache"
    cache.mkdir(exist_ok=True)
    old = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(cache)
    yield cache
    if old is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = old


def shared_build(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """``run_folder/name``, filled by ``make(folder)`` once per run: the first worker to ask
    builds it under a lock; the others wait for it and read the same folder (read-only)."""
    folder = run_folder(tmp_path_factory) / name
    done = folder.with_name(f"{name}.done")
    with open(folder.with_name(f"{name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)  # a worker that failed half-way
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def copy_site(site: Path, dest: Path) -> Path:
    """A private copy of a shared site (for a test that builds on top of it or changes it)."""
    shutil.copytree(site, dest, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample content built once per run (read-only: copy before changing)."""
    return shared_build(tmp_path_factory, "sample", lambda folder: build_at_epoch(CONTENT, folder / "site")) / "site"


#: The random history of ``random_site``: a year of 15 stocks on the 2020 trading calendar, with no
#: anchors to real figures.
RANDOM_START, RANDOM_END, RANDOM_STOCKS, RANDOM_SEED = "2020-01-02", "2020-12-30", 15, 5


@pytest.fixture(scope="session")
def random_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A whole site built from a random history rather than the sample: (content, site).

    Tests that use it carry ``@pytest.mark.xdist_group("random_site")`` so that one worker
    builds it while the other goes on with other tests."""

    def make(folder: Path) -> None:
        from generator import sample

        sample.generate(folder / "content" / "data", start=RANDOM_START, end=RANDOM_END, n_stocks=RANDOM_STOCKS, seed=RANDOM_SEED, anchors=False)
        build_at_epoch(folder / "content", folder / "site")

    folder = shared_build(tmp_path_factory, "random", make)
    return folder / "content", folder / "site"


MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal content (tests/fixtures/minimal) and its site, built once per run:
    ``content/`` and ``site/``. Read-only: tests copy it (``minimal_project``)."""

    def make(folder: Path) -> None:
        shutil.copytree(MINIMAL, folder / "content")
        build_at_epoch(folder / "content", folder / "site", jobs=1)

    return shared_build(tmp_path_factory, "minimal", make)


@pytest.fixture
def minimal_project(minimal_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private project folder, ``content/`` (the minimal content) and ``site/`` published from it,
    with the test build time set."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / "project"
    shutil.copytree(minimal_site / "content", root / "content")
    copy_site(minimal_site / "site", root / "site")
    return root


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal content with hostile commentary, page and stock names, built once per run
    for the markup and the browser tests (tests/test_security_markup.py)."""
    from tests.test_security_markup import build_hostile_site

    return shared_build(tmp_path_factory, "hostile", build_hostile_site) / "site"


def build_at_epoch(content: Path, out: Path, **options):
    """Build with the fixed test build time (``SOURCE_DATE_EPOCH``), restoring the environment
    after; returns the build's result."""
    from generator.build import build

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return build(content, out, **options)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled content that a test may change."""
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


def keep_since(content: Path, since: str) -> Path:
    """Drop the rows and commentary of ``content`` dated before ``since`` (ISO dates compare as
    text): the sample's last weeks build in seconds where a test needs no longer history."""
    for path in (content / "data").glob("*.csv"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        if lines and lines[0].startswith("date,"):
            path.write_text(lines[0] + "".join(x for x in lines[1:] if x[:10] >= since), encoding="utf-8")
    for note in (content / "commentary").glob("*.md"):
        if note.stem < since:
            note.unlink()
    return content


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port); yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def serve_site() -> Iterator[Callable[[Path], str]]:
    """``serve_site(folder)`` -> base URL; servers stop at the end of the test."""
    stack = []

    def start(folder: Path) -> str:
        cm = serve(folder)
        stack.append(cm)
        return cm.__enter__()

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


@pytest.fixture(scope="session")
def sample_url(sample_site: Path) -> Iterator[str]:
    """The sample site served for the whole session."""
    with serve(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    if parsed.scheme == "file":
        return True
    return parsed.hostname in ("127.0.0.1",)


@pytest.fixture
def new_page(browser):
    """``new_page(**context_options)`` -> a page whose outside requests are aborted and recorded.

    The page has ``external_requests`` (URLs that tried to leave 127.0.0.1) and
    ``console_errors`` (console messages of type error, and uncaught page errors).
    """
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.external_requests = []
        page.console_errors = []

        def route(r):
            if _is_local(r.request.url):
                r.continue_()
            else:
                page.external_requests.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page with outside requests blocked (see ``new_page``)."""
    return new_page(viewport={"width": 1280, "height": 900})
