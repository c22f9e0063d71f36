"""Live preview: serve the built site on 127.0.0.1, rebuild on change, reload the browser.

Nothing is injected into the built files, so what is previewed is byte for byte what gets
published. Instead the server adds one ``<script src="/__kospi_reload.js?v=N" defer>`` tag to
HTML responses as it sends them; that script (served from a reserved path, so the site's CSP
of 'self' scripts allows it) listens to a Server-Sent-Events stream and reloads the page when a
rebuild succeeds. ``N`` is the build generation the page was served from, so a rebuild that
finishes before the page has connected still reloads it.

The server only ever serves files inside the site folder: every request path is decoded,
refused if it has ``.``/``..`` segments, backslashes or NULs, then resolved (following
symlinks) and checked to lie inside the resolved site folder; on Linux the opened file is
checked again through /proc, so a symlink swapped in between cannot escape either. Only
origin-form targets (``/path``) are answered: an absolute-form target
(``GET http://elsewhere/archive``) or any other form gets 400, and a folder's redirect to its
slash is built from the cleaned path, so no request can redirect a browser to another host.
A path the file system cannot hold (a name too long) is simply not found; a client that
disconnects mid-answer is one line in the log (``on_error``), not a traceback.

Library code: no printing; the ``serve`` command reports through callbacks.
"""

from __future__ import annotations

import errno
import http.server
import mimetypes
import os
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote

from generator.errors import UsageError

#: Reserved paths, outside any URL the site uses (docs/urls.md).
RELOAD_PATH = "/__kospi_reload.js"
EVENTS_PATH = "/__kospi_events"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

RELOAD_JS = b"""\
// kospi-report serve: reload this page when the site has been rebuilt (preview only).
(() => {
  const me = document.currentScript && new URL(document.currentScript.src).searchParams.get("v");
  let seen = me;
  const source = new EventSource("/__kospi_events");
  source.addEventListener("hello", (e) => {
    if (seen !== null && e.data !== seen) location.reload();
    seen = e.data;
  });
  source.addEventListener("reload", () => location.reload());
})();
"""

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
}
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


class Generations:
    """The count of successful builds, which event streams wait on."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.value = 0
        self.closed = False

    def bump(self) -> int:
        with self._cond:
            self.value += 1
            self._cond.notify_all()
            return self.value

    def close(self) -> None:
        """Wake every waiting stream so the server can stop."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> int | None:
        """The generation once it differs from ``seen`` (or after ``timeout``); None when closed."""
        with self._cond:
            self._cond.wait_for(lambda: self.value != seen or self.closed, timeout)
            return None if self.closed else self.value


def resolve_request(root: Path, target: str) -> Path | None:
    """The file inside ``root`` that a request target names, or None when it is refused.

    Refused: anything that is not a plain absolute path after percent-decoding (``..`` or ``.``
    segments, backslashes, NULs, invalid UTF-8) and anything that resolves outside ``root``
    (a symlink to elsewhere). A directory maps to its ``index.html``. The result may not exist.
    Raises OSError for a path the file system cannot hold (a name too long).
    """
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        return None  # absolute-form, authority-form, "*": never a file of the site
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    base = root.resolve()
    candidate = base.joinpath(*parts)
    if candidate.is_dir():  # OSError for a name too long: the caller answers 404
        candidate = candidate / "index.html"
    resolved = candidate.resolve()
    if resolved != base and not resolved.is_relative_to(base):
        return None
    return resolved


def _inside(fd: int, root: Path) -> bool:
    """Check an opened file's real path (Linux /proc); elsewhere the resolve check stands alone."""
    proc = Path(f"/proc/self/fd/{fd}")
    if not proc.exists():
        return True
    real = Path(os.readlink(proc))
    return real.is_relative_to(root.resolve())


