"""Incremental builds: render only the pages whose inputs changed.

Two levels, both recorded in the published site's ``.build-state.json``:

* the **fingerprint** of everything a build reads (content files, templates, the generator's
  own code and version). When it matches, the published site is already what this build would
  produce, and the build stops at once: nothing is re-rendered or rewritten.
* a **key** per page (a hash of the page's inputs: its snapshot, neighbours, commentary, chart
  rows, templates, settings). A page whose key matches is carried over from the published site
  by hard link (``Staging.keep``) instead of being rendered again, so a new trading day renders
  its own page and its neighbours, and the site-wide pages (home, archive, indicators, feed,
  sitemap), not the whole history.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import generator
from generator.render import templates_dir
from generator.write import Staging

STATE = ".build-state.json"
#: Bump when the meaning of page keys changes, so old keys never match.
KEY_VERSION = "1"


def _hash_files(h: hashlib._Hash, root: Path, pattern: str = "*") -> None:
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")


def code_fingerprint() -> str:
    """The generator's code, templates and version: a change to any re-renders every page."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{generator.__version__}/{KEY_VERSION}".encode())
    _hash_files(h, Path(generator.__file__).parent, "*.py")
    _hash_files(h, templates_dir())
    return h.hexdigest()


def fingerprint(content: Path, code: str) -> str:
    """Everything a build reads: the content folder, and the code fingerprint."""
    h = hashlib.blake2b(digest_size=16)
    h.update(code.encode())
    _hash_files(h, content)
    return h.hexdigest()


def read_state(out: Path) -> dict:
    try:
        state = json.loads((out / STATE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def up_to_date(out: Path, inputs: str) -> bool:
    """True when the published site was built from exactly these inputs."""
    return read_state(out).get("inputs") == inputs and (out / "index.html").is_file()


class PageKeys:
    """Per-page input keys of the previous build, and the ones of this build."""

    def __init__(self, out: Path, code: str):
        self.code = code
        self.previous: dict[str, str] = read_state(out).get("pages", {})
        self.current: dict[str, str] = {}
        self.reused = 0
        self.rendered = 0

    def key(self, *parts: object) -> str:
        """A key from JSON-able parts plus the code fingerprint."""
        h = hashlib.blake2b(digest_size=16)
        h.update(self.code.encode())
        h.update(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode())
        return h.hexdigest()

    def reuse(self, staging: Staging, page: str, key: str, files: list[str]) -> bool:
        """Carry ``files`` (the page and what is written with it) over if ``key`` is unchanged."""
        self.current[page] = key
        if self.previous.get(page) != key:
            self.rendered += 1
            return False
        for n, path in enumerate(files):
            if not staging.keep(path):
                # Something is missing from the published site: render the page after all.
                for done in files[:n]:
                    staging.forget(done)
                self.rendered += 1
                return False
        self.reused += 1
        return True

    def save(self, staging: Staging, inputs: str) -> None:
        state = {"inputs": inputs, "pages": dict(sorted(self.current.items()))}
        staging.add(STATE, json.dumps(state, indent=0) + "\n")
