"""The English realiser: a day's ranked facts into a headline, a lede and section sentences.

It reads only the snapshot (its ``facts`` and the figures beside them), so every word can be
checked against the JSON of its day. House style (docs/style.md): past tense for the day's
moves, "percent" in sentences and "%" in headlines, amounts in billion/trillion won, AP dates
("Jan. 7"; the year when it is not the report's), a move that rounds to zero is "little
changed", and a "since" with nothing earlier in the data is "since at least <when the data
begins>".

The lede leads with the biggest fact and keeps to what matters: a quiet day gets one or two
sentences, a big day several, in the order wire stories use (the index, other indices, who
bought and sold, stocks, the won, leverage, lending). The headline says the top fact.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from generator import formatting as fmt
from generator.snapshot_types import Snapshot
from generator.story.facts import MIN_LOOKBACK, Fact
from generator.story.glossary import TERMS, Explainer
from generator.story.index_facts import LITTLE_CHANGED

#: The sections of a report, in the order a wire story tells them.
GROUPS = ("event", "index", "other_index", "flows", "stocks", "fx", "margin", "lending")
#: A day whose top fact scores this much is a big day: more of its facts make the lede.
BIG_DAY = 60.0
#: The least score a group needs for the lede on a big day, and on other days.
BIG_DAY_FLOOR, FLOOR = 28.0, 40.0
#: At most this many sentences in the lede: quiet, ordinary and big days.
QUIET_SENTENCES, ORDINARY_SENTENCES, BIG_SENTENCES = 2, 4, 7
#: A lede tells at least this many sections when the day has them (a quiet day: the index and one more).
MIN_GROUPS = 2
#: Another section leads the lede only when its top fact scores this much and outscores the
#: index's by LEAD_MARGIN: the index is the story of most days.
LEAD_SCORE, LEAD_MARGIN = 70.0, 15.0
#: Secondary facts (an index's swing, a stock's move, breadth ...) need this score for the lede.
LEDE_DETAIL = 45.0
#: A "since" shorter than this (trading days, about three months) is not told: "the steepest
#: fall since Oct. 30" three weeks later is no news.
TELL_LOOKBACK = 60
#: A run of gains or losses this long is a headline on its own; shorter runs are told in passing.
STREAK_NEWS = 4
#: Earlier whole periods needed before "its best year since" is said.
PERIOD_LOOKBACK = 3
#: How many stocks a sentence names before it summarises the rest as a count.
MAX_NAMED_RECORDS = 5
MAX_NAMED_LENDING = 3
MAX_NAMED_MOVES = 2
_INVESTORS = ("foreigners", "institutions", "individuals")
_COUNT_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)
_PERIOD_WORDS = {"month": "month", "quarter": "quarter", "year": "year"}
_QUARTERS = ("first", "second", "third", "fourth")


@dataclass
class Story:
    """What the realiser wrote for one day: plain text, with the glossary terms to link."""

    headline: str
    lede: list[str]
    sections: dict[str, list[str]] = field(default_factory=dict)
    #: term text as it appears in the lede -> glossary anchor (terms not explained that day)
    links: dict[str, str] = field(default_factory=dict)

    def section_text(self, *groups: str) -> str:
        """The sentences of these sections that the lede left out, as one paragraph."""
        return " ".join(sentence for g in groups for sentence in self.sections.get(g, []))


def count_word(n: int) -> str:
    """Numbers a sentence may start with: "seven", "twelve"; digits above twenty."""
    return _COUNT_WORDS[n] if 0 <= n < len(_COUNT_WORDS) else str(n)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def display_index(name: str, style: str) -> str:
    """KOSPI, or Kospi where the site's style says so (``index_style = "title"``)."""
    if style != "title":
        return name
    return re.sub(r"[A-Z]{2,}", lambda m: m.group(0).capitalize(), name)


def group_of(fact: Fact, headline_index: str) -> str:
    """The section of the report a fact belongs to."""
    kind = fact.kind
    if kind == "event":
        return "event"
    if kind.startswith("index_"):
        return "index" if fact.subject == headline_index else "other_index"
    if kind.startswith("flow"):
        return "flows"
    if kind in ("stock_records", "stock_move", "breadth", "sectors", "size_leaders"):
        return "stocks"
    if kind == "fx_move":
        return "fx"
    if kind.startswith("margin"):
        return "margin"
    return "lending"


