"""Write the golden files anew: ``python -m tests.golden`` (``make golden``).

The headlines and ledes of notable days, and the digest of the sample site's output."""

from __future__ import annotations

import json

from tests.golden import site_digest
from tests.golden.notable import HERE, golden

if __name__ == "__main__":
    for name, days in golden().items():
        path = HERE / f"{name}.json"
        path.write_text(json.dumps(days, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(days)} days)")
    site_digest.write()
