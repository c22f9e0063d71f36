"""Stage 8, write: publish the rendered site in one atomic step.

The new site is written into a staging folder beside the output folder; files whose bytes
have not changed since the last build are hard-linked from the published site instead of
being written again (same inode, same mtime: a sync to the host skips them). When every file
is in place the staging folder and the published one are exchanged atomically (Linux
``renameat2(RENAME_EXCHANGE)``; two renames elsewhere), so a failed build, an exception or a
``kill -9`` leaves the published site exactly as it was. ``.manifest.json`` records each
file's content hash for the next build. A lock file stops two builds on one output at once.

The build owns only what it made. Publishing swaps a whole folder, so the output folder must be
one the build wrote (it carries the marker file ``.kospi-report-site``), a new one or an empty
one: ``claim_output`` refuses any other folder (one with an editor's files in it, the content
folder, a folder inside or around the content or the project, ``/``, the home folder, the
current folder, a mount point) before anything is written. Everything works on the output
folder's resolved real path, so a symlinked alias shares the lock with the real folder. A full
disk or a read-only folder ends the build with a ``BuildError`` naming the folder, and leaves
neither a staging folder nor the lock file behind.

Two rules keep published data safe whatever a page family does: a staged file is never written
through a hard link (it is unlinked first), so the published copy cannot change; and kept
versions of published snapshots (``data/snapshots/YYYY-MM-DD.vN.json``) are permanent: a build
that does not write them carries them over, and a build may not give one different bytes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
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

from generator.errors import BuildError, UsageError

MANIFEST = ".manifest.json"
#: The file that marks a folder as one the build wrote (and may therefore replace).
MARKER = ".kospi-report-site"
MARKER_TEXT = (
    "This folder is a site written by `kospi-report build`. Each build replaces the whole folder:\n"
    "keep nothing else here.\n"
)
#: Folders published before the marker existed are recognised by the two files every build wrote.
_LEGACY_MARKS = (MANIFEST, ".build-state.json")
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
    if _PLAIN.fullmatch(path) and not {".", ".."} & set(path.split("/")) and path not in (MANIFEST, MARKER):
        return path  # the common case, decided without building a path object
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in path or "\x00" in path:
        raise BuildError(f"refusing to write {path!r}: outside the output folder")
    if str(p) in (MANIFEST, MARKER):
        raise BuildError(f"refusing to write {path!r}: the build keeps its own record there")
    return str(p)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Staging:
    """A folder being filled with the next version of the site."""

    def __init__(self, out: Path):
        self.out = out
        with writing(out):
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
        with writing(self.out):
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
        with writing(self.out):
            self.carry_permanent()
            (self.path / MANIFEST).write_text(json.dumps(dict(sorted(self.hashes.items())), indent=0), encoding="utf-8")
            (self.path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
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
    """Hold an exclusive lock on the output folder for the whole build; a second build refuses.

    The lock file sits beside the folder's resolved real path, so builds through different
    aliases (a symlink, a relative path) of one folder share it. It is removed when the build
    ends; a build that finds the file it locked already unlinked by the one before takes a
    fresh one, so two builds can never each hold a lock on a different file of the same name.
    """
    real = Path(os.path.realpath(out))
    lock_path = real.parent / f".{real.name}.lock"
    with writing(out):
        real.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise BuildError(f"another build is writing {out} right now; try again when it has finished") from None
            try:
                same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)  # the build before removed this file as we opened it: lock the new one
    try:
        yield
    finally:
        try:
            os.unlink(lock_path)
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def clean_stale_staging(out: Path) -> None:
    """Remove staging folders left by builds that were killed."""
    for leftover in out.parent.glob(f".{glob.escape(out.name)}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


#: What a failed write means to an editor, by errno.
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "a file name is too long for the file system",
    errno.EXDEV: "the staging folder and the output folder are on different file systems",
    errno.EBUSY: "the folder is in use (a mount point?)",
}


def write_failure(exc: OSError, out: Path) -> BuildError:
    """A failed write to the output folder, in an editor's words."""
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    where = f" (at {exc.filename})" if exc.filename else ""
    return BuildError(f"cannot write the site to {out}: {reason}{where}; nothing was published, the published site is unchanged")


@contextmanager
def writing(out: Path) -> Iterator[None]:
    """Turn an operating-system error while writing the site into a ``BuildError``."""
    try:
        yield
    except OSError as exc:
        raise write_failure(exc, out) from None


def owned(folder: Path) -> bool:
    """True when ``folder`` is a site the build wrote (it carries the marker, or the manifest and
    build state of a site published before the marker existed)."""
    return (folder / MARKER).is_file() or all((folder / name).is_file() for name in _LEGACY_MARKS)


def claim_output(out: Path, content: Path | None = None, *, cwd: Path | None = None) -> Path:
    """The real path of ``out`` once it is safe for a build to replace it; else a ``UsageError``.

    Publishing swaps the whole output folder for the new site, so the folder must be new, empty
    or one the build wrote. Refused before anything is written: ``/``, the home folder or a
    folder holding it, the current folder (unless it is a built ``site/``) or a folder holding
    it, the content folder, a folder inside or around it, a mount point, a file, and any folder
    with files the build did not make.
    """
    real = Path(os.path.realpath(out))

    def refuse(why: str) -> UsageError:
        return UsageError(
            f"refusing to build into {out}: {why}; a build replaces the whole output folder, "
            "so choose a new or empty folder for --out (the default is site/)"
        )

    if real == Path(real.anchor):
        raise refuse("it is the root of the file system")
    home = Path(os.path.realpath(Path.home()))
    if real == home:
        raise refuse("it is your home folder")
    if home.is_relative_to(real):
        raise refuse(f"it holds your home folder {home}")
    here = Path(os.path.realpath(cwd or Path.cwd()))
    if real == here and not (real.name == "site" and owned(real)):
        raise refuse("it is the current folder")
    if here.is_relative_to(real) and real != here:
        raise refuse("it holds the current folder")
    if content is not None:
        source = Path(os.path.realpath(content))
        if real == source:
            raise refuse("it is the content folder")
        if real.is_relative_to(source):
            raise refuse(f"it is inside the content folder {content}")
        if source.is_relative_to(real):
            raise refuse(f"it holds the content folder {content}")
    if not os.path.lexists(real):
        return real
    if not real.is_dir():
        raise refuse("it is a file, not a folder")
    if os.path.ismount(real):
        raise refuse("it is a mount point (build into a folder inside it)")
    if owned(real):
        return real
    try:
        entries = sorted(os.listdir(real))
    except OSError as exc:
        raise refuse(f"it cannot be read ({(exc.strerror or str(exc)).lower()})") from None
    if entries:
        shown = ", ".join(name + ("/" if (real / name).is_dir() else "") for name in entries[:3])
        more = f" and {len(entries) - 3} more" if len(entries) > 3 else ""
        raise refuse(f"it holds files the build did not make ({shown}{more})")
    return real
