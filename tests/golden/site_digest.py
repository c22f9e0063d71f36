"""The sample site's recorded output: every file's SHA-256, kept so a redesign proves itself
byte-identical (tests/test_output_digest.py) and an intended change is one reviewed diff.

Text files (HTML, JSON, CSV, XML, JS, CSS, TXT and the search index) count by content. Chart
images (PNG and SVG drawn by vl-convert) count by name only: their bytes follow the installed
fonts, so hashing them would fail on a machine that differs only in its fonts. For the same
reason the manifest's entries for images keep their names and lose their hashes. The build
state (``.build-state.json``) keys every page by its inputs *and the generator's own code*, so
its keys change with any change of code: it counts by the pages and files it lists, not by its
keys.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from tests.golden.notable import HERE

DIGEST = HERE / "site-digest.json"
#: Files whose bytes follow the installed fonts: compared by name only.
IMAGE_SUFFIXES = (".png", ".svg")
#: The fixed assets whose SVG is written by hand, not drawn: compared by content.
HAND_WRITTEN = ("assets/icon.svg",)
BY_NAME = "(image: compared by name)"
MANIFEST = ".manifest.json"
STATE = ".build-state.json"
BY_KEY = "(key: compared by name)"


def _is_image(relpath: str) -> bool:
    return relpath.endswith(IMAGE_SUFFIXES) and relpath not in HAND_WRITTEN


def _manifest_bytes(data: bytes) -> bytes:
    """The manifest with the hashes of images and of the build state left out (names stay)."""
    entries = json.loads(data)
    kept = {k: (BY_NAME if _is_image(k) or k == STATE else v) for k, v in entries.items()}
    return json.dumps(kept, sort_keys=True).encode("utf-8")


def _state_bytes(data: bytes) -> bytes:
    """The build state with its keys left out: which pages it knows, and the files of each."""
    state = json.loads(data)
    kept = {k: v for k, v in state.items() if k not in ("inputs", "pages")}
    kept["pages"] = {page: BY_KEY for page in state.get("pages", {})}
    return json.dumps(kept, sort_keys=True).encode("utf-8")


def site_digest(site: Path) -> dict[str, str]:
    """{relative path: SHA-256 of its bytes} for every file of a built site (images by name)."""
    out: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(site).as_posix()
        if _is_image(relpath):
            out[relpath] = BY_NAME
            continue
        data = path.read_bytes()
        if relpath == MANIFEST:
            data = _manifest_bytes(data)
        elif relpath == STATE:
            data = _state_bytes(data)
        out[relpath] = hashlib.sha256(data).hexdigest()
    return out


def differences(got: dict[str, str], expected: dict[str, str]) -> list[str]:
    """One line per file that is new, gone or changed."""
    lines = [f"new:     {p}" for p in sorted(set(got) - set(expected))]
    lines += [f"gone:    {p}" for p in sorted(set(expected) - set(got))]
    lines += [f"changed: {p}" for p in sorted(set(got) & set(expected)) if got[p] != expected[p]]
    return lines


def recorded() -> dict[str, str]:
    return json.loads(DIGEST.read_text(encoding="utf-8"))


def sample_digest() -> dict[str, str]:
    """Build the bundled sample at the fixed test build time and digest it."""
    from tests.conftest import CONTENT, build_at_epoch

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_at_epoch(CONTENT, site)
        return site_digest(site)


def write() -> None:
    digest = sample_digest()
    DIGEST.write_text(json.dumps(digest, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DIGEST} ({len(digest)} files)")
