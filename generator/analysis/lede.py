"""The lede: a few sentences in a reporter's register, written from a snapshot alone.

Each sentence is written only when its fact is in the snapshot, so a quiet day reads
"The KOSPI closed down 3.10 points, or 0.12 percent, at 2,512.40 on Monday." and a big day
reads like the newsroom's story. Lagging series are mentioned with their as-of day, and only
while that day is within the past week, so a stale record is not repeated for weeks.
Working from the snapshot (not the raw data) keeps the lede and the published JSON in step:
every figure in the lede can be checked against ``/data/snapshots/<day>.json``.
"""

from __future__ import annotations

import datetime as dt

from generator import formatting as fmt

#: Investor types named in the flows sentence, with their reader-facing plural nouns.
_INVESTOR_WORDS = {"foreigners": "foreigners", "institutions": "institutions", "individuals": "individuals"}
#: How many stocks a sentence names before it summarises the rest as a count.
MAX_NAMED_RECORDS = 5
MAX_NAMED_LENDING = 3
#: A lagging figure is news for this many days after the day it measures.
FRESH_DAYS = 7
_COUNT_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)


def write_lede(snap: dict, headline_index: str = "KOSPI", margin_market: str = "total") -> list[str]:
    """The lede's sentences, in order: the index, investor flows, stock records, margin loans, lending."""
    day = dt.date.fromisoformat(snap["date"])
    sentences = [
        *_index_sentences(snap, headline_index, day),
        _flows_sentence(snap, headline_index),
        _stock_records_sentence(snap),
        _margin_sentence(snap, _margin_market(snap, margin_market, headline_index), day),
        _lending_sentence(snap, day),
    ]
    return [s for s in sentences if s]


def count_word(n: int) -> str:
    """Numbers a sentence may start with: "seven", "twelve"; digits above twenty."""
    return _COUNT_WORDS[n] if 0 <= n < len(_COUNT_WORDS) else str(n)


def _recent(as_of: str, day: dt.date) -> bool:
    return 0 <= (day - dt.date.fromisoformat(as_of)).days < FRESH_DAYS


def _when(iso_day: str, day: dt.date) -> str:
    return fmt.relative_day(dt.date.fromisoformat(iso_day), day)


def _percent(change_pct: float) -> str:
    """0.57 percent; a move too small to show at two decimals is "less than 0.01 percent"."""
    if abs(change_pct) < 0.005:
        return "less than 0.01 percent"
    return f"{abs(change_pct):.2f} percent"


def _close_clause(idx: dict) -> str:
    """closed up 25.58 points, or 0.57 percent, at a record 4,551.06."""
    record = "a record " if idx["record_close"] else ""
    close = fmt.level(idx["close"])
    change = idx["change"]
    if change is None:
        return f"closed at {record}{close}"
    if change == 0:
        return f"closed unchanged at {record}{close}"
    word = "up" if change > 0 else "down"
    return f"closed {word} {fmt.level(abs(change))} points, or {_percent(idx['change_pct'])}, at {record}{close}"


def _tail(idx: dict) -> str:
    """", its fourth straight gain" and a first close above a round level not already told."""
    tail = ""
    streak = idx["streak"]
    if abs(streak) >= 2:
        tail = f", its {fmt.ordinal_word(abs(streak))} straight {'gain' if streak > 0 else 'loss'}"
    close_miles = [m for m in idx.get("milestones_close", []) if m not in idx.get("milestones_high", [])]
    if close_miles:
        tail += f", ending above {max(close_miles):,} for the first time"
    return tail


def _milestone_words(levels: list) -> str:
    """"4,600"; "both 4,500 and 4,600"; the highest alone when a jump passes three or more."""
    ordered = sorted(levels)
    if len(ordered) == 2:
        return f"both {ordered[0]:,} and {ordered[1]:,}"
    return f"{ordered[-1]:,}"


def _index_sentences(snap: dict, name: str, day: dt.date) -> list[str]:
    idx = snap.get("indices", {}).get(name)
    if not idx or idx["as_of"] != snap["date"]:
        return []
    weekday = day.strftime("%A")
    move, tail = _close_clause(idx), _tail(idx)
    if idx["record_high"]:
        clause = f"The {name} touched an intraday record of {fmt.level(idx['high'])} on {weekday}"
        prev = idx["previous_record_high"]
        if prev:
            clause += f", above the previous record of {fmt.level(prev['value'])} set on {_when(prev['date'], day)}"
        miles = idx.get("milestones_high", [])
        if miles:
            return [f"{clause}, and crossed {_milestone_words(miles)} for the first time before it {move}{tail}."]
        joiner = "but" if (idx["change"] or 0) < 0 else "and"
        return [f"{clause}, {joiner} {move}{tail}."]
    sentences = [f"The {name} {move} on {weekday}{tail}."]
    prev = idx["previous_record_close"]
    if idx["record_close"] and prev:
        sentences.append(f"The close topped the previous record of {fmt.level(prev['value'])} set on {_when(prev['date'], day)}.")
    return sentences


