"""Stage 7, write: publish the rendered site in one atomic step.

The new site is written into a staging folder beside the output folder; files whose bytes
have not changed since the last build are hard-linked from the published site instead of
being written again (same inode, same mtime: a sync to the host skips them). When every file
is in place the staging folder and the published one are exchanged atomically (Linux
``renameat2(RENAME_EXCHANGE)``; two renames elsewhere), so a failed build, an exception or a
``kill -9`` leaves the published site exactly as it was. ``.manifest.json`` records each
file's content hash for the next build. A lock file stops two builds on one output at once.

Two rules keep published data safe whatever a page family does: a staged file is never written
through a hard link (it is unlinked first), so the published copy cannot change; and kept
versions of published snapshots (``data/snapshots/YYYY-MM-DD.vN.json``) are permanent: a build
that does not write them carries them over, and a build may not give one different bytes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.errors import BuildError

MANIFEST = ".manifest.json"
#: Published files that no build may remove or change: kept versions of revised snapshots.
#: A relative path of plain names (letters, digits, ".", "_", "-") joined by single slashes.
_PLAIN = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")
PERMANENT = re.compile(r"^data/snapshots/\d{4}-\d{2}-\d{2}\.v\d+\.json$")


@dataclass
class WriteResult:
    """What a publish did: files written anew, kept (unchanged) and removed."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def safe_relpath(path: str) -> str:
    """Refuse any output path that could land outside the output folder (or on the manifest).

    Content reaches file names (slugs, tickers, dates): an absolute path, a ``..`` step, a
    backslash (a separator on Windows hosts and in zip files) or a NUL byte is refused.
    """
    if _PLAIN.fullmatch(path) and not {".", ".."} & set(path.split("/")) and path != MANIFEST:
        return path  # the common case, decided without building a path object
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in path or "\x00" in path:
        raise BuildError(f"refusing to write {path!r}: outside the output folder")
    if str(p) == MANIFEST:
        raise BuildError(f"refusing to write {path!r}: the build keeps its own manifest there")
    return str(p)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Staging:
    """A folder being filled with the next version of the site."""

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
        self.previous = _read_manifest(out)
        self.hashes: dict[str, str] = {}
        self.result = WriteResult()
        #: folders made so far (a build places tens of thousands of files in a few thousand folders)
        self._folders: set[str] = set()

    def _folder(self, target: Path) -> None:
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)

    def add(self, relpath: str, data: bytes | str) -> None:
        """Place one file; hard-link the published copy when its bytes are unchanged."""
        relpath = safe_relpath(relpath)
        if relpath in self.hashes:
            raise BuildError(f"two pages want the same output path {relpath!r}")
        if isinstance(data, str):
            data = data.encode("utf-8")
        h = digest(data)
        published = self.out / relpath
        if PERMANENT.match(relpath) and published.is_file() and digest(published.read_bytes()) != h:
            raise BuildError(f"refusing to overwrite the published {relpath}: kept snapshot versions never change")
        self.hashes[relpath] = h
        target = self.path / relpath
        self._folder(target)
        if target.exists() or target.is_symlink():
            target.unlink()  # never write through a hard link into the published site
        if self.previous.get(relpath) == h and published.is_file():
            try:
                os.link(published, target)
                self.result.unchanged.append(relpath)
                return
            except OSError:
                pass
        target.write_bytes(data)
        self.result.written.append(relpath)

    def keep(self, relpath: str) -> bool:
        """Carry a published file over unchanged (hard link) when the manifest knows it.
        Returns False when there is nothing to keep, so the caller renders it."""
        relpath = safe_relpath(relpath)
        h = self.previous.get(relpath)
        if h is None:
            return False
        published, target = os.path.join(self.out, relpath), os.path.join(self.path, relpath)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        try:
            os.link(published, target)
        except (FileNotFoundError, IsADirectoryError):
            return False
        except OSError:
            if not os.path.isfile(published):
                return False
            shutil.copy2(published, target)
        self.hashes[relpath] = h
        self.result.unchanged.append(relpath)
        return True

    def forget(self, relpath: str) -> None:
        """Take back a file placed by ``keep``/``add`` (it will be written again)."""
        relpath = safe_relpath(relpath)
        self.hashes.pop(relpath, None)
        for bucket in (self.result.unchanged, self.result.written):
            if relpath in bucket:
                bucket.remove(relpath)
        (self.path / relpath).unlink(missing_ok=True)

    def take(self) -> tuple[dict[str, str], list[str], list[str]]:
        """Hand over what was placed since the last ``take`` (hashes, written, unchanged) and
        start afresh: a page worker's share of the staging folder, for ``merge`` in the build."""
        placed = (self.hashes, self.result.written, self.result.unchanged)
        self.hashes, self.result = {}, WriteResult()
        return placed

    def merge(self, placed: tuple[dict[str, str], list[str], list[str]]) -> None:
        """Take in the files a page worker placed in this staging folder (see ``take``)."""
        hashes, written, unchanged = placed
        for relpath in hashes:
            if relpath in self.hashes:
                raise BuildError(f"two pages want the same output path {relpath!r}")
        self.hashes.update(hashes)
        self.result.written.extend(written)
        self.result.unchanged.extend(unchanged)

    def carry_permanent(self) -> None:
        """Carry every published kept snapshot version that this build has not placed itself,
        whether or not the manifest knows it: no build loses one."""
        folder = self.out / "data" / "snapshots"
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.v*.json")):
            relpath = f"data/snapshots/{path.name}"
            if not PERMANENT.match(relpath) or relpath in self.hashes or path.is_symlink() or not path.is_file():
                continue
            target = self.path / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)
            self.hashes[relpath] = self.previous.get(relpath) or digest(path.read_bytes())
            self.result.unchanged.append(relpath)

    def publish(self) -> WriteResult:
        """Swap the staging folder in as the published site."""
        self.carry_permanent()
        (self.path / MANIFEST).write_text(json.dumps(dict(sorted(self.hashes.items())), indent=0), encoding="utf-8")
        self.result.removed = sorted(set(self.previous) - set(self.hashes))
        os.chmod(self.path, 0o755)
        _swap_in(self.path, self.out)
        shutil.rmtree(self.path, ignore_errors=True)  # now holds the old site
        return self.result

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap_in(new: Path, out: Path) -> None:
    """Make ``new`` the folder at ``out``; afterwards ``new`` holds the old site (or nothing)."""
    if not out.exists():
        os.rename(new, out)
        new.mkdir()
        return
    libc_name = ctypes.util.find_library("c")
    if libc_name and hasattr(ctypes.CDLL(libc_name), "renameat2"):
        libc = ctypes.CDLL(libc_name, use_errno=True)
        rc = libc.renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE)
        if rc == 0:
            return
    # Fallback: two renames, with the old site kept until the new one is in place.
    old = new.with_name(new.name + ".old")
    os.rename(out, old)
    os.rename(new, out)
    os.rename(old, new)


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder for the whole build; a second build refuses."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is writing {out} right now; try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clean_stale_staging(out: Path) -> None:
    """Remove staging folders left by builds that were killed."""
    for leftover in out.parent.glob(f".{glob.escape(out.name)}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
