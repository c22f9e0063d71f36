"""Worker processes: forked from the build (pages) or spawned (images), and what crosses between them.

A forked worker starts with the whole build already in memory (the dataset, the analysed
history, every snapshot, the chart templates, the staging folder), so a task is a list of page
numbers, not pickled data, and the answer is the list of files the worker placed in the staging
folder (``Staging.take``/``Staging.merge``). Memory is shared with the build until a worker
writes to it; ``gc.freeze`` keeps the collector from touching (and so copying) the objects the
build made before the fork.

vl-convert runs its JavaScript engine on threads of its own, which a fork does not copy: page
workers never run it (the build has the static images drawn by spawned image workers and hands
each page its SVG), and ``forked_reason`` lets the image code turn a slip into an error instead
of a hang.
An error in a worker comes back as the same kind of error, with the template file and line
where it arose, so ``build`` and ``serve`` report it as they report one in the build itself.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import tempfile
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from generator.errors import BuildError, ContentError, Problem

JOBS_ENV = "KOSPI_REPORT_JOBS"

#: What the forked workers read: set by ``page_pool`` before the fork.
_STATE: dict = {}
#: Why this process may not start an engine that runs threads of its own (None: it may).
_FORKED: str | None = None


def forked_reason() -> str | None:
    """Why this process may not run vl-convert, or None: a process forked from the build lacks
    the engine's threads (a fork copies only the calling thread), so a call would wait forever."""
    return _FORKED


def _forked(reason: str = "a page worker forked from the build") -> None:
    global _FORKED
    _FORKED = reason


def default_jobs() -> int:
    """Worker processes: ``$KOSPI_REPORT_JOBS`` when set, else one per CPU this process may use."""
    env = os.environ.get(JOBS_ENV, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def state() -> dict:
    """The build's state, in a worker (and in the build while its pool is open)."""
    return _STATE


class PageRenderError(Exception):
    """A page failed to render in a worker; ``filename``/``lineno`` say where (a template, usually)."""

    def __init__(self, message: str, filename: str | None = None, lineno: int | None = None):
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno

    def __reduce__(self):
        return (PageRenderError, (str(self), self.filename, self.lineno))


@dataclass(frozen=True)
class _Failure:
    """An exception raised in a worker, in a form that crosses the process boundary."""

    kind: str  # "content", "build" or "other"
    message: str
    problems: tuple[Problem, ...] = ()
    filename: str | None = None
    lineno: int | None = None

    def exception(self) -> Exception:
        if self.kind == "content":
            return ContentError(list(self.problems))
        if self.kind == "build":
            return BuildError(self.message)
        return PageRenderError(self.message, self.filename, self.lineno)


def _failure(exc: BaseException) -> _Failure:
    if isinstance(exc, ContentError):
        return _Failure("content", str(exc), tuple(exc.problems))
    if isinstance(exc, BuildError):
        return _Failure("build", str(exc))
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not (filename and lineno):
        frames = traceback.extract_tb(exc.__traceback__)
        templates = [f for f in frames if f.filename.endswith((".html", ".xml", ".txt"))]
        picked = templates or frames
        frame = picked[-1] if picked else None
        filename, lineno = (frame.filename, frame.lineno) if frame else (None, None)
    return _Failure("other", f"{type(exc).__name__}: {exc}", filename=filename, lineno=lineno)


def _guarded(task: Callable, *args):
    try:
        return task(*args)
    except Exception as exc:  # noqa: BLE001 - every error goes back to the build, in kind
        return _failure(exc)


def result(future) -> object:
    """A worker's answer, or the error it raised, raised here."""
    answer = future.result()
    if isinstance(answer, _Failure):
        raise answer.exception()
    return answer


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel end this worker when the build that started it ends, however it ends.

    A forked worker shares the build's open files, the output folder's lock among them: were
    the build killed (``kill -9``), a worker left waiting for work would hold the lock and
    refuse every later build. Linux only; elsewhere the workers end when their queue closes."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != (parent or _PARENT.get("pid")):  # the build ended before the call above took effect
        os._exit(1)


#: The process that opened the pool (a worker compares it with its parent's).
_PARENT: dict[str, int] = {}


def _init() -> None:
    die_with_parent()
    _forked()


class PagePool:
    """Forked workers sharing the build's memory; ``submit(task, *args)`` runs ``task`` in one."""

    def __init__(self, executor: ProcessPoolExecutor):
        self._executor = executor

    def submit(self, task: Callable, *args):
        return self._executor.submit(_guarded, task, *args)


@contextmanager
def page_pool(jobs: int, **build_state) -> Iterator[PagePool]:
    """Up to ``jobs`` forked workers that see ``build_state`` through ``state()``."""
    _STATE.clear()
    _STATE.update(build_state)
    _PARENT["pid"] = os.getpid()
    gc.freeze()
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork"), initializer=_init)
    try:
        # Fork every worker now, while the build runs no other threads (image workers, their queues).
        executor.submit(os.getpid).result()
        yield PagePool(executor)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        _STATE.clear()
        gc.unfreeze()


class ForkedTask:
    """A task running in a process of its own, forked from the build (``fork_task``)."""

    def __init__(self, pid: int, answer: Path):
        self.pid = pid
        self._answer = answer

    def cancel(self) -> None:
        """End the process if it is still running, and clean up after it."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self._answer.unlink(missing_ok=True)

    def result(self) -> object:
        """Wait for the process, and give its answer (or raise the error it raised)."""
        _, status = os.waitpid(self.pid, 0)
        try:
            data = self._answer.read_bytes()
        except OSError:
            data = b""
        finally:
            self._answer.unlink(missing_ok=True)
        if not data:
            raise BuildError(f"a worker process ended without finishing its pages (exit status {os.waitstatus_to_exitcode(status)})")
        answer = pickle.loads(data)
        if isinstance(answer, _Failure):
            raise answer.exception()
        return answer


def fork_task(task: Callable, *args) -> ForkedTask:
    """Run ``task(*args)`` in a forked process that ends as soon as it has answered.

    Unlike a pool's workers, which live until the pool closes, the process gives its memory
    back the moment its pages are done; the answer waits in a file for ``result()``. The
    arguments are not pickled: the process has them already."""
    fd, name = tempfile.mkstemp(prefix="kospi-report-worker-", suffix=".pickle")
    os.close(fd)
    answer = Path(name)
    parent = os.getpid()
    gc.freeze()  # the collector would otherwise touch, and so copy, every object in the child
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        code = 1
        try:
            die_with_parent(parent)
            _forked()
            reply = _guarded(task, *args)
            try:
                data = pickle.dumps(reply)
            except Exception as exc:  # noqa: BLE001 - an answer that cannot travel is an error
                data = pickle.dumps(_failure(exc))
            answer.write_bytes(data)
            code = 0
        finally:
            os._exit(code)
    gc.unfreeze()
    return ForkedTask(pid, answer)
