"""What a reader downloads: HTML bytes per page family, and a report's transfer in Chromium.

Readers on phones pay for every byte, so the benchmark weighs a built site two ways:

* **HTML per page family** (reports, stocks, indicators, the home page ...): the bytes of each
  ``index.html`` as written and gzip-compressed (what a host that compresses sends), with the
  part of a report page that is inlined chart JSON and data tables, since those are what make it
  heavy.
* **Transferred bytes in a real browser**: the site is served by a local HTTP server that
  compresses text with gzip and lets the browser cache for ten minutes (``Cache-Control:
  max-age=600``, what GitHub Pages sends), and Debian's Chromium (through Playwright, never a
  downloaded browser) opens the newest report in a fresh profile (a **first visit**: the page,
  its stylesheet, scripts, charts' data and images), then, in the same profile, the report
  before it (a **repeat visit**: what a reader who came yesterday downloads today). The bytes
  are the Chrome DevTools Protocol's ``encodedDataLength`` of every response (headers and
  compressed body, as DevTools' "transferred" column), summed until the network is idle.

Usage: ``python -m benchmarks.page_weight SITE`` prints the figures as JSON.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import re
import statistics
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
#: Text types a host compresses.
COMPRESSED = (".html", ".css", ".js", ".json", ".csv", ".svg", ".xml", ".txt")
#: Pages of a family weighed with gzip (all of them, up to this many, evenly spread).
GZIP_SAMPLE = 200
_JSON_BLOCK = re.compile(r"<script type=\"application/json\"[^>]*>.*?</script>", re.S)
_TABLE = re.compile(r"<table\b.*?</table>", re.S)


def family(relative: str) -> str:
    """The page family of a site path such as ``reports/2025-01-02/index.html``."""
    parts = relative.split("/")
    if parts[0] == "ko" and len(parts) > 1:  # the Korean edition: the same families
        parts = parts[1:]
    if len(parts) == 1:
        return "home"
    return {"reports": "report", "stocks": "stock", "indicators": "indicator"}.get(parts[0], parts[0])


def _summary(sizes: list[int]) -> dict:
    return {"n": len(sizes), "mean": statistics.fmean(sizes), "median": statistics.median(sizes), "max": max(sizes)}


def html_weights(site: Path) -> dict[str, dict]:
    """Per family: the pages, and the mean/median/max bytes of their HTML, raw and gzipped;
    for reports also the mean bytes of inlined chart JSON and of tables."""
    pages: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("pagefind/", "data/")):
            continue
        pages[family(rel)].append(path)
    out: dict[str, dict] = {}
    for name, paths in sorted(pages.items()):
        raw = [p.stat().st_size for p in paths]
        step = max(1, len(paths) // GZIP_SAMPLE)
        sample = paths[::step]
        texts = [p.read_bytes() for p in sample]
        zipped = [len(gzip.compress(t, 6)) for t in texts]
        entry = {"raw": _summary(raw), "gzip": _summary(zipped)}
        if name == "report":
            decoded = [t.decode("utf-8") for t in texts]
            entry["chart_json"] = statistics.fmean(sum(len(m.encode()) for m in _JSON_BLOCK.findall(d)) for d in decoded)
            entry["tables"] = statistics.fmean(sum(len(m.encode()) for m in _TABLE.findall(d)) for d in decoded)
        out[name] = entry
    return out


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text, and a ten-minute cache lifetime (as GitHub Pages)."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        body = path.read_bytes()
        encoding = None
        if path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body, encoding = gzip.compress(body, 6), "gzip"
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _visit(page, cdp, url: str) -> dict:
    """Open ``url`` and sum what came over the network until it is idle."""
    got: dict[str, dict] = {}

    def response(event: dict) -> None:
        got.setdefault(event["requestId"], {})["url"] = event["response"]["url"]

    def finished(event: dict) -> None:
        got.setdefault(event["requestId"], {})["bytes"] = event["encodedDataLength"]

    def cached(event: dict) -> None:
        got.setdefault(event["requestId"], {})["cached"] = True

    cdp.on("Network.responseReceived", response)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.requestServedFromCache", cached)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)  # charts draw after load; anything they fetch is counted
    cdp.remove_listener("Network.responseReceived", response)
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.requestServedFromCache", cached)
    fetched = [g for g in got.values() if g.get("bytes") and not g.get("cached")]
    by_type: dict[str, int] = defaultdict(int)
    for g in fetched:
        suffix = Path(g.get("url", "").split("?", 1)[0]).suffix or ".html"
        by_type[suffix] += int(g["bytes"])
    return {
        "bytes": sum(int(g["bytes"]) for g in fetched),
        "requests": len(fetched),
        "from_cache": sum(1 for g in got.values() if g.get("cached")),
        "by_type": dict(sorted(by_type.items())),
    }


def transfers(site: Path, first: str, repeat: str, executable: str = CHROMIUM) -> dict:
    """First visit to ``first`` (a fresh profile), then a visit to ``repeat`` in the same profile."""
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            out = {"first": _visit(page, cdp, base + first), "repeat": _visit(page, cdp, base + repeat)}
            out["first"]["page"], out["repeat"]["page"] = first, repeat
            context.close()
        finally:
            browser.close()
    return out


def weigh(site: Path, *, browser: bool = True) -> dict:
    """Everything above for a built site: the HTML table, and the newest report's transfers."""
    result: dict = {"html": html_weights(site)}
    reports = sorted(p.parent.name for p in (site / "reports").glob("*/index.html"))
    if browser and len(reports) >= 2 and Path(CHROMIUM).exists():
        result["transfer"] = transfers(site, f"reports/{reports[-1]}/", f"reports/{reports[-2]}/")
    return result


if __name__ == "__main__":
    print(json.dumps(weigh(Path(sys.argv[1])), indent=1))
