"""The sample site's output is byte-identical to the recorded digest (tests/golden/site-digest.json).

A refactoring must not change what readers get; a change that should reach them fails here until
``make golden`` writes the digest anew and its diff is reviewed. The digest was written by another
build than the one checked here, so this is also the test that builds are reproducible: the same
content and build time give the same bytes. Chart images count by name
only (their bytes follow the installed fonts), every other file by content.
"""

from __future__ import annotations

from pathlib import Path

from tests.golden.site_digest import differences, recorded, site_digest

HINT = "the sample site's output changed: review these files, then run `make golden`"


def test_the_sample_site_is_byte_identical_to_the_recorded_digest(sample_site: Path) -> None:
    diff = differences(site_digest(sample_site), recorded())
    assert not diff, HINT + "\n" + "\n".join(diff[:200]) + (f"\n... and {len(diff) - 200} more" if len(diff) > 200 else "")


def test_the_digest_lists_every_kind_of_page() -> None:
    digest = recorded()
    # the files readers open, by content: a digest of images only would prove nothing
    for relpath in ("index.html", "feed.xml", "sitemap.xml", "assets/site.css"):
        assert relpath in digest and len(digest[relpath]) == 64, relpath
    assert any(p.startswith("reports/") and p.endswith("/index.html") for p in digest)