def inject_reload(html: bytes, generation: int) -> bytes:
    """The page with the reload script tag added before ``</body>`` (or at the end)."""
    tag = f'<script src="{RELOAD_PATH}?v={generation}" defer></script>'.encode()
    found = list(_BODY_END.finditer(html))
    if not found:
        return html + tag
    at = found[-1].start()
    return html[:at] + tag + html[at:]


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD for the site's files, the reload script and the event stream."""

    server: PreviewServer
    server_version = "kospi-report-preview"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the command reports
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(body=True)

    def _serve(self, *, body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith("/") or path.startswith("//"):
            # absolute-form (http://host/...) or a network-path: answered only by proxies
            return self._send(400, "text/plain; charset=utf-8", b"400 bad request: expected a path such as /archive/\n", body)
        if path == RELOAD_PATH:
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS, body)
        if path == EVENTS_PATH:
            return self._events() if body else self._send(200, "text/event-stream", b"", False)
        root = self.server.root
        try:
            target = resolve_request(root, self.path)
            if target is not None and not target.is_file():
                return self._not_found(body)
        except OSError:  # a name too long for the file system: no such file
            return self._not_found(body)
        if target is None:
            return self._send(403, "text/plain; charset=utf-8", b"403 forbidden: outside the site folder\n", body)
        if target.name == "index.html" and not unquote(path).endswith(("/", "index.html")):
            # a folder: its relative links need the slash. The location is this server's own
            # path, rebuilt from the target's segments, never a host from the request.
            return self._redirect("/" + path.lstrip("/") + "/")
        try:
            data = self._read(target, root)
        except OSError:
            return self._not_found(body)
        if data is None:
            return self._send(403, "text/plain; charset=utf-8", b"403 forbidden: outside the site folder\n", body)
        ctype = _TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/html"):
            data = inject_reload(data, self.server.generations.value)
        self._send(200, ctype, data, body)

    @staticmethod
    def _read(target: Path, root: Path) -> bytes | None:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if not _inside(handle.fileno(), root):
                return None
            return handle.read()

    def _not_found(self, body: bool) -> None:
        page = resolve_request(self.server.root, "/404.html")
        data = b"404 not found\n"
        ctype = "text/plain; charset=utf-8"
        if page is not None and page.is_file():
            try:
                data = self._read(page, self.server.root) or data
                ctype = _TYPES[".html"]
                data = inject_reload(data, self.server.generations.value)
            except OSError:
                pass
        self._send(404, ctype, data, body)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, ctype: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """A Server-Sent-Events stream: ``hello`` with the current generation, then ``reload``."""
        gens = self.server.generations
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = gens.value
        try:
            self.wfile.write(f"retry: 1000\nevent: hello\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while True:
                now = gens.wait(seen, timeout=10)
                if now is None:
                    return
                if now != seen:
                    seen = now
                    self.wfile.write(f"event: reload\ndata: {seen}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def _log_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


class PreviewServer(http.server.ThreadingHTTPServer):
    """An HTTP server for one site folder (resolved anew on each request: builds swap it in).

    ``on_error`` receives one line per request that failed (a client that went away, a
    request the server could not answer); by default it goes to stderr.
    """

    daemon_threads = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, on_error: Callable[[str], None] = _log_stderr):
        self.root = root
        self.on_error = on_error
        self.generations = Generations()
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise UsageError(f"cannot serve on host {host!r}: {exc.strerror}") from None
        self.address_family = infos[0][0]
        try:
            address = infos[0][4]  # (host, port) for IPv4, (host, port, flow, scope) for IPv6
            super().__init__((str(address[0]), int(address[1])), PreviewHandler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"port {port} on {host} is already in use; choose another with --port") from None
            raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror}") from None

    def handle_error(self, request, client_address) -> None:
        """One line for a failed request instead of socketserver's traceback."""
        exc = sys.exc_info()[1]
        client = f"{client_address[0]}:{client_address[1]}" if isinstance(client_address, tuple) else str(client_address)
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)):
            self.on_error(f"preview: {client} disconnected before the answer was sent")
        else:
            self.on_error(f"preview: a request from {client} failed ({type(exc).__name__}: {exc})")

    @property
    def url(self) -> str:
        address, port = self.server_address[:2]
        host = address if isinstance(address, str) else bytes(address).decode()
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"

    def start(self) -> threading.Thread:
        """Serve in a background thread (the caller watches for changes)."""
        thread = threading.Thread(target=self.serve_forever, name="preview-server", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop serving: end the event streams, then the server."""
        self.generations.close()
        self.shutdown()
        self.server_close()


def watch_paths(content: Path, templates: Path | None) -> list[Path]:
    """The folders whose changes trigger a rebuild."""
    return [p for p in (content, templates) if p is not None and p.is_dir()]


def check_output(out: Path, watched: Iterable[Path]) -> None:
    """Refuse an output folder inside a watched folder: each build would trigger the next."""
    o = out.resolve()
    for folder in watched:
        if o == folder.resolve() or o.is_relative_to(folder.resolve()):
            raise UsageError(f"the output folder {out} is inside {folder}, which is watched for changes; choose another --out")


def changes(paths: list[Path], stop: threading.Event, debounce_ms: int = 300) -> Iterator[set[Path]]:
    """Batches of changed files under ``paths`` until ``stop`` is set (editor swap files ignored)."""
    import watchfiles

    for batch in watchfiles.watch(*paths, stop_event=stop, debounce=debounce_ms, raise_interrupt=True):
        yield {Path(p) for _, p in batch}


def run_preview(
    server: PreviewServer,
    rebuild: Callable[[], bool],
    paths: list[Path],
    stop: threading.Event,
    on_change: Callable[[set[Path]], None] = lambda changed: None,
) -> None:
    """Rebuild on every batch of changes; a successful rebuild makes open pages reload.

    ``rebuild`` returns True when the new site was published (False keeps the last good site
    being served). Returns when ``stop`` is set; KeyboardInterrupt propagates to the caller.
    """
    for changed in changes(paths, stop):
        on_change(changed)
        if rebuild():
            server.generations.bump()
