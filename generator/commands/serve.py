"""``kospi-report serve``: build, preview on 127.0.0.1, rebuild on change and reload the browser."""

from __future__ import annotations

import argparse
import signal
import threading
import traceback
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from generator.build import build
from generator.commands.build import summary
from generator.errors import BuildError, ContentError, UsageError
from generator.preview import LOCAL_HOSTS, PreviewServer, check_output, run_preview, watch_paths
from generator.render import templates_dir
from generator.write import claim_output

EPILOG = """\
The site is built into --out, served from there, and rebuilt whenever a file under the content
folder or the templates changes; open pages reload by themselves after a successful rebuild.
A rebuild that fails (a problem in the content) prints the problems and the last good site
stays on show. Only files inside the site folder are ever served. Ctrl-C stops.

examples:
  kospi-report serve                       http://127.0.0.1:8000/
  kospi-report serve --port 8001
  kospi-report serve --host 0.0.0.0        visible to other machines (a warning is printed)

exit codes: 0 stopped with Ctrl-C, 1 the content folder is missing, 2 usage (port in use,
output folder inside a watched folder or one the build did not make, unknown host).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="preview the site with rebuild on change and live reload",
        description="Build the site, serve it on 127.0.0.1, and rebuild and reload the browser when content or templates change.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    p.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    p.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; others are warned about)",
    )
    p.set_defaults(func=run)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return port


def run(args: argparse.Namespace) -> int:
    out = Console(highlight=False, soft_wrap=True)
    if not args.content.is_dir():
        raise ContentError.single(args.content, None, None, "content folder not found")
    paths = watch_paths(args.content, templates_dir())
    check_output(args.out, paths)
    claim_output(args.out, args.content)  # a folder the build may not replace: refused before serving
    if args.host not in LOCAL_HOSTS:
        out.print(
            f"[bold yellow]warning:[/] serving on {escape(args.host)}, not 127.0.0.1: "
            "other machines that can reach this one can see the preview."
        )
    server = PreviewServer(args.out, args.host, args.port, on_error=lambda line: out.print(Text(line, style="dim")))
    stop = threading.Event()
    _sigterm_stops()
    try:
        _rebuild(out, args)
        server.start()
        watched = " and ".join(escape(str(p)) for p in paths)
        out.print(f"Serving [bold]{escape(str(args.out))}[/] at [bold]{server.url}[/] — watching {watched}; Ctrl-C to stop.")
        run_preview(server, lambda: _rebuild(out, args), paths, stop, lambda changed: _changed(out, changed))
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
    out.print("Stopped.")
    return 0


def _rebuild(out: Console, args: argparse.Namespace) -> bool:
    """Build once and report; True when a new site was published."""
    keeping = (
        "still serving the last good build"
        if (args.out / "index.html").is_file()
        else "nothing to serve yet; the preview builds again when you save a fix"
    )
    try:
        result = build(args.content, args.out)
    except ContentError as exc:
        for problem in exc.problems:
            out.print(Text(str(problem), style="red" if problem.severity == "error" else "yellow"))
        n = len(exc.problems)
        out.print(f"[bold red]{n} problem{'s' if n != 1 else ''}[/]: {keeping}.")
        return False
    except (BuildError, UsageError) as exc:
        out.print(Text(f"build failed: {exc}; {keeping}.", style="red"))
        return False
    except Exception as exc:  # a bug must not end the preview: report it, keep serving
        out.print(Text(f"{_where(exc)}build crashed ({type(exc).__name__}: {exc}); {keeping}.", style="red"))
        return False
    for warning in result.warnings:
        out.print(Text(str(warning), style="yellow"))
    out.print(summary(result, args.out), markup=False)
    return True


def _where(exc: BaseException) -> str:
    """``file:line: `` of where an unexpected error arose (a template being edited, usually)."""
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename and lineno:  # Jinja syntax errors
        return f"{filename}:{lineno}: "
    frames = traceback.extract_tb(exc.__traceback__)
    templates = [f for f in frames if f.filename.endswith((".html", ".xml", ".txt"))]  # Jinja maps its frames to templates
    candidates = templates or frames
    if not candidates:
        return ""
    frame = candidates[-1]
    return f"{frame.filename}:{frame.lineno}: "


def _changed(out: Console, changed: set[Path]) -> None:
    names = sorted(p.name for p in changed)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    out.print(Text(f"changed: {shown}; rebuilding …", style="dim"))


def _sigterm_stops() -> None:
    """Stop as cleanly on SIGTERM (a process manager, a test) as on Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
