"""The lede: two to four sentences in a reporter's register, written from a snapshot alone.

Each sentence is written only when its fact is in the snapshot, so a quiet day reads
"The KOSPI closed down 3.10 points, or 0.12 percent, at 2,512.40 on Monday." and a big day
reads like the newsroom's story. Lagging series are mentioned with their as-of day, and only
while that day is within the past week, so a stale record is not repeated for weeks.
"""

from __future__ import annotations

import datetime as dt

from generator import formatting as fmt

#: Investor types named in the flows sentence, with their reader-facing plural nouns.
_INVESTOR_WORDS = {"foreigners": "foreigners", "institutions": "institutions", "individuals": "individuals"}


def write_lede(snap: dict, headline_index: str = "KOSPI", margin_market: str = "total") -> list[str]:
    """The lede's sentences, in order."""
    day = dt.date.fromisoformat(snap["date"])
    sentences = [
        _index_sentence(snap, headline_index, day),
        _flows_sentence(snap, headline_index, day),
        _stock_records_sentence(snap, day),
        _margin_sentence(snap, margin_market, day),
        _lending_sentence(snap, day),
    ]
    return [s for s in sentences if s]


def _recent(as_of: str, day: dt.date) -> bool:
    return 0 <= (day - dt.date.fromisoformat(as_of)).days < 7


def _index_sentence(snap: dict, name: str, day: dt.date) -> str | None:
    idx = snap.get("indices", {}).get(name)
    if not idx or idx["as_of"] != snap["date"]:
        return None
    subject = f"The {name}"
    weekday = day.strftime("%A")
    close = fmt.level(idx["close"])
    record_word = "a record " if idx["record_close"] else ""
    if idx["change"] is None:
        move = f"closed at {record_word}{close}"
    elif idx["change"] > 0:
        move = f"closed up {fmt.level(idx['change'])} points, or {idx['change_pct']:.2f} percent, at {record_word}{close}"
    elif idx["change"] < 0:
        move = f"closed down {fmt.level(-idx['change'])} points, or {abs(idx['change_pct']):.2f} percent, at {record_word}{close}"
    else:
        move = f"closed unchanged at {record_word}{close}"
    streak = idx["streak"]
    tail = ""
    if abs(streak) >= 2:
        tail = f", its {fmt.ordinal_word(abs(streak))} straight {'gain' if streak > 0 else 'loss'}"
    close_miles = [m for m in idx.get("milestones_close", []) if m not in idx.get("milestones_high", [])]
    if close_miles:
        tail += f", ending above {max(close_miles):,} for the first time"
    if idx["record_high"]:
        prev = idx["previous_record_high"]
        clause = f"{subject} touched an intraday record of {fmt.level(idx['high'])} on {weekday}"
        if prev:
            clause += f", above the previous record of {fmt.level(prev['value'])} set on {fmt.relative_day(dt.date.fromisoformat(prev['date']), day)}"
        miles = idx.get("milestones_high", [])
        if miles:
            return f"{clause}, and crossed {max(miles):,} for the first time before it {move}{tail}."
        return f"{clause}, and {move}{tail}."
    sentence = f"{subject} {move} on {weekday}{tail}"
    if idx["record_close"] and idx["previous_record_close"]:
        prev = idx["previous_record_close"]
        sentence += f", above the previous record close of {fmt.level(prev['value'])} set on {fmt.relative_day(dt.date.fromisoformat(prev['date']), day)}"
    return sentence + "."


def _flows_sentence(snap: dict, market: str, day: dt.date) -> str | None:
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


def _stock_records_sentence(snap: dict, day: dt.date) -> str | None:
    stocks = snap.get("stocks", {})
    hits = [s for s in stocks.values() if s["as_of"] == snap["date"] and s["record_high"]]
    names = [s["name"] for s in sorted(hits, key=lambda s: -(s["change_pct"] or 0))]
    if not names:
        return None
    return f"{fmt.join_words(names)} {'hit record highs' if len(names) > 1 else 'hit a record high'}."


def _margin_sentence(snap: dict, market: str, day: dt.date) -> str | None:
    m = snap.get("margin_loans", {}).get(market)
    if not m or not m["record"] or not _recent(m["as_of"], day):
        return None
    as_of = fmt.relative_day(dt.date.fromisoformat(m["as_of"]), day)
    text = f"Margin loans, money investors borrow to buy shares, reached a record {fmt.won(m['balance'])} as of {as_of}"
    prev = m["previous_record"]
    if prev:
        when = fmt.relative_day(dt.date.fromisoformat(prev["date"]), day)
        text += f", above the previous record of {fmt.won(prev['value'], 4)} set on {when}"
    return text + "."


def _lending_sentence(snap: dict, day: dt.date) -> str | None:
    lending = snap.get("stock_lending", {})
    stocks = snap.get("stocks", {})
    records = sorted(
        ((t, v) for t, v in lending.items() if v["record"] and _recent(v["as_of"], day)),
        key=lambda tv: -tv[1]["balance"],
    )
    if not records:
        return None
    as_of = fmt.relative_day(dt.date.fromisoformat(max(v["as_of"] for _, v in records)), day)
    named = [f"{stocks.get(t, {}).get('name', t)} ({fmt.won(v['balance'])})" for t, v in records]
    plural = "records" if len(records) > 1 else "a record"
    return f"Stock-lending balances, shares borrowed often ahead of short selling, hit {plural} for {fmt.join_words(named)} as of {as_of}."
