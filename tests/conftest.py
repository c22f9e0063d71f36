"""Shared test fixtures: the sample site built once, a local server, and real Chromium.

Page tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; every request that
would leave 127.0.0.1 is aborted and recorded, so a test can assert the site needs no network.
"""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample content built once per test session (read-only: copy before changing)."""
    out = tmp_path_factory.mktemp("sample") / "site"
    build_at_epoch(CONTENT, out)
    return out


#: The random history of ``random_site``: two years of 15 stocks, no anchors to real figures.
RANDOM_START, RANDOM_END, RANDOM_STOCKS, RANDOM_SEED = "2019-01-02", "2020-12-30", 15, 5


@pytest.fixture(scope="session")
def random_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A whole site built from a random history rather than the sample: (content, site).

    Tests that use it carry ``@pytest.mark.xdist_group("random_site")`` so that one worker
    builds it once for all of them."""
    from generator import sample

    content = tmp_path_factory.mktemp("random") / "content"
    sample.generate(content / "data", start=RANDOM_START, end=RANDOM_END, n_stocks=RANDOM_STOCKS, seed=RANDOM_SEED, anchors=False)
    out = tmp_path_factory.mktemp("random-site") / "site"
    build_at_epoch(content, out)
    return content, out


def build_at_epoch(content: Path, out: Path) -> None:
    """Build with the fixed test build time (``SOURCE_DATE_EPOCH``), restoring the environment after."""
    from generator.build import build

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(content, out)
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