def _flows_sentence(snap: dict, market: str) -> str | None:
    flows = snap.get("flows", {}).get(market)
    if not flows:
        return None
    named = {k: v for k, v in flows.items() if k in _INVESTOR_WORDS and v["as_of"] == snap["date"] and v["won"]}
    if not named:
        return None
    buyers = sorted((k for k in named if named[k]["won"] > 0), key=lambda k: -named[k]["won"])
    sellers = sorted((k for k in named if named[k]["won"] < 0), key=lambda k: named[k]["won"])

    def amount(k: str) -> str:
        text = fmt.won(abs(named[k]["won"]))
        if named[k]["usd"] is not None:
            text += f" ({fmt.usd(abs(named[k]['usd']))})"
        return text

    def clause(group: list[str], verb: str, first: bool) -> str:
        who = fmt.join_words([_INVESTOR_WORDS[k] for k in group])
        amounts = fmt.join_words([amount(k) for k in group])
        of_shares = " of shares" if first else ""
        tail = ", respectively" if len(group) > 1 else ""
        return f"{who} {verb} a net {amounts}{of_shares}{tail}"

    parts = []
    for group, verb in ((buyers, "bought"), (sellers, "sold")):
        if group:
            parts.append(clause(group, verb, first=not parts))
    text = ", while ".join(parts)
    return text[0].upper() + text[1:] + "."


def _stock_records_sentence(snap: dict) -> str | None:
    stocks = snap.get("stocks", {})
    hits = [s for s in stocks.values() if s["as_of"] == snap["date"] and s["record_high"]]
    names = [s["name"] for s in sorted(hits, key=lambda s: -(s["change_pct"] or 0))]
    if not names:
        return None
    if len(names) == 1:
        return f"{names[0]} hit a record high."
    if len(names) <= MAX_NAMED_RECORDS:
        return f"{fmt.join_words(names)} hit record highs."
    count = count_word(len(names))
    return f"{count[0].upper() + count[1:]} stocks hit record highs, led by {fmt.join_words(names[:3])}."


def _margin_market(snap: dict, preferred: str, headline_index: str) -> str:
    """The all-markets total when the data has it, else the headline index's own market."""
    markets = snap.get("margin_loans", {})
    return preferred if preferred in markets or headline_index not in markets else headline_index


def _margin_sentence(snap: dict, market: str, day: dt.date) -> str | None:
    m = snap.get("margin_loans", {}).get(market)
    if not m or not m["record"] or not _recent(m["as_of"], day):
        return None
    where = "" if market == "total" else f" on the {market}"
    text = (
        f"Margin loans{where}, money investors borrow to buy shares, reached a record {fmt.won(m['balance'])} "
        f"as of {_when(m['as_of'], day)}"
    )
    prev = m["previous_record"]
    if prev:
        text += f", above the previous record of {fmt.won(prev['value'], 4)} set on {_when(prev['date'], day)}"
    return text + "."


def _lending_sentence(snap: dict, day: dt.date) -> str | None:
    """Record lending balances of the newest publication (all rows of one as-of day)."""
    lending = snap.get("stock_lending", {})
    if not lending:
        return None
    newest = max(v["as_of"] for v in lending.values())
    if not _recent(newest, day):
        return None
    records = sorted(
        ((t, v) for t, v in lending.items() if v["record"] and v["as_of"] == newest),
        key=lambda tv: -tv[1]["balance"],
    )
    if not records:
        return None
    stocks = snap.get("stocks", {})
    named = [f"{stocks.get(t, {}).get('name', t)} ({fmt.won(v['balance'])})" for t, v in records[:MAX_NAMED_LENDING]]
    if len(records) > MAX_NAMED_LENDING:
        what = f"{count_word(len(records))} stocks, including {fmt.join_words(named)},"
        plural = "records"
    else:
        what = fmt.join_words(named)
        plural = "records" if len(records) > 1 else "a record"
    return (
        "Stock-lending balances, shares borrowed often ahead of short selling, "
        f"hit {plural} for {what} as of {_when(newest, day)}."
    )