class English:
    """Words for the facts of one site's reports, written day by day in date order."""

    def __init__(self, headline_index: str = "KOSPI", index_style: str = "caps"):
        self.headline_index = headline_index
        self.style = index_style
        self.explainer = Explainer()

    # -- entry point -------------------------------------------------------------------------

    def story(self, snap: Snapshot) -> Story:
        """The headline, lede and section sentences of one day (call in date order: whether
        a term is explained depends on the ledes of the days before)."""
        day = dt.date.fromisoformat(snap["date"])
        facts = [Fact.from_json(f) for f in snap.get("facts", [])]
        ctx = _Day(self, snap, day, facts)
        groups: dict[str, list[Fact]] = {}
        for f in facts:
            groups.setdefault(group_of(f, self.headline_index), []).append(f)
        links: dict[str, str] = {}
        lede, lead = self._lede(ctx, groups, links)
        sections = {}
        said = {_plain(s) for s in lede}
        for g, members in groups.items():
            extra = [s for s in ctx.sentences(g, members, lede=False, links={}) if _plain(s) not in said]
            if extra:
                sections[g] = extra
        return Story(headline=ctx.headline(facts, lead), lede=lede, sections=sections, links=links)

    def _lede(self, ctx: DayWords, groups: dict[str, list[Fact]], links: dict[str, str]) -> tuple[list[str], str | None]:
        """The lede and its lead group: groups by priority while the day's sentence budget
        lasts, then told with the lead group first and the rest in wire order."""
        if not groups:
            return [], None
        score = {g: max(f.score for f in fs) for g, fs in groups.items()}
        top = max(score.values())
        big = top >= BIG_DAY
        floor = BIG_DAY_FLOOR if big else FLOOR
        budget = BIG_SENTENCES if big else ORDINARY_SENTENCES if top >= FLOOR else QUIET_SENTENCES
        best = max(score, key=lambda g: (score[g], -GROUPS.index(g)))
        if "event" in groups:
            lead = "event"
        elif "index" in groups and (score[best] < LEAD_SCORE or score[best] < score["index"] + LEAD_MARGIN):
            lead = "index"
        else:
            lead = best
        wanted = [g for g in groups if g not in (lead, "index") and score[g] >= floor]
        spare = [g for g in sorted(groups, key=lambda g: -score[g]) if g not in (lead, "index") and g not in wanted and score[g] >= 20]
        priority = [lead] + (["index"] if "index" in groups and lead != "index" else []) + sorted(wanted, key=lambda g: -score[g])
        told: dict[str, list[str]] = {}
        total = 0
        for g in priority + spare:
            if g in spare and len(told) >= MIN_GROUPS:
                break  # a quiet day still says one more thing when it has one; no more
            saved = dict(self.explainer.last)
            mine: dict[str, str] = {}
            sentences = ctx.sentences(g, groups[g], lede=True, links=mine)
            if not sentences or (told and total + len(sentences) > budget):
                self.explainer.last = saved  # not told after all: not explained either
                continue
            told[g] = sentences
            links.update(mine)
            total += len(sentences)
        ctx.told_groups = set(told)
        ctx.lede_text = " ".join(sentence for g in told for sentence in told[g])
        order = [lead] + [g for g in GROUPS if g in told and g != lead]
        if lead == "event" and "index" in order:  # the event, then at once what the index did
            order.remove("index")
            order.insert(1, "index")
        return [sentence for g in order for sentence in told[g]], lead


class DayWords(Protocol):
    """What the lede planner needs of a realiser's day (the English one or the Korean one)."""

    told_groups: set[str]
    lede_text: str

    def sentences(self, group: str, facts: list[Fact], *, lede: bool, links: dict[str, str]) -> list[str]: ...


