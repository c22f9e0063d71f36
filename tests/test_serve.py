"""``kospi-report serve``: a real preview process on 127.0.0.1, live reload in Chromium, and
nothing outside the site folder ever served."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.preview import EVENTS_PATH, RELOAD_PATH, PreviewServer, inject_reload, resolve_request
from tests.conftest import EPOCH, ROOT, keep_since

SECRET = "TOP-SECRET-OUTSIDE-THE-SITE"
#: Bound on every wait; the first build of the sample takes ~10 s on a busy 2-core machine.
START_TIMEOUT = 180
RELOAD_TIMEOUT = 120


@dataclass
class Served:
    url: str
    port: int
    out: Path
    content: Path
    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _wait_for(predicate, timeout: float, proc: subprocess.Popen | None = None, what: str = "condition", log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"serve exited with {proc.returncode}:\n{log.read_text() if log else ''}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}:\n{log.read_text() if log else ''}")


def request(port: int, target: str, method: str = "GET", host: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    """One HTTP request with the target sent exactly as given (no client-side normalising)."""
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


#: The preview tests keep the sample's last weeks only, so each build takes seconds, not minutes.
RECENT = "2025-12-01"


def keep_recent(content: Path, since: str = RECENT) -> Path:
    return keep_since(content, since)


@pytest.fixture
def served(content_copy: Path, tmp_path: Path) -> Iterator[Served]:
    """``kospi-report serve`` in a real subprocess on a free port, stopped (and killed if need be) at the end."""
    keep_recent(content_copy)
    out = tmp_path / "site"
    log = tmp_path / "serve.log"
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "generator", "serve", "--content", str(content_copy), "--out", str(out), "--port", "0"]
    with open(log, "w", encoding="utf-8") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    try:
        found = _wait_for(
            lambda: re.search(r"at http://127\.0\.0\.1:(\d+)/", log.read_text(encoding="utf-8")),
            START_TIMEOUT,
            proc,
            "serve to start",
            log,
        )
        port = int(found.group(1))
        assert request(port, "/")[0] == 200, f"the first build failed:\n{log.read_text(encoding='utf-8')}"
        yield Served(f"http://127.0.0.1:{port}/", port, out, content_copy, proc, log)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


@pytest.mark.browser
@pytest.mark.slow
def test_serve_previews_and_reloads_the_browser_after_a_content_change(served: Served, page):
    status, headers, body = request(served.port, "/reports/2026-01-07/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'<script src="{RELOAD_PATH}?v=0" defer></script></body>'.encode() in body
    built = (served.out / "reports" / "2026-01-07" / "index.html").read_bytes()
    assert b"__kospi" not in built  # nothing is injected into the built files

    page.goto(served.url + "reports/2026-01-07/")
    assert "clears 4,600" in page.title()

    # A broken file: the problem is printed and the last good site stays on show (no reload).
    note = served.content / "commentary" / "2026-01-07.md"
    original = note.read_text(encoding="utf-8")
    note.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    _wait_for(
        lambda: "still serving the last good build" in served.output(),
        RELOAD_TIMEOUT,
        served.proc,
        "a failed rebuild",
        served.log,
    )
    assert re.search(rf"{re.escape(str(note))}:\d+: front matter is not valid YAML", served.output())
    assert request(served.port, "/reports/2026-01-07/")[0] == 200
    assert "clears 4,600" in page.title()

    # The fix, with new text: the open page reloads by itself and shows it.
    marker = "Live-reload check: the preview picked up this sentence."
    note.write_text(original.replace("The KOSPI crossed 4,600", f"{marker}\n\nThe KOSPI crossed 4,600", 1), encoding="utf-8")
    from playwright.sync_api import expect

    expect(page.get_by_text(marker)).to_be_visible(timeout=RELOAD_TIMEOUT * 1000)
    assert "Rebuilt" in served.output() or "Built" in served.output()
    assert page.external_requests == []

    # Ctrl-C stops cleanly.
    served.proc.send_signal(signal.SIGINT)
    assert served.proc.wait(timeout=20) == 0
    assert served.output().rstrip().endswith("Stopped.")


@pytest.mark.slow
def test_serve_refuses_paths_outside_the_site_and_binds_loopback_only(served: Served, tmp_path: Path):
    site = served.out
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "up").symlink_to(tmp_path, target_is_directory=True)
    (site / "inside.css").symlink_to(site / "assets" / "site.css")
    outside = str(tmp_path / "secret.txt")
    rel = os.path.relpath(tmp_path / "secret.txt", site).replace(os.sep, "/")  # ../secret.txt
    attempts = [
        "/../secret.txt",
        f"/{rel}",
        "/reports/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/reports/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/.%2e/secret.txt",
        "/%252e%252e/secret.txt",
        f"/{outside}",
        f"/{outside.lstrip('/')}",
        f"//{outside.lstrip('/')}",
        f"http://127.0.0.1:{served.port}/../secret.txt",
        "/leak.txt",
        "/up/secret.txt",
        "/%00/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ]
    for target in attempts:
        status, _, body = request(served.port, target)
        assert status in (400, 403, 404), (target, status)  # 400: an absolute-form target
        assert SECRET.encode() not in body and b"root:" not in body, target
    assert request(served.port, "/inside.css")[0] == 200  # a symlink within the site is fine
    assert request(served.port, "/reports/2026-01-07")[0] == 301  # folders get their slash
    assert request(served.port, "/assets/site.css", method="HEAD")[0] == 200

    listening = _listening_addresses(served.port)
    assert listening == {"127.0.0.1"}, listening


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if int(hexport, 16) != port or state != "0A":
                continue
            if width == 8:
                found.add(".".join(str(b) for b in reversed(bytes.fromhex(addr))))
            else:
                found.add(f"ipv6:{addr}")
    return found


# --- the server in-process: fast checks of the same rules ----------------------------------


@pytest.fixture
def small_site(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    site = tmp_path / "site"
    (site / "reports" / "2026-01-07").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Home</title><body><p>home</p></body>", encoding="utf-8")
    (site / "reports" / "2026-01-07" / "index.html").write_text("<p>no body tag</p>", encoding="utf-8")
    (site / "data.json").write_text("{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    server = PreviewServer(site, "127.0.0.1", 0)
    server.start()
    try:
        yield server, site
    finally:
        server.stop()


def test_reload_script_and_event_stream(small_site):
    server, _ = small_site
    port = server.server_address[1]
    status, headers, body = request(port, RELOAD_PATH)
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"EventSource" in body and EVENTS_PATH.encode() in body
    status, headers, body = request(port, "/")
    assert body.endswith(b'<script src="/__kospi_reload.js?v=0" defer></script></body>')
    assert headers["Content-Length"] == str(len(body))
    assert request(port, "/data.json")[2] == b"{}"  # only HTML gets the tag
    assert request(port, "/reports/2026-01-07/")[2].endswith(
        b'<p>no body tag</p><script src="/__kospi_reload.js?v=0" defer></script>'
    )

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", EVENTS_PATH)
    resp = conn.getresponse()
    assert resp.getheader("Content-Type") == "text/event-stream"
    assert resp.fp.readline() == b"retry: 1000\n"
    assert resp.fp.readline() == b"event: hello\n" and resp.fp.readline() == b"data: 0\n"
    resp.fp.readline()
    threading.Timer(0.2, server.generations.bump).start()
    assert resp.fp.readline() == b"event: reload\n" and resp.fp.readline() == b"data: 1\n"
    conn.close()
    assert request(port, "/")[2].endswith(b'<script src="/__kospi_reload.js?v=1" defer></script></body>')


def test_symlink_out_of_the_site_is_refused_in_process(small_site):
    server, _ = small_site
    status, _, body = request(server.server_address[1], "/leak.txt")
    assert status == 403 and SECRET.encode() not in body


def test_inject_reload_puts_the_tag_before_the_last_body_end():
    html = b"<body><pre>&lt;/body&gt;</pre></BODY >\n</html>"
    assert (
        inject_reload(html, 3)
        == b'<body><pre>&lt;/body&gt;</pre><script src="/__kospi_reload.js?v=3" defer></script></BODY >\n</html>'
    )


_SEGMENTS = st.sampled_from(
    ["..", ".", "%2e%2e", "%2E%2e", "%2f", "%5c", "\\", "%00", "a", "reports", "secret.txt", "", "%252e", "..%2f"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SEGMENTS, max_size=8), st.sampled_from(["", "?x=1", "#f", "/"]))
def test_resolved_paths_never_leave_the_site(tmp_path_factory, segments, tail):
    root = _property_root(tmp_path_factory)
    target = "/" + "/".join(segments) + tail
    resolved = resolve_request(root, target)
    if resolved is not None:
        assert resolved.is_relative_to(root.resolve()), target


_ROOT_CACHE: dict[str, Path] = {}


def _property_root(factory) -> Path:
    if "root" not in _ROOT_CACHE:
        base = factory.mktemp("prop")
        site = base / "site"
        (site / "reports" / "a").mkdir(parents=True)
        (base / "secret.txt").write_text(SECRET)
        (site / "a").symlink_to(base, target_is_directory=True)  # a symlink out: must never be followed out
        _ROOT_CACHE["root"] = site
    return _ROOT_CACHE["root"]


def test_serve_help_names_host_port_and_exit_codes(capsys):
    from generator.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["serve", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "--host" in text and "127.0.0.1" in text and "exit codes" in text


def test_serve_refuses_an_output_folder_inside_the_content(content_copy, capsys):
    from generator.cli import main

    assert main(["serve", "--content", str(content_copy), "--out", str(content_copy / "site"), "--port", "0"]) == 2
    assert "inside" in capsys.readouterr().err


def test_serve_refuses_a_port_in_use_as_usage(content_copy, tmp_path, capsys):
    import socket

    from generator.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--content", str(content_copy), "--out", str(tmp_path / "site"), "--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 is already in use" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()  # refused before building anything
