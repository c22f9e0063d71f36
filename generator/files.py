"""Writing a file so that no reader ever sees half of it: a temporary file beside it, renamed over it.

Used for everything written outside the published site (which is swapped in whole, see
generator/write.py): the editor's data files written by imports and fetches, the sample, and
the build cache.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str, *, durable: bool = False, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` in one step (its folder is made when missing).

    ``durable`` syncs the bytes to disk before the rename (an editor's data, not a cache entry);
    ``mode`` sets the file's permissions (default: those of a new file)."""
    _rename_all([_stage(path, data, durable=durable, mode=mode)])


def write_files(texts: dict[Path, str]) -> None:
    """Write several text files as one step, as far as a file system allows: every temporary
    file is written and synced first, and only then are they renamed over the old ones, so a
    failure while writing (a full disk) leaves every file as it was. Each keeps its old
    permissions (0644 when new)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in texts.items():
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
            staged.append(_stage(path, text, durable=True, mode=mode))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    _rename_all(staged)


def _stage(path: Path, data: bytes | str, *, durable: bool, mode: int | None) -> tuple[str, Path]:
    """Write ``data`` to a temporary file beside ``path``; returns (temporary file, path)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # Text is written as UTF-8 with no newline translation: the same bytes a text-mode
        # file opened with ``newline=""`` would write.
        payload = data.encode("utf-8") if isinstance(data, str) else data
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp, path


def _rename_all(staged: list[tuple[str, Path]]) -> None:
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