class _Day:
    """The realiser's view of one day."""

    def __init__(self, english: English, snap: Snapshot, day: dt.date, facts: list[Fact]):
        self.en = english
        self.snap = snap
        self.day = day
        self.facts = facts
        self.weekday = day.strftime("%A")
        self.in_lede = False
        #: the groups the lede told (the headline's "as ..." says only what the lede says)
        self.told_groups: set[str] = set()
        self.lede_text = ""
        #: index facts already told by the first index sentence (not repeated after it)
        self.told: set[tuple[str, str]] = set()

    # -- words shared by every sentence ------------------------------------------------------

    def idx(self, name: str) -> str:
        return display_index(name, self.en.style)

    def stock(self, ticker: str) -> str:
        s = self.snap.get("stocks", {}).get(ticker)
        return s["name"] if s else ticker

    def date(self, iso: str) -> str:
        """Dec. 17, with the year when it is not the report's year."""
        return fmt.month_day(dt.date.fromisoformat(iso), self.day)

    def when(self, iso: str) -> str:
        """A weekday within the past week, else a date."""
        return fmt.relative_day(dt.date.fromisoformat(iso), self.day)

    def since(self, f: Fact, headline: bool = False) -> str:
        """"since Aug. 5, 2024"; "since at least June 2023" when nothing in the data beat it."""
        if f.since is None:
            begins = dt.date.fromisoformat(f.data_begins or self.snap["date"])
            return f"since at least {fmt.month_year(begins)}"
        when = dt.date.fromisoformat(f.since)
        return f"since {fmt.month_year(when, self.day)}" if headline else f"since {self.date(f.since)}"

    def term(self, slug: str, links: dict[str, str], text: str | None = None) -> str:
        """A glossary term in a lede: with its explanation once a week, else linked."""
        t = TERMS[slug]
        words = text or t.name
        if not self.in_lede:
            return words
        if self.en.explainer.explain(slug, self.day):
            return f"{words}, {t.appositive},"
        links[words] = slug
        return words

    def find(self, kind: str, subject: str | None = None) -> Fact | None:
        return next((f for f in self.facts if f.kind == kind and (subject is None or f.subject == subject)), None)

    # -- sentences by group ------------------------------------------------------------------

    def sentences(self, group: str, facts: list[Fact], *, lede: bool, links: dict[str, str]) -> list[str]:
        writer = getattr(self, f"_{group}")
        self.in_lede = lede
        return [s for s in writer(facts, lede, links) if s]

    def _event(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        out = []
        for f in facts:
            text = f.values["text"]
            out.append(text if text.endswith((".", "!", "?")) else text + ".")
        return out if lede else []

    def _index(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        name = self.en.headline_index
        return self._index_sentences(name, {f.kind: f for f in facts if f.subject == name}, lede, links, main=True)

    def _other_index(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        out = []
        by_index: dict[str, dict[str, Fact]] = {}
        for f in facts:
            by_index.setdefault(f.subject, {}).setdefault(f.kind, f)
        for name, kinds in by_index.items():
            out += self._index_sentences(name, kinds, lede, links, main=False)
        return out

    def _index_sentences(self, name: str, kinds: dict[str, Fact], lede: bool, links: dict[str, str], main: bool) -> list[str]:
        if "index_move" not in kinds:
            return []
        self.told = {t for t in self.told if t[0] != name}
        out = [self._first_index_sentence(name, kinds) if main else self._other_index_sentence(name, kinds)]
        if not main and lede:
            return out
        record = kinds.get("index_record_close")
        if main and record and not kinds.get("index_record_high") and record.values["previous"] and (name, "index_record_close") not in self.told:
            prev = record.values["previous"]
            out.append(f"The close topped the previous record of {fmt.level(prev['value'])} set on {self.when(prev['date'])}.")
        # The secondary facts, best first: each a short sentence of its own.
        secondary = sorted((f for k, f in kinds.items() if k in _SECONDARY and (name, k) not in self.told), key=lambda f: -f.score)
        if lede:
            # The best of them when it outranks the move (the headline may say it), and any
            # other that scores as a detail of the lede, two at most.
            rivals = max((kinds[k].score for k in _FIRST_SENTENCE if k in kinds), default=0)
            secondary = [f for n, f in enumerate(secondary) if f.score >= LEDE_DETAIL or (n == 0 and f.score > rivals)][:2]
        for f in secondary:
            out.append(self._secondary(name, f, links, main))
        return [s for s in out if s]

    def _first_index_sentence(self, name: str, kinds: dict[str, Fact]) -> str:
        move = kinds["index_move"]
        v = move.values
        the = f"The {self.idx(name)}"
        milestone, record_high = kinds.get("index_milestone"), kinds.get("index_record_high")
        record_close = kinds.get("index_record_close")
        tail = self._tail(kinds, include_move_since=True)
        period = kinds.get("index_period")
        if period and _leads_with_period(kinds):
            self.told.add((name, "index_period"))
            return self._period_lead(the, period, v)
        self.told.add((name, "index_record_high"))
        if record_high:
            prev = record_high.values["previous"]
            clause = f"{the} touched an intraday record of {fmt.level(record_high.values['high'])} on {self.weekday}"
            if prev:
                clause += f", above the previous record of {fmt.level(prev['value'])} set on {self.when(prev['date'])}"
            close_words = self._close_clause(v, record=bool(record_close))
            levels = milestone.values["levels_high"] if milestone else []
            if levels:
                return f"{clause}, and crossed {_levels(levels)} for the first time before it {close_words}{tail}."
            joiner = "but" if (v.get("change") or 0) < 0 else "and"
            return f"{clause}, {joiner} {close_words}{tail}."
        drawdown = kinds.get("index_drawdown")
        if drawdown and drawdown.score > move.score:
            self.told.add((name, "index_drawdown"))
            below = drawdown.values
            stage = "into correction territory" if below["stage"] == "correction" else "into a bear market"
            return (f"{the} fell {stage} on {self.weekday}, {self._move_words(v)}, to close at {fmt.level(v['close'])}{tail}. "
                    f"The close was {fmt.percent(below['below_pct'])} below the record close of "
                    f"{fmt.level(below['record_close'])} set on {self.date(below['record_date'])}.")
        on = f" on {self.weekday}"
        words = self._close_clause(v, record=bool(record_close), on=on)
        return f"{the} {words}{'' if on in words else on}{tail}."

    def _other_index_sentence(self, name: str, kinds: dict[str, Fact]) -> str:
        """Another index in one sentence: its move and the best thing it beat."""
        move = kinds["index_move"]
        v = move.values
        the = f"The {self.idx(name)}"
        period = kinds.get("index_period")
        if period and _leads_with_period(kinds):
            self.told.add((name, "index_period"))
            return self._period_lead(the, period, v)
        record = bool(kinds.get("index_record_close"))
        context = ""
        best = max((f for k, f in kinds.items() if k in _OTHER_CONTEXT), key=lambda f: f.score, default=None)
        if best is not None and not record:
            self.told.add((name, best.kind))
            b = best.values
            if best.kind == "index_milestone":
                levels = b["levels_close"] or b["levels_high"]
                context = f", {'ending' if b['levels_close'] else 'trading'} above {max(levels):,} for the first time"
            elif best.kind == "index_close_since":
                context = f", its {'highest' if b['direction'] == 'high' else 'lowest'} close {self.since(best)}"
            elif best.kind == "index_level_cross":
                context = f", its first close {b['direction']} {b['level']:,} {self.since(best)}"
            elif best.kind == "index_move" and _told_since(best) and b["direction"] in ("up", "down"):
                what = "biggest one-day gain" if b["direction"] == "up" else "steepest one-day fall"
                context = f", its {what} {self.since(best)}"
        on = f" on {self.weekday}"
        words = self._close_clause(v, record=record, on=on)
        return f"{the} {words}{'' if on in words else on}{context}."

    def _move_words(self, v: dict) -> str:
        """'lost 148.55 points, or 5.74 percent'."""
        pct, change = v["change_pct"], v["change"]
        verb = "gaining" if change > 0 else "losing"
        return f"{verb} {fmt.level(abs(change))} points, or {fmt.percent(pct)}"

    def _close_clause(self, v: dict, record: bool, on: str = "") -> str:
        """closed up 25.58 points, or 0.57 percent, at a record 4,551.06; plunged ... to close at ...

        ``on`` (" on Monday") goes where it reads naturally when the clause runs on after the close."""
        rec = "a record " if record else ""
        close = fmt.level(v["close"])
        if v["direction"] == "first":
            return f"closed at {rec}{close}"
        change, pct = v["change"], v["change_pct"]
        if v["direction"] == "flat":
            if not change:
                return f"closed unchanged at {rec}{close}"
            way = "up" if change > 0 else "down"
            return f"closed little changed at {rec}{close}{on}, {way} {fmt.level(abs(change))} points"
        if abs(pct) >= 2:
            verb = _verb(pct, past=True)
            return f"{verb} {fmt.level(abs(change))} points, or {fmt.percent(pct)}, to close at {rec}{close}"
        way = "up" if change > 0 else "down"
        return f"closed {way} {fmt.level(abs(change))} points, or {fmt.percent(pct)}, at {rec}{close}"

    def _tail(self, kinds: dict[str, Fact], include_move_since: bool) -> str:
        """', its steepest one-day fall since ... and its third straight loss', the round level."""
        parts = []
        move = kinds.get("index_move")
        if include_move_since and move and move.values["direction"] in ("up", "down") and _told_since(move):
            what = "biggest one-day gain" if move.values["direction"] == "up" else "steepest one-day fall"
            parts.append(f"its {what} {self.since(move)}")
        streak = kinds.get("index_streak")
        if streak:
            days, up = streak.values["days"], streak.values["direction"] == "up"
            text = f"its {fmt.ordinal_word(days)} straight {'gain' if up else 'loss'}"
            if days >= STREAK_NEWS and _told_since(streak):
                run = "winning" if up else "losing"
                text += f", the longest {run} streak {self.since(streak)}"
            parts.append(text)
        tail = (", " + fmt.join_words(parts)) if parts else ""
        milestone = kinds.get("index_milestone")
        if milestone:
            close_levels = [m for m in milestone.values["levels_close"] if m not in milestone.values["levels_high"]]
            if close_levels:
                tail += f", ending above {max(close_levels):,} for the first time"
        return tail

    def _period_lead(self, the: str, period: Fact, v: dict) -> str:
        """The KOSPI ended 2025 up 75.63 percent, closing the year's last session down 6.39
        points, or 0.15 percent, at 4,214.17 on Tuesday."""
        p = period.values
        way = _signed_words(p["change_pct"])
        best = self._period_since(period)
        session = f"closing the {_PERIOD_WORDS[p['period']]}'s last session"
        if v["direction"] == "first":
            today = f"{session} at {fmt.level(v['close'])}"
        elif v["direction"] == "flat":
            today = f"{session} {'unchanged' if not v['change'] else 'little changed'} at {fmt.level(v['close'])}"
        else:
            today = (f"{session} {'up' if v['change'] > 0 else 'down'} {fmt.level(abs(v['change']))} points, "
                     f"or {fmt.percent(v['change_pct'])}, at {fmt.level(v['close'])}")
        return f"{the} ended {self._period_name(p)} {way}{best}, {today} on {self.weekday}."

    def _period_name(self, p: dict) -> str:
        label = p["label"]
        if p["period"] == "year":
            return label
        if p["period"] == "quarter":
            q = int(label[-1])
            return f"the {_QUARTERS[q - 1]} quarter"
        return dt.date.fromisoformat(label + "-01").strftime("%B")

    def _period_since(self, period: Fact) -> str:
        p = period.values
        if period.lookback is None or period.lookback < PERIOD_LOOKBACK or abs(p["change_pct"]) < LITTLE_CHANGED:
            return ""
        word = _PERIOD_WORDS[p["period"]]
        best = "best" if p["change_pct"] >= 0 else "worst"
        if period.since is None:
            return f", its {best} {word} in the data"
        return f", its {best} {word} since {self._period_label(period.since, p['period'])}"

    def _period_label(self, label: str, period: str) -> str:
        if period == "year":
            return label
        if period == "quarter":
            return f"the {_QUARTERS[int(label[-1]) - 1]} quarter of {label[:4]}"
        return fmt.month_year(dt.date.fromisoformat(label + "-01"), self.day)

    def _secondary(self, name: str, f: Fact, links: dict[str, str], main: bool) -> str:
        v = f.values
        it = "The index" if main else f"The {self.idx(name)}"
        the_close = "The close" if main else f"The {self.idx(name)}'s close"
        if f.kind == "index_record_high":
            return f"Earlier in the session it touched an intraday record of {fmt.level(v['high'])}."
        if f.kind == "index_close_since":
            return f"{the_close} was the {'highest' if v['direction'] == 'high' else 'lowest'} {self.since(f)}."
        if f.kind == "index_level_cross":
            return f"{it} ended {v['direction']} {v['level']:,} for the first time {self.since(f)}."
        if f.kind == "index_drawdown":
            stage = self.term("correction", links, "correction territory") if v["stage"] == "correction" else self.term("bear-market", links, "a bear market")
            stage = stage.rstrip(",")
            return (f"{the_close} left the index {fmt.percent(v['below_pct'])} below its record close of "
                    f"{fmt.level(v['record_close'])} set on {self.date(v['record_date'])}, in {stage}.")
        if f.kind == "index_rebound":
            fall = f"{self.when(v['previous_date'])}'s {fmt.percent(v['previous_change_pct'])} fall"
            if v["recovered_pct"] >= 100:
                return f"The gain more than erased {fall}."
            return f"The gain won back {v['recovered_pct']} percent of {fall}."
        if f.kind == "index_swing":
            return (f"{it} swung {fmt.percent(v['range_pct'])} between its high and low, the widest intraday "
                    f"range {self.since(f)}.")
        if f.kind == "index_turnover":
            return f"Turnover on the {self.idx(name)} market reached {fmt.won(v['trading_value'])}, the most {self.since(f)}."
        if f.kind == "index_period":
            p = v
            if abs(p["change_pct"]) < LITTLE_CHANGED:
                return f"{it} ended {self._period_name(p)} little changed."
            verb = "rose" if p["change_pct"] > 0 else "fell"
            return f"{it} {verb} {fmt.percent(p['change_pct'])} in {self._period_name(p)}{self._period_since(f)}."
        return ""

    def _flows(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        base = next((f for f in facts if f.kind == "flows"), None)
        out = []
        if base is not None:
            out.append(self._flows_sentence(base))
        notes: dict[str, list[str]] = {}
        for f in facts:
            who = f.subject
            if f.kind == "flows" or (lede and who != "foreigners" and f.score < LEDE_DETAIL + 10):
                continue
            doing = "net buying" if f.values["direction"] == "buy" else "net selling"
            if f.kind == "flow_extreme":
                notes.setdefault(who, []).insert(0, f"{who}' {doing} was the biggest {self.since(f)}")
            if f.kind == "flow_streak":
                mine = notes.setdefault(who, [])
                days = fmt.ordinal_word(f.values["days"])
                mine.append(f"it was their {days} straight day of it" if mine else f"{who}' {doing} ran to a {days} straight day")
        for who in _INVESTORS:
            said = notes.get(who)
            if said:
                out.append(_cap(", and ".join(said)) + ".")
        return out

    def _flows_sentence(self, base: Fact) -> str:
        """Who bought and who sold, the side foreigners were on first (the figure wires lead with)."""
        flows = self.snap.get("flows", {}).get(base.subject, {})
        named = {k: v for k, v in base.values.items() if k in _INVESTORS and v}
        buyers = sorted((k for k in named if named[k] > 0), key=lambda k: (k != "foreigners", -named[k]))
        sellers = sorted((k for k in named if named[k] < 0), key=lambda k: (k != "foreigners", named[k]))

        def amount(k: str) -> str:
            text = fmt.won(abs(named[k]))
            flow = flows.get(k)
            usd = flow["usd"] if flow else None
            if usd is not None:
                text += f" ({fmt.usd(abs(usd))})"
            return text

        def clause(group: list[str], verb: str, first: bool) -> str:
            who = fmt.join_words(list(group))
            amounts = fmt.join_words([amount(k) for k in group])
            of_shares = " of shares" if first else ""
            tail = ", respectively" if len(group) > 1 else ""
            return f"{who} {verb} a net {amounts}{of_shares}{tail}"

        sides = [(buyers, "bought"), (sellers, "sold")]
        if "foreigners" in sellers:
            sides.reverse()
        parts: list[str] = []
        for group, verb in sides:
            if group:
                parts.append(clause(group, verb, first=not parts))
        return _cap(", while ".join(parts)) + "."

    def _stocks(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        out = self._stock_sentences(facts, LEDE_DETAIL if lede else 0)
        return out[:2] if lede else out

    def _stock_sentences(self, facts: list[Fact], floor: float) -> list[str]:
        out = []
        records = next((f for f in facts if f.kind == "stock_records"), None)
        record_tickers = set(records.values["tickers"]) if records else set()
        if records:
            names = [self.stock(t) for t in records.values["tickers"]]
            if len(names) == 1:
                out.append(f"{names[0]} hit a record high.")
            elif len(names) <= MAX_NAMED_RECORDS:
                out.append(f"{fmt.join_words(names)} hit record highs.")
            else:
                out.append(f"{_cap(count_word(len(names)))} stocks hit record highs, led by {fmt.join_words(names[:3])}.")
        moves = sorted((f for f in facts if f.kind == "stock_move" and f.subject not in record_tickers and f.score >= floor), key=lambda f: -f.score)
        if moves:
            clauses = []
            for f in moves[:MAX_NAMED_MOVES]:
                pct = f.values["change_pct"]
                text = f"{self.stock(f.subject)} {_verb(pct, past=True, stock=True)} {fmt.percent(pct)}"
                if _told_since(f):
                    text += f", its {'biggest gain' if pct > 0 else 'steepest fall'} {self.since(f)}"
                clauses.append(text)
            out.append(_cap("; ".join(clauses)) + ".")
        size = next((f for f in facts if f.kind == "size_leaders" and f.score >= floor), None)
        told = record_tickers | {f.subject for f in moves[:MAX_NAMED_MOVES]}
        if size and not set(size.values["tickers"]) <= told:
            parts = []
            for t, pct in zip(size.values["tickers"], size.values["changes_pct"], strict=True):
                if abs(pct) < LITTLE_CHANGED:
                    parts.append(f"{self.stock(t)} was little changed")
                else:
                    parts.append(f"{self.stock(t)} {'rose' if pct > 0 else 'fell'} {fmt.percent(pct)}")
            out.append(f"Of the biggest stocks by market value, {fmt.join_words(parts)}.")
        breadth = next((f for f in facts if f.kind == "breadth" and f.score >= floor), None)
        if breadth:
            out.append(self._breadth(breadth.values))
        sectors = next((f for f in facts if f.kind == "sectors" and f.score >= floor), None)
        if sectors:
            v = sectors.values
            weighting = ", weighted by market value," if v["weighting"] == "market_cap" else ""
            best, worst = v["best"], v["worst"]
            if worst["change_pct"] > 0 or best["change_pct"] < 0:
                rising = worst["change_pct"] > 0
                most = best if rising else worst
                out.append(f"Every sector {'rose' if rising else 'fell'}{weighting.rstrip(',')}, {most['sector']} the most, "
                           f"{_signed_words(most['change_pct'])}.")
                return out
            out.append(
                f"Among sectors{weighting} {best['sector']} did best, {_signed_words(best['change_pct'])}, "
                f"and {worst['sector']} worst, {_signed_words(worst['change_pct'])}."
                if weighting else
                f"Among sectors, {best['sector']} did best, {_signed_words(best['change_pct'])}, "
                f"and {worst['sector']} worst, {_signed_words(worst['change_pct'])}."
            )
        return out

    def _breadth(self, v: dict) -> str:
        up, down, flat, n = v["advancers"], v["decliners"], v["unchanged"], v["tracked"]
        among = f"among the {n} stocks tracked"
        rest = f", with {flat} unchanged" if flat else ""
        if up == v["traded"] or down == v["traded"]:
            which = "Every one" if v["traded"] == n else f"All {v['traded']} that traded"
            return f"{which} of the {n} stocks tracked {'rose' if up else 'fell'}."
        if up > down:
            return f"Gainers outnumbered decliners {up} to {down} {among}{rest}."
        if down > up:
            return f"Decliners outnumbered gainers {down} to {up} {among}{rest}."
        return f"Gainers and decliners were even at {up} each {among}{rest}."

    def _fx(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        f = facts[0]
        v = f.values
        verb = "weakened" if v["won"] == "weaker" else "strengthened"
        text = f"The won {verb} {fmt.level(abs(v['change']))} won to {fmt.level(v['usdkrw'])} per dollar"
        if f.lookback is not None and f.lookback >= TELL_LOOKBACK:
            text += f", its {'weakest' if v['won'] == 'weaker' else 'strongest'} {self.since(f)}"
        return [text + "."]

    def _margin(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        out = []
        record = next((f for f in facts if f.kind == "margin_record"), None)
        rise = next((f for f in facts if f.kind == "margin_weekly_rise"), None)
        first = True
        if record:
            v = record.values
            where = "" if v["market"] == "total" else f" on the {self.idx(v['market'])}"
            name = self.term("margin-loans", links, "Margin loans") if lede else "Margin loans"
            if where and name.endswith(","):
                name = name[:-1] + where + ","
            else:
                name += where
            text = f"{name} reached a record {fmt.won(v['balance'])} as of {self.when(v['as_of'])}"
            prev = v["previous"]
            if prev:
                text += f", above the previous record of {fmt.won(prev['value'], 4)} set on {self.when(prev['date'])}"
            out.append(text + ".")
            first = False
        if rise and (not lede or rise.score >= BIG_DAY_FLOOR):
            v = rise.values
            who = "Margin loans" if first else "They"
            out.append(f"{who} rose {fmt.won(v['change'])} in the week to {self.when(v['as_of'])}, the biggest weekly rise {self.since(rise)}.")
        return out

    def _lending(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        f = facts[0]
        v = f.values
        balances = dict(zip(v["tickers"], v["balances"], strict=True))
        named = [f"{self.stock(t)} ({fmt.won(balances[t])})" for t in v["tickers"][:MAX_NAMED_LENDING]]
        if len(v["tickers"]) > MAX_NAMED_LENDING:
            what = f"{count_word(len(v['tickers']))} stocks, including {fmt.join_words(named)},"
            plural = "records"
        else:
            what = fmt.join_words(named)
            plural = "records" if len(v["tickers"]) > 1 else "a record"
        if v["ban"]:
            name = "Stock-lending balances"
            if lede:
                links.setdefault(name, "stock-lending")
            start = v["ban"]["start"]
            ban = (", on the first day of a ban on short selling" if start == v["as_of"]
                   else f", during the short-selling ban in force since {self.date(start)}")
            return [f"{name} hit {plural} for {what} as of {self.when(v['as_of'])}{ban}."]
        name = self.term("stock-lending", links, "Stock-lending balances") if lede else "Stock-lending balances"
        return [f"{name} hit {plural} for {what} as of {self.when(v['as_of'])}."]

    # -- the headline ------------------------------------------------------------------------

    def headline(self, facts: list[Fact], lead: str | None) -> str:
        """The lede's lead in headline style: present tense, sentence case, %. When the index
        leads, its top fact; a plain move says what else happened ("as foreigners sell")."""
        name = self.idx(self.en.headline_index)
        move = self.find("index_move", self.en.headline_index)
        move_words = self._headline_move(name, move)
        headline_index = self.en.headline_index
        for f in facts:
            if lead == "index" and not (f.kind.startswith("index_") and f.subject == headline_index):
                continue
            if lead not in (None, "index", "event") and f.kind.startswith("index_"):
                continue
            text = self._headline_for(f, name, move, move_words)
            if text:
                return _cap(text)
        return _cap(move_words + self._as_clause(name) if move_words else f"{name} report for {fmt.month_day(self.day)}, {self.day.year}")

    def _headline_move(self, name: str, move: Fact | None) -> str:
        if move is None:
            return ""
        v = move.values
        if v["direction"] == "first":
            return f"{name} closes at {fmt.level(v['close'])}"
        if v["direction"] == "flat":
            return f"{name} ends little changed at {fmt.level(v['close'])}"
        return f"{name} {_verb(v['change_pct'], past=False)} {fmt.percent_sign(v['change_pct'])}"

    def _as_clause(self, name: str) -> str:
        """The next thing to say after a plain move: 'as foreigners sell'."""
        move = self.find("index_move", self.en.headline_index)
        index_pct = move.values.get("change_pct") if move and move.values["direction"] in ("up", "down") else None
        for f in self.facts:
            if group_of(f, self.en.headline_index) not in self.told_groups:
                continue
            v = f.values
            other = f.subject != self.en.headline_index
            if other and f.kind == "index_milestone":
                levels = v["levels_close"] or v["levels_high"]
                return f" as {self.idx(f.subject)} tops {max(levels):,}"
            if other and f.kind == "index_record_close":
                return f" as {self.idx(f.subject)} closes at record"
            if f.kind == "stock_records":
                tickers = v["tickers"]
                if len(tickers) == 1:
                    return f" as {self.stock(tickers[0])} hits record"
                if len(tickers) == 2:
                    return f" as {self.stock(tickers[0])} and {self.stock(tickers[1])} hit records"
                return f" as {count_word(len(tickers))} stocks hit records"
            if f.kind == "stock_move":
                pct = v["change_pct"]
                if f"{self.stock(f.subject)} {_verb(pct, past=True, stock=True)} {fmt.percent(pct)}" not in self.lede_text:
                    continue  # told as a record, or not told: the headline says what the lede says
                if index_pct and (pct > 0) != (index_pct > 0):
                    continue  # "KOSPI rises as Kia plunges" reads as cause and effect that is not there
                return f" as {self.stock(f.subject)} {_verb(pct, past=False, stock=True)} {fmt.percent_sign(pct)}"
            if f.kind == "flow_extreme":
                if f"{_cap(f.subject)}' net" not in self.lede_text:
                    continue
                verb = "buy" if v["direction"] == "buy" else "sell"
                return f" as {f.subject} {verb} most {self.since(f, headline=True)}"
            if f.kind == "flow_streak":
                return f" as foreigners {'buy' if v['direction'] == 'buy' else 'sell'} for {fmt.ordinal_word(v['days'])} day"
            if f.kind == "flows":
                foreign = v.get("foreigners")
                if foreign:
                    return f" as foreigners {'buy' if foreign > 0 else 'sell'}"
            if f.kind == "margin_record":
                return " as margin loans hit record"
            if f.kind == "lending_records":
                tickers = v["tickers"]
                who = self.stock(tickers[0]) if len(tickers) == 1 else f"{count_word(len(tickers))} stocks"
                return f" as stock lending hits record for {who}"
            if f.kind == "fx_move" and f.lookback is not None and f.lookback >= TELL_LOOKBACK:
                return f" as won {'weakens' if v['won'] == 'weaker' else 'strengthens'} to {fmt.level(v['usdkrw'])} per dollar"
        return ""

    def _headline_for(self, f: Fact, name: str, move: Fact | None, move_words: str) -> str | None:
        v = f.values
        k = f.kind
        if k == "event":
            lead = v.get("headline") or _EVENT_HEADLINES.get(v["kind"])
            if lead is None:
                return move_words + self._as_clause(name) if move_words else None
            return f"{lead} as {move_words}" if move_words else lead
        mine = f.subject == self.en.headline_index
        if k == "index_milestone" and mine:
            if v["levels_close"]:
                return f"{name} closes above {max(v['levels_close']):,} for first time"
            record = self.find("index_record_close", self.en.headline_index)
            tail = f", ends at record {fmt.level(record.values['close'])}" if record else ""
            return f"{name} tops {max(v['levels_high']):,} for first time{tail}"
        if k == "index_record_close" and mine:
            return f"{name} closes at record {fmt.level(v['close'])}"
        if k == "index_record_high" and mine and move:
            return f"{name} hits intraday record, {_headline_tail(move_words, name)}"
        if k == "index_move" and mine:
            if _told_since(f, TELL_LOOKBACK) and v["direction"] in ("up", "down"):
                what = "biggest gain" if v["direction"] == "up" else "steepest fall"
                return f"{move_words}, {what} {self.since(f, headline=True)}"
            return move_words + self._as_clause(name)
        if k == "index_period" and mine:
            label = self._period_name(v)
            if label.startswith("the "):
                label = label[4:]
            best = ""
            if f.lookback is not None and f.lookback >= PERIOD_LOOKBACK:
                word = _PERIOD_WORDS[v["period"]]
                since = f.since if v["period"] == "year" or f.since is None else (
                    f"Q{f.since[-1]} {f.since[:4]}" if v["period"] == "quarter" else fmt.month_year(dt.date.fromisoformat(f.since + "-01"), self.day))
                best = f", {'best' if v['change_pct'] >= 0 else 'worst'} {word} " + (f"since {since}" if f.since else "in data")
            if abs(v["change_pct"]) < LITTLE_CHANGED:
                return f"{name} ends {label} little changed"
            way = "up" if v["change_pct"] >= 0 else "down"
            return f"{name} ends {label} {way} {fmt.percent_sign(v['change_pct'])}{best}"
        if k == "index_drawdown" and mine and move_words:
            return f"{move_words} into {'correction territory' if v['stage'] == 'correction' else 'bear market'}"
        if k == "index_close_since" and mine and move_words:
            which = "highest" if v["direction"] == "high" else "lowest"
            return f"{move_words} to {fmt.level(v['close'])}, {which} close {self.since(f, headline=True)}"
        if k == "index_level_cross" and mine:
            return f"{name} ends {v['direction']} {v['level']:,} for first time {self.since(f, headline=True)}"
        if k == "index_streak" and mine and v["days"] >= STREAK_NEWS and move_words:
            up = v["direction"] == "up"
            text = f"{move_words}, {fmt.ordinal_word(v['days'])} straight {'gain' if up else 'loss'}"
            if _told_since(f, TELL_LOOKBACK):
                text += f", longest {'winning' if up else 'losing'} streak {self.since(f, headline=True)}"
            return text
        if k == "index_rebound" and mine:
            return f"{name} rebounds {fmt.percent_sign(v['change_pct'])} after {self.when(v['previous_date'])}'s {fmt.percent_sign(v['previous_change_pct'])} fall"
        if k == "index_swing" and mine:
            return f"{name} swings {fmt.percent_sign(v['range_pct'])} intraday, most {self.since(f, headline=True)}"
        if k == "index_turnover" and mine:
            return f"{name} turnover highest {self.since(f, headline=True)}; {_headline_tail(move_words, name)}"
        if k == "flow_extreme":
            verb = "buy" if v["direction"] == "buy" else "sell"
            return f"{_cap(f.subject)} {verb} most {self.idx(v['market'])} shares {self.since(f, headline=True)}"
        if k == "flow_streak":
            verb = "buy" if v["direction"] == "buy" else "sell"
            return f"Foreigners {verb} {self.idx(v['market'])} shares for {fmt.ordinal_word(v['days'])} straight day"
        if k == "stock_records":
            names = [self.stock(t) for t in v["tickers"]]
            if len(names) == 1:
                return f"{names[0]} hits record high"
            return f"{fmt.join_words(names) if len(names) <= 3 else _cap(count_word(len(names))) + ' stocks'} hit record highs"
        if k == "stock_move":
            pct = v["change_pct"]
            text = f"{self.stock(f.subject)} {_verb(pct, past=False, stock=True)} {fmt.percent_sign(pct)}"
            if _told_since(f, TELL_LOOKBACK):
                text += f", {'biggest gain' if pct > 0 else 'steepest fall'} {self.since(f, headline=True)}"
            return text
        if k == "fx_move" and f.lookback is not None and f.lookback >= TELL_LOOKBACK:
            weaker = v["won"] == "weaker"
            return f"Won {'weakens' if weaker else 'strengthens'} to {fmt.level(v['usdkrw'])} per dollar, {'weakest' if weaker else 'strongest'} {self.since(f, headline=True)}"
        if k == "margin_record":
            where = "" if v["market"] == "total" else f" on {self.idx(v['market'])}"
            return f"Margin loans{where} hit record {fmt.won(v['balance'])}"
        if k == "margin_weekly_rise":
            return f"Margin loans post biggest weekly rise {self.since(f, headline=True)}"
        if k == "lending_records":
            tickers = v["tickers"]
            who = self.stock(tickers[0]) if len(tickers) == 1 else f"{count_word(len(tickers))} stocks"
            return f"Stock lending hits record for {who}"
        return None


#: Index facts told after the first sentence, each as a sentence of its own.
_SECONDARY = ("index_record_high", "index_close_since", "index_level_cross", "index_drawdown", "index_rebound", "index_swing",
              "index_turnover", "index_period")
#: Facts the first sentence about an index tells.
_FIRST_SENTENCE = ("index_move", "index_milestone", "index_record_close", "index_record_high")
#: What can follow another index's move in its one sentence.
_OTHER_CONTEXT = ("index_milestone", "index_close_since", "index_level_cross", "index_move")
_EVENT_HEADLINES = {
    "sidecar": "Sidecar curbs program trading",
    "circuit_breaker": "Circuit breaker halts trading",
    "halt": "Trading halted",
}


def _plain(sentence: str) -> str:
    """A sentence without its glossary explanations: the same fact told with or without one."""
    for t in TERMS.values():
        sentence = sentence.replace(f", {t.appositive},", "").replace(f", {t.appositive}.", ".")
    return sentence


def _leads_with_period(kinds: dict[str, Fact]) -> bool:
    """A year's (or quarter's) end leads the index sentence unless the day itself beat it."""
    period = kinds.get("index_period")
    if period is None or period.values["period"] == "month":
        return False
    rivals = [kinds[k].score for k in ("index_move", "index_milestone", "index_record_close", "index_record_high") if k in kinds]
    return period.score >= max(rivals, default=0)


def _told_since(f: Fact, least: int = TELL_LOOKBACK) -> bool:
    """A "since" worth saying: it reaches back at least ``least`` trading days."""
    return f.lookback is not None and f.lookback >= max(least, MIN_LOOKBACK)


def _levels(levels: list) -> str:
    """"4,600"; "both 4,500 and 4,600"; the highest alone when a jump passes three or more."""
    ordered = sorted(levels)
    if len(ordered) == 2:
        return f"both {ordered[0]:,} and {ordered[1]:,}"
    return f"{ordered[-1]:,}"


def _verb(pct: float, past: bool, stock: bool = False) -> str:
    """The verb for a move of ``pct`` percent: plunged / tumbled / fell / edged down ..."""
    a = abs(pct)
    if pct > 0:
        words = ("soared", "soars") if a >= 4 else ("jumped", "jumps") if a >= 2 else ("rose", "rises") if a >= 0.3 or stock else ("edged up", "edges up")
    else:
        words = ("plunged", "plunges") if a >= 4 else ("tumbled", "tumbles") if a >= 2 else ("fell", "falls") if a >= 0.3 or stock else ("edged down", "edges down")
    return words[0] if past else words[1]


def _signed_words(pct: float) -> str:
    if abs(pct) < LITTLE_CHANGED:
        return "little changed"
    return f"{'up' if pct > 0 else 'down'} {fmt.percent(pct)}"


def _headline_tail(move_words: str, name: str) -> str:
    """'KOSPI falls 0.3%' as the second half of a headline: 'closes down 0.3%'."""
    rest = move_words.removeprefix(name + " ")
    for verb, closes in (("soars", "closes up"), ("jumps", "closes up"), ("rises", "closes up"), ("edges up", "closes up"),
                         ("plunges", "closes down"), ("tumbles", "closes down"), ("falls", "closes down"), ("edges down", "closes down")):
        if rest.startswith(verb + " "):
            return f"{closes} {rest[len(verb) + 1:]}"
    return rest


def write_stories(snapshots: Mapping[dt.date, Snapshot], headline_index: str = "KOSPI", index_style: str = "caps") -> dict[dt.date, Story]:
    """Every day's story, in date order (a term explained on one day is linked for a week)."""
    english = English(headline_index, index_style)
    return {day: english.story(snapshots[day]) for day in sorted(snapshots)}
