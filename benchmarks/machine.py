"""What machine a benchmark ran on: CPU model, cores, memory, Python, Hugo, date."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shutil
import subprocess
from pathlib import Path


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return match.group(1).strip() if match else (platform.processor() or "unknown CPU")


def memory_gib() -> float | None:
    try:
        text = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"^MemTotal:\s*(\d+) kB", text, re.M)
    return int(match.group(1)) / 1024 / 1024 if match else None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def hugo_version() -> str | None:
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    try:
        out = subprocess.run([hugo, "version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"v(\d+\.\d+\.\d+)", out)
    return match.group(1) if match else out.strip() or None


def describe() -> str:
    """One line for the docs: CPU, cores, RAM, OS, Python, Hugo, date."""
    mem = memory_gib()
    parts = [
        cpu_model(),
        f"{cores()} cores",
        f"{mem:.0f} GiB RAM" if mem else None,
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        f"Hugo {hugo_version()}" if hugo_version() else None,
        f"run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    ]
    return ", ".join(p for p in parts if p)
