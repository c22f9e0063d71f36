"""Run one command in a fresh process and measure it: wall time and peak memory.

Peak memory is measured two ways. ``os.wait4`` returns the child's own resource usage, whose
``ru_maxrss`` is the largest resident set of the child or of any process it waited for (the
biggest single process). A build that renders pages in worker processes uses all of them at
once, so the process tree is also sampled with psutil (when it is installed) and the largest
total is kept: that is the figure a machine's memory must hold. The total is of each process's
proportional set size (PSS: its private pages, plus its share of the pages it shares), because
forked page workers share most of the build's memory with it, and a sum of resident sets
would count those pages once per process. The sum of resident sets is kept too, for reference.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

try:  # optional: the `bench` extra installs it
    import psutil
except ImportError:  # pragma: no cover - depends on the environment
    psutil = None

MIB = 1024 * 1024


@dataclass
class Run:
    """One measured run."""

    seconds: float
    cpu_seconds: float  # user + system time of the process and the children it waited for
    max_rss: int  # bytes, the largest single process (wait4)
    tree_rss: int | None  # bytes, the largest sum of resident sets over the process tree (sampled), if psutil is there
    returncode: int
    output: str
    tree_pss: int | None = None  # bytes, the largest sum of proportional set sizes over the tree (sampled)

    @property
    def peak(self) -> int:
        """The peak memory to report: the tree's total (PSS) when known, else the largest process."""
        tree = self.tree_pss or self.tree_rss or 0
        return max(self.max_rss, tree)


class CommandFailed(RuntimeError):
    """A measured command exited non-zero; its output says why."""


#: How often the process tree's memory is sampled. Reading a process's proportional set size
#: walks its page tables (``/proc/PID/smaps``), which for a build holding gigabytes costs
#: milliseconds per process: sampled every 20 ms, the sampler kept half of one of the two cores
#: busy and lengthened the builds it measured. A build's memory rises and falls over seconds, so
#: a quarter of a second loses nothing that matters and costs a few percent of one core.
SAMPLE_SECONDS = 0.25


def _sample_tree(pid: int, stop: threading.Event, peak: list[int], interval: float = SAMPLE_SECONDS) -> None:
    """Keep ``peak`` = [largest sum of RSS, largest sum of PSS] over the tree rooted at ``pid``."""
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.is_set():
        rss = pss = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for proc in procs:
            try:
                full = proc.memory_full_info()
                rss += full.rss
                pss += getattr(full, "pss", full.rss)
            except psutil.Error:
                pass
        peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
        stop.wait(interval)


def run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, check: bool = True) -> Run:
    """Run ``cmd`` to completion in a new process; time it and measure its memory."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}-{time.monotonic_ns()}.log"
    with out_path.open("w+b") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        stop, peak = threading.Event(), [0, 0]
        sampler = None
        if psutil is not None:
            sampler = threading.Thread(target=_sample_tree, args=(proc.pid, stop, peak), daemon=True)
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        if sampler is not None:
            sampler.join()
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    out_path.unlink(missing_ok=True)
    result = Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, peak[0] or None, proc.returncode, output, peak[1] or None)
    if check and proc.returncode != 0:
        raise CommandFailed(f"{' '.join(cmd)} exited {proc.returncode}:\n{output[-4000:]}")
    return result
