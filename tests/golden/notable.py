"""The notable days of a history, chosen by rule, and what the story engine wrote on them."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from generator.analysis.history import analyse
from generator.build import load_dataset
from generator.snapshot import make_snapshots
from generator.story import stories

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
#: The generated 20-year history: a long, random history with no anchors to real figures.
LONG = {"start": "2006-01-02", "end": "2025-12-30", "n_stocks": 10, "seed": 20, "anchors": False}


def notable_days(snapshots: dict[dt.date, dict], index: str) -> dict[str, dt.date]:
    """The biggest fall and gain, the latest record close, the quietest day (the smallest top
    score), the last year-end, and every event day."""
    days = sorted(snapshots)

    def pct(d: dt.date) -> float:
        return snapshots[d]["indices"][index]["change_pct"] or 0.0

    def top(d: dt.date) -> float:
        facts = snapshots[d].get("facts") or [{"score": 0}]
        return facts[0]["score"]

    chosen = {
        "biggest fall": min(days, key=lambda d: (pct(d), d)),
        "biggest gain": max(days, key=lambda d: (pct(d), d)),
        "quiet day": min(days[1:], key=lambda d: (top(d), d)),
    }
    records = [d for d in days if snapshots[d]["indices"][index]["record_close"]]
    if records:
        chosen["latest record close"] = records[-1]
    year_ends = [d for k, d in enumerate(days[:-1]) if days[k + 1].year != d.year]
    if year_ends:
        chosen["year-end"] = year_ends[-1]
    for d in days:
        if any(f["kind"] == "event" for f in snapshots[d].get("facts", [])):
            chosen[f"event {d.isoformat()}"] = d
    return chosen


def written(content: Path) -> dict[str, dict]:
    """{label: {date, headline, lede}} for the notable days of a content folder."""
    data = load_dataset(content)
    snapshots = make_snapshots(data, analyse(data))
    told = stories(snapshots, data.config)
    out = {}
    for label, day in notable_days(snapshots, data.config.headline_index).items():
        out[label] = {"date": day.isoformat(), "headline": told[day].headline, "lede": told[day].lede}
    return out


def long_history(folder: Path) -> Path:
    """Generate the 20-year history into ``folder`` and return its content folder."""
    from generator import sample

    content = folder / "content"
    sample.generate(content / "data", **LONG)
    return content


def golden() -> dict[str, dict[str, dict]]:
    """Both golden sets: the bundled sample and the generated 20-year history."""
    with tempfile.TemporaryDirectory() as tmp:
        return {"sample": written(ROOT / "content"), "history-20y": written(long_history(Path(tmp)))}
