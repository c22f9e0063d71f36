"""Write the golden headlines and ledes anew: ``python -m tests.golden`` (``make golden``)."""

from __future__ import annotations

import json

from tests.golden.notable import HERE, golden

if __name__ == "__main__":
    for name, days in golden().items():
        path = HERE / f"{name}.json"
        path.write_text(json.dumps(days, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(days)} days)")
