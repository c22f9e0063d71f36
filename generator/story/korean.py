"""The Korean realiser: the same ranked facts as the English edition, in newsroom Korean.

The two editions report the same figures: which facts make the lede, and in what order, is
decided by the English realiser's rules (``English._lede``, reused as is), so a reader of
either edition is told the same things about a day. Only the words differ: 코스피가 장중
4,611.72까지 오르며 사상 처음 4,600선을 넘었다; 전 거래일보다 25.58포인트(0.57%) 오른
4,551.06에 마감했다; 외국인이 9,780억 원어치를 순매수했다. Amounts are in 조 and 억, dates
1월 7일 (the year when it is not the report's), investors 외국인/기관/개인, stocks by their
``name_ko`` from stocks.csv. Particles follow the sound of the word before them
(generator/formatting_ko.josa). Headlines are in the nominal style of Korean papers
("코스피, 장중 사상 첫 4,600 돌파").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from generator import formatting as fmt
from generator import formatting_ko as ko
from generator.snapshot_types import Snapshot
from generator.story.english import (
    _FIRST_SENTENCE,
    _OTHER_CONTEXT,
    _SECONDARY,
    BIG_DAY_FLOOR,
    LEDE_DETAIL,
    MAX_NAMED_LENDING,
    MAX_NAMED_MOVES,
    MAX_NAMED_RECORDS,
    PERIOD_LOOKBACK,
    STREAK_NEWS,
    TELL_LOOKBACK,
    English,
    Story,
    _leads_with_period,
    _told_since,
    group_of,
)
from generator.story.facts import Fact
from generator.story.glossary_ko import TERMS_KO
from generator.story.index_facts import LITTLE_CHANGED

#: Investor types in Korean, in the order Korean reports name them.
INVESTORS_KO = {"foreigners": "외국인", "individuals": "개인", "institutions": "기관", "other": "기타"}
_ORDER = ("foreigners", "individuals", "institutions")
#: Index names as Korean papers write them; others keep the data's name.
INDEX_KO = {"KOSPI": "코스피", "KOSDAQ": "코스닥", "KOSPI 200": "코스피200", "KOSPI200": "코스피200", "KOSDAQ 150": "코스닥150"}
#: Sector names of stocks.csv in Korean (others are shown as the data writes them).
SECTORS_KO = {
    "Automobiles": "자동차", "Batteries": "2차전지", "Biotech": "바이오", "Defense": "방산", "Financials": "금융",
    "Internet": "인터넷", "Semiconductors": "반도체", "Software": "소프트웨어", "Steel": "철강", "Chemicals": "화학",
    "Shipbuilding": "조선", "Telecom": "통신", "Other": "기타", "Energy": "에너지", "Retail": "유통",
    "Construction": "건설", "Entertainment": "엔터테인먼트", "Insurance": "보험", "Securities": "증권",
}
_EVENT_HEADLINES_KO = {"sidecar": "사이드카 발동", "circuit_breaker": "서킷브레이커 발동", "halt": "거래 정지"}
_EVENT_TEXT_KO = {
    "sidecar": "프로그램매매 호가 효력을 5분간 정지하는 사이드카가 발동됐다.",
    "circuit_breaker": "주식 매매를 일시 정지하는 서킷브레이커가 발동됐다.",
    "halt": "거래가 정지됐다.",
}
_PERIOD_KO = {"month": "월간", "quarter": "분기", "year": "연간"}
_PERIOD_BEST = {"month": "달", "quarter": "분기", "year": "해"}


def index_ko(name: str) -> str:
    """코스피 for KOSPI; an index Korean papers have no name for keeps the data's."""
    return INDEX_KO.get(name, name)


def sector_ko(name: str | None) -> str:
    return SECTORS_KO.get(name or "Other", name or "기타")


def _rise_fall(pct: float, *, adnominal: bool, stock: bool = False) -> str:
    """The verb of a move: 급등한/급락한, 오른/내린, 소폭 오른 (``adnominal`` before a noun),
    or the sentence-final 급등했다/올랐다."""
    a = abs(pct)
    up = pct > 0
    if a >= 4:
        word = ("폭등한", "폭등했다") if up else ("폭락한", "폭락했다")
    elif a >= 2:
        word = ("급등한", "급등했다") if up else ("급락한", "급락했다")
    elif a >= 0.3 or stock:
        word = ("오른", "올랐다") if up else ("내린", "내렸다")
    else:
        word = ("소폭 오른", "소폭 올랐다") if up else ("소폭 내린", "소폭 내렸다")
    return word[0] if adnominal else word[1]


def _headline_verb(pct: float) -> str:
    a = abs(pct)
    if pct > 0:
        return "폭등" if a >= 4 else "급등" if a >= 2 else "상승"
    return "폭락" if a >= 4 else "급락" if a >= 2 else "하락"


def _pct1(value: float) -> str:
    """A headline's percentage: one decimal, halves up, as the English headline rounds."""
    from generator.formatting import percent_sign

    return percent_sign(value)


def _list(names: list[str]) -> str:
    """삼성전자, SK하이닉스, 현대차 (Korean lists take commas, the particle goes on the last)."""
    return ", ".join(names)


def _and(names: list[str]) -> str:
    """개인과 기관: two names joined by 과/와; more by commas."""
    if len(names) == 2:
        return ko.josa(names[0], "과") + " " + names[1]
    return _list(names)


class Korean(English):
    """Words in Korean for the facts of one site's reports, written day by day in date order.

    Which facts a lede tells is the English realiser's decision (``_lede``); this class only
    says them in Korean."""

    def __init__(self, headline_index: str = "KOSPI", names_ko: dict[str, str] | None = None):
        super().__init__(headline_index, "caps")
        #: ticker -> Korean name, for stocks no snapshot carries a ``name_ko`` for
        self.names_ko = names_ko or {}

    def story(self, snap: Snapshot) -> Story:
        """The Korean headline, lede and section sentences of one day (in date order)."""
        day = dt.date.fromisoformat(snap["date"])
        facts = [Fact.from_json(f) for f in snap.get("facts", [])]
        ctx = _KoreanDay(self, snap, day, facts)
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


def _plain(sentence: str) -> str:
    """A sentence without its glossary explanations (the same fact told with or without one)."""
    for t in TERMS_KO.values():
        sentence = sentence.replace(f"({t.appositive})", "")
    return sentence


class _KoreanDay:
    """The Korean realiser's view of one day (the same interface as english._Day; a ``DayWords``)."""

    def __init__(self, korean: Korean, snap: Snapshot, day: dt.date, facts: list[Fact]):
        self.en = korean
        self.snap = snap
        self.day = day
        self.facts = facts
        self.in_lede = False
        self.told_groups: set[str] = set()
        self.lede_text = ""
        self.told: set[tuple[str, str]] = set()

    # -- words shared by every sentence ------------------------------------------------------

    def idx(self, name: str) -> str:
        return index_ko(name)

    def stock(self, ticker: str) -> str:
        """A stock's Korean name (name_ko), else its English name, else its ticker."""
        s = self.snap.get("stocks", {}).get(ticker)
        name_ko = s.get("name_ko") if s else None
        if name_ko:
            return name_ko
        return self.en.names_ko.get(ticker) or (s["name"] if s else ticker)

    def date(self, iso: str) -> str:
        return ko.date(dt.date.fromisoformat(iso), self.day)

    def when(self, iso: str) -> str:
        """A day of the past week as 6일(화); others as a date (with the year when not this one)."""
        d = dt.date.fromisoformat(iso)
        if d == self.day:
            return "이날"
        if 0 < (self.day - d).days < 7:
            return f"{d.day}일({ko.weekday(d)})"
        return ko.date(d, self.day)

    def since(self, f: Fact, headline: bool = False) -> str:
        """"2024년 8월 5일 이후"; "데이터가 시작된 2023년 6월 이후" when nothing in the data beat it."""
        if f.since is None:
            begins = dt.date.fromisoformat(f.data_begins or self.snap["date"])
            return f"데이터가 시작된 {ko.month_year(begins)} 이후"
        when = dt.date.fromisoformat(f.since)
        return f"{ko.month_year(when, self.day)} 이후" if headline else f"{ko.date(when, self.day)} 이후"

    def term(self, slug: str, links: dict[str, str], text: str | None = None) -> str:
        """A glossary term in a lede: with its explanation in brackets once a week, else linked."""
        t = TERMS_KO[slug]
        words = text or t.name
        if not self.in_lede:
            return words
        if self.en.explainer.explain(slug, self.day):
            return f"{words}({t.appositive})"
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
            # The editor's Korean sentence; else the standard one for the kind; else their own words.
            text = f.values.get("text_ko") or _EVENT_TEXT_KO.get(f.values["kind"]) or f.values["text"]
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
            out.append(f"종전 최고 종가는 {self.when(prev['date'])}의 {ko.copula(ko.level(prev['value']))}.")
        secondary = sorted((f for k, f in kinds.items() if k in _SECONDARY and (name, k) not in self.told), key=lambda f: -f.score)
        if lede:
            rivals = max((kinds[k].score for k in _FIRST_SENTENCE if k in kinds), default=0)
            secondary = [f for n, f in enumerate(secondary) if f.score >= LEDE_DETAIL or (n == 0 and f.score > rivals)][:2]
        for f in secondary:
            out.append(self._secondary(name, f, links, main))
        return [s for s in out if s]

    def _close_clause(self, v: dict, record: bool) -> str:
        """전 거래일보다 25.58포인트(0.57%) 오른 4,551.06에 마감했다 (사상 최고치인 … with ``record``)."""
        close = ko.level(v["close"])
        at = f"사상 최고치인 {close}" if record else close
        if v["direction"] == "first":
            return f"{at}에 마감했다"
        change, pct = v["change"], v["change_pct"]
        if v["direction"] == "flat":
            if not change:
                return f"전 거래일과 같은 {at}에 마감했다"
            way = "오른" if change > 0 else "내린"
            return f"전 거래일보다 {ko.points(change)} {way} {at}에 보합 마감했다"
        return f"전 거래일보다 {ko.points(change)}({ko.percent(pct)}) {_rise_fall(pct, adnominal=True)} {at}에 마감했다"

    def _first_index_sentence(self, name: str, kinds: dict[str, Fact]) -> str:
        move = kinds["index_move"]
        v = move.values
        subject = ko.josa(self.idx(name), "이")
        milestone, record_high = kinds.get("index_milestone"), kinds.get("index_record_high")
        record_close = kinds.get("index_record_close")
        period = kinds.get("index_period")
        if period and _leads_with_period(kinds):
            self.told.add((name, "index_period"))
            return self._period_lead(name, period, v)
        self.told.add((name, "index_record_high"))
        tail = self._tail(kinds)
        if record_high:
            levels = milestone.values["levels_high"] if milestone else []
            high = ko.level(record_high.values["high"])
            if levels:
                first = f"{subject} 장중 {high}까지 오르며 사상 처음 {_levels(levels)}선을 넘었다."
            else:
                prev = record_high.values["previous"]
                before = f"{self.when(prev['date'])}의 종전 기록 {ko.josa(ko.level(prev['value']), '을')} 넘어 " if prev else ""
                first = f"{subject} 장중 {high}까지 올라 {before}사상 최고치를 새로 썼다."
            return f"{first} 지수는 {self._close_clause(v, bool(record_close))}.{tail}"
        drawdown = kinds.get("index_drawdown")
        if drawdown and drawdown.score > move.score:
            self.told.add((name, "index_drawdown"))
            d = drawdown.values
            stage = "조정 국면에" if d["stage"] == "correction" else "약세장에"
            close = self._close_clause(v, False).removesuffix("에 마감했다")
            return (f"{subject} {close}에 마감하며 {stage} 들어섰다.{tail} "
                    f"종가는 {self.date(d['record_date'])}의 사상 최고 종가 {ko.level(d['record_close'])}보다 "
                    f"{ko.percent(d['below_pct'])} 낮다.")
        return f"{subject} {self._close_clause(v, bool(record_close))}.{tail}"

    def _other_index_sentence(self, name: str, kinds: dict[str, Fact]) -> str:
        """Another index in one sentence: its move and the best thing it beat."""
        move = kinds["index_move"]
        v = move.values
        subject = ko.josa(self.idx(name), "은")
        period = kinds.get("index_period")
        if period and _leads_with_period(kinds):
            self.told.add((name, "index_period"))
            return self._period_lead(name, period, v)
        record = bool(kinds.get("index_record_close"))
        context = ""
        best = max((f for k, f in kinds.items() if k in _OTHER_CONTEXT), key=lambda f: f.score, default=None)
        if best is not None and not record:
            self.told.add((name, best.kind))
            b = best.values
            if best.kind == "index_milestone":
                levels = b["levels_close"] or b["levels_high"]
                context = f" {'종가 기준' if b['levels_close'] else '장중'} 사상 처음 {max(levels):,}선을 넘었다."
            elif best.kind == "index_close_since":
                context = f" 종가는 {self.since(best)} {'최고' if b['direction'] == 'high' else '최저'}치다."
            elif best.kind == "index_level_cross":
                side = "위" if b["direction"] == "above" else "아래"
                context = f" {self.since(best)} 처음으로 {b['level']:,}선 {side}에서 마감했다."
            elif best.kind == "index_move" and _told_since(best) and b["direction"] in ("up", "down"):
                what = "상승률" if b["direction"] == "up" else "하락률"
                context = f" 하루 {what}로는 {self.since(best)} 최대다."
        return f"{subject} {self._close_clause(v, record)}.{context}"

    def _tail(self, kinds: dict[str, Fact]) -> str:
        """What follows the first sentence: the move's "since", the run of gains, a round close."""
        parts = []
        move = kinds.get("index_move")
        if move and move.values["direction"] in ("up", "down") and _told_since(move):
            what = "상승폭" if move.values["direction"] == "up" else "낙폭"
            parts.append(f"하루 {what}으로는 {self.since(move)} 가장 컸다.")
        streak = kinds.get("index_streak")
        if streak:
            days, up = streak.values["days"], streak.values["direction"] == "up"
            text = f"{days}거래일 연속 {'상승' if up else '하락'}"
            if days >= STREAK_NEWS and _told_since(streak):
                text += f"으로, {self.since(streak)} 가장 긴 연속 {'상승' if up else '하락'}"
            parts.append(text + "이다.")
        milestone = kinds.get("index_milestone")
        if milestone:
            close_levels = [m for m in milestone.values["levels_close"] if m not in milestone.values["levels_high"]]
            if close_levels:
                parts.append(f"종가 기준으로 처음 {max(close_levels):,}선 위에서 마감했다.")
        return "".join(" " + p for p in parts)

    def _period_name(self, p: dict) -> str:
        label = p["label"]
        if p["period"] == "year":
            return f"{label}년"
        if p["period"] == "quarter":
            return f"{label[:4]}년 {label[-1]}분기"
        return ko.month_year(dt.date.fromisoformat(label + "-01"), self.day)

    def _period_since(self, period: Fact) -> str:
        """' 2019년 이후 가장 좋은 해다' (or nothing when the data has too few periods)."""
        p = period.values
        if period.lookback is None or period.lookback < PERIOD_LOOKBACK:
            return ""
        word = _PERIOD_BEST[p["period"]]
        good = "좋은" if p["change_pct"] >= 0 else "나쁜"
        if period.since is None:
            return f" 데이터에서 가장 {good} {word}다."
        return f" {self._period_label(period.since, p['period'])} 이후 가장 {good} {word}다."

    def _period_label(self, label: str, period: str) -> str:
        if period == "year":
            return f"{label}년"
        if period == "quarter":
            return f"{label[:4]}년 {label[-1]}분기"
        return ko.month_year(dt.date.fromisoformat(label + "-01"), self.day)

    def _period_lead(self, name: str, period: Fact, v: dict) -> str:
        """코스피는 2025년 한 해 동안 75.63% 올랐다. 마지막 거래일인 이날은 … 마감했다."""
        p = period.values
        way = "올랐다" if p["change_pct"] >= 0 else "내렸다"
        span = {"year": "한 해 동안", "quarter": "동안", "month": "한 달 동안"}[p["period"]]
        subject = ko.josa(self.idx(name), "은")
        last = {"year": "한 해의", "quarter": "분기", "month": "이달"}[p["period"]]
        return (f"{subject} {self._period_name(p)} {span} {ko.percent(p['change_pct'])} {way}.{self._period_since(period)} "
                f"{last} 마지막 거래일인 이날은 {self._close_clause(v, False)}.")

    def _secondary(self, name: str, f: Fact, links: dict[str, str], main: bool) -> str:
        v = f.values
        it = "지수는" if main else ko.josa(self.idx(name), "은")
        the_close = "종가는" if main else f"{self.idx(name)} 종가는"
        if f.kind == "index_record_high":
            return f"장중에는 {ko.level(v['high'])}까지 올라 사상 최고치를 기록했다."
        if f.kind == "index_close_since":
            return f"{the_close} {self.since(f)} {'최고' if v['direction'] == 'high' else '최저'}치다."
        if f.kind == "index_level_cross":
            side = "위" if v["direction"] == "above" else "아래"
            return f"{it} {self.since(f)} 처음으로 {v['level']:,}선 {side}에서 마감했다."
        if f.kind == "index_drawdown":
            stage = self.term("correction", links, "조정 국면") if v["stage"] == "correction" else self.term("bear-market", links, "약세장")
            return (f"{the_close} {self.date(v['record_date'])}의 사상 최고 종가 {ko.level(v['record_close'])}보다 "
                    f"{ko.percent(v['below_pct'])} 낮아 {stage}에 들어섰다.")
        if f.kind == "index_rebound":
            fall = f"{self.when(v['previous_date'])}의 {ko.percent(v['previous_change_pct'])} 하락분"
            if v["recovered_pct"] >= 100:
                return f"이날 상승으로 {ko.josa(fall, '을')} 모두 되찾았다."
            return f"이날 상승으로 {fall}의 {v['recovered_pct']}%를 되찾았다."
        if f.kind == "index_swing":
            return f"장중 고가와 저가의 차이는 {ko.percent(v['range_pct'])}로 {self.since(f)} 가장 컸다."
        if f.kind == "index_turnover":
            return f"{self.idx(name)} 시장 거래대금은 {ko.won(v['trading_value'])}으로 {self.since(f)} 가장 많았다."
        if f.kind == "index_period":
            way = "올랐다" if v["change_pct"] >= 0 else "내렸다"
            return f"{it} {self._period_name(v)} 동안 {ko.percent(v['change_pct'])} {way}.{self._period_since(f)}"
        return ""

    def _flows(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        base = next((f for f in facts if f.kind == "flows"), None)
        out = []
        if base is not None:
            out.append(self._flows_sentence(base))
        for f in facts:
            who = f.subject
            if f.kind == "flows" or (lede and who != "foreigners" and f.score < LEDE_DETAIL + 10):
                continue
            doing = "순매수" if f.values["direction"] == "buy" else "순매도"
            name = INVESTORS_KO.get(who, who)
            if f.kind == "flow_extreme":
                out.append(f"{name} {doing} 규모는 {self.since(f)} 가장 컸다.")
            if f.kind == "flow_streak":
                out.append(f"{ko.josa(name, '은')} {f.values['days']}거래일 연속 {doing}했다.")
        return out

    def _flows_sentence(self, base: Fact) -> str:
        """외국인이 9,780억 원어치를 순매수했고 개인과 기관은 각각 2,092억 원, 7,442억 원어치를 순매도했다."""
        named = {k: v for k, v in base.values.items() if k in _ORDER and v}
        buyers = [k for k in _ORDER if named.get(k, 0) > 0]
        sellers = [k for k in _ORDER if named.get(k, 0) < 0]
        sides = [(buyers, "순매수"), (sellers, "순매도")]
        if "foreigners" in sellers:
            sides.reverse()
        parts: list[str] = []
        for group, verb in sides:
            if not group:
                continue
            names = [INVESTORS_KO[k] for k in group]
            amounts = [ko.won(named[k]) for k in group]
            particle = "이" if not parts else "은"
            who = ko.josa(_and(names), particle)
            if len(group) > 1:
                parts.append(f"{who} 각각 {', '.join(amounts)}어치를 {verb}")
            else:
                parts.append(f"{who} {amounts[0]}어치를 {verb}")
        if not parts:
            return ""
        return "했고 ".join(parts) + "했다."

    def _stocks(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        out = self._stock_sentences(facts, LEDE_DETAIL if lede else 0)
        return out[:2] if lede else out

    def _stock_sentences(self, facts: list[Fact], floor: float) -> list[str]:
        out = []
        records = next((f for f in facts if f.kind == "stock_records"), None)
        record_tickers = set(records.values["tickers"]) if records else set()
        if records:
            names = [self.stock(t) for t in records.values["tickers"]]
            if len(names) <= MAX_NAMED_RECORDS:
                out.append(f"{ko.josa(_list(names), '이')} 사상 최고가를 새로 썼다.")
            else:
                out.append(f"{_list(names[:3])} 등 {len(names)}개 종목이 사상 최고가를 새로 썼다.")
        moves = sorted((f for f in facts if f.kind == "stock_move" and f.subject not in record_tickers and f.score >= floor), key=lambda f: -f.score)
        if moves:
            told = []
            for f in moves[:MAX_NAMED_MOVES]:
                pct = f.values["change_pct"]
                text = f"{ko.josa(self.stock(f.subject), '은')} {ko.percent(pct)} {_rise_fall(pct, adnominal=False, stock=True)}."
                if _told_since(f):
                    text += f" {self.since(f)} 최대 {'상승률' if pct > 0 else '하락률'}이다."
                told.append(text)
            out.append(" ".join(told))
        size = next((f for f in facts if f.kind == "size_leaders" and f.score >= floor), None)
        named = record_tickers | {f.subject for f in moves[:MAX_NAMED_MOVES]}
        if size and not set(size.values["tickers"]) <= named:
            parts = []
            for t, pct in zip(size.values["tickers"], size.values["changes_pct"], strict=True):
                if abs(pct) < LITTLE_CHANGED:
                    parts.append(f"{ko.josa(self.stock(t), '은')} 보합")
                else:
                    parts.append(f"{ko.josa(self.stock(t), '은')} {ko.percent(pct)} {'상승' if pct > 0 else '하락'}")
            out.append(f"시가총액 상위 종목 가운데 {', '.join(parts)}했다.")
        breadth = next((f for f in facts if f.kind == "breadth" and f.score >= floor), None)
        if breadth:
            out.append(self._breadth(breadth.values))
        sectors = next((f for f in facts if f.kind == "sectors" and f.score >= floor), None)
        if sectors:
            out.append(self._sectors(sectors.values))
        return out

    def _sectors(self, v: dict) -> str:
        weighting = "(시가총액 가중)" if v["weighting"] == "market_cap" else ""
        best, worst = v["best"], v["worst"]
        if worst["change_pct"] > 0 or best["change_pct"] < 0:
            rising = worst["change_pct"] > 0
            most = best if rising else worst
            return (f"모든 업종이 {'올랐고' if rising else '내렸고'}{weighting}, "
                    f"{ko.josa(sector_ko(most['sector']), '이')} {fmt.pct(most['change_pct'])}로 가장 {'많이 올랐다' if rising else '많이 내렸다'}.")
        return (f"업종별{weighting}로는 {ko.josa(sector_ko(best['sector']), '이')} {fmt.pct(best['change_pct'])}로 가장 강했고, "
                f"{ko.josa(sector_ko(worst['sector']), '이')} {fmt.pct(worst['change_pct'])}로 가장 약했다.")

    def _breadth(self, v: dict) -> str:
        up, down, flat, n = v["advancers"], v["decliners"], v["unchanged"], v["tracked"]
        if up == v["traded"] or down == v["traded"]:
            which = f"추적하는 {n}개 종목이 모두" if v["traded"] == n else f"추적하는 {n}개 종목 가운데 거래된 {v['traded']}개가 모두"
            return f"{which} {'올랐다' if up else '내렸다'}."
        rest = f", {flat}개는 보합이었다" if flat else ""
        return f"추적하는 {n}개 종목 가운데 {up}개가 오르고 {down}개가 내렸{'으며' if flat else '다'}{rest}{'.' if flat else '.'}"

    def _fx(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        f = facts[0]
        v = f.values
        weaker = v["won"] == "weaker"
        text = f"원·달러 환율은 {ko.level(abs(v['change']))}원 {'오른' if weaker else '내린'} {ko.level(v['usdkrw'])}원을 기록했다."
        if f.lookback is not None and f.lookback >= TELL_LOOKBACK:
            text += f" 원화 가치는 {self.since(f)} 가장 {'낮다' if weaker else '높다'}."
        return [text]

    def _margin(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        out = []
        record = next((f for f in facts if f.kind == "margin_record"), None)
        rise = next((f for f in facts if f.kind == "margin_weekly_rise"), None)
        if record:
            v = record.values
            where = "" if v["market"] == "total" else f"{self.idx(v['market'])} 시장 "
            name = self.term("margin-loans", links, "신용거래융자") if lede else "신용거래융자"
            text = f"{where}{name} 잔액은 {self.when(v['as_of'])} 기준 {ko.won(v['balance'])}으로 사상 최대를 기록했다."
            prev = v["previous"]
            if prev:
                text += f" 종전 최대는 {self.when(prev['date'])}의 {ko.copula(ko.won(prev['value']))}."
            out.append(text)
        if rise and (not lede or rise.score >= BIG_DAY_FLOOR):
            v = rise.values
            who = "신용거래융자 잔액은" if not record else "잔액은"
            out.append(f"{who} {self.when(v['as_of'])}까지 한 주 동안 {ko.won(v['change'])} 늘어, {self.since(rise)} 가장 많이 늘었다.")
        return out

    def _lending(self, facts: list[Fact], lede: bool, links: dict[str, str]) -> list[str]:
        f = facts[0]
        v = f.values
        balances = dict(zip(v["tickers"], v["balances"], strict=True))
        named = [f"{self.stock(t)}({ko.won(balances[t])})" for t in v["tickers"][:MAX_NAMED_LENDING]]
        what = _list(named)
        if len(v["tickers"]) > MAX_NAMED_LENDING:
            what += f" 등 {len(v['tickers'])}개 종목"
        name = self.term("stock-lending", links, "대차거래 잔액") if lede and not v["ban"] else "대차거래 잔액"
        if lede and v["ban"]:
            links.setdefault(name, "stock-lending")
        ban = ""
        if v["ban"]:
            start = v["ban"]["start"]
            ban = " 공매도 금지 첫날이다." if start == v["as_of"] else f" {self.date(start)}부터 공매도가 금지된 가운데 나온 기록이다."
        return [f"{self.when(v['as_of'])} 기준 {ko.josa(name, '이')} {what}에서 사상 최대를 기록했다.{ban}"]

    # -- the headline ------------------------------------------------------------------------

    def headline(self, facts: list[Fact], lead: str | None) -> str:
        """The lede's lead in the nominal style of Korean headlines: 코스피, 장중 사상 첫 4,600 돌파."""
        name = self.idx(self.en.headline_index)
        move = self.find("index_move", self.en.headline_index)
        move_words = self._headline_move(name, move)
        for f in facts:
            if lead == "index" and not (f.kind.startswith("index_") and f.subject == self.en.headline_index):
                continue
            if lead not in (None, "index", "event") and f.kind.startswith("index_"):
                continue
            text = self._headline_for(f, name, move, move_words)
            if text:
                return text
        if move_words:
            return move_words + self._as_clause()
        return f"{self.day.year}년 {ko.date(self.day)} {name} 리포트"

    def _headline_move(self, name: str, move: Fact | None) -> str:
        if move is None:
            return ""
        v = move.values
        if v["direction"] == "first":
            return f"{name} {ko.level(v['close'])} 마감"
        if v["direction"] == "flat":
            return f"{name} 보합 마감, {ko.level(v['close'])}"
        return f"{name} {_pct1(v['change_pct'])} {_headline_verb(v['change_pct'])}"

    def _as_clause(self) -> str:
        """What else the lede told, after a plain move: '…외국인 순매수'."""
        for f in self.facts:
            if group_of(f, self.en.headline_index) not in self.told_groups:
                continue
            v = f.values
            other = f.subject != self.en.headline_index
            if other and f.kind == "index_milestone":
                levels = v["levels_close"] or v["levels_high"]
                return f"…{self.idx(f.subject)} 첫 {max(levels):,} 돌파"
            if other and f.kind == "index_record_close":
                return f"…{self.idx(f.subject)} 사상 최고치 마감"
            if f.kind == "stock_records":
                tickers = v["tickers"]
                if len(tickers) <= 2:
                    return f"…{'·'.join(self.stock(t) for t in tickers)} 사상 최고가"
                return f"…{len(tickers)}개 종목 사상 최고가"
            if f.kind == "stock_move":
                pct = v["change_pct"]
                return f"…{self.stock(f.subject)} {_pct1(pct)} {_headline_verb(pct)}"
            if f.kind == "flow_extreme":
                doing = "순매수" if v["direction"] == "buy" else "순매도"
                return f"…{INVESTORS_KO.get(f.subject, f.subject)} {doing} {self.since(f, headline=True)} 최대"
            if f.kind == "flow_streak":
                return f"…외국인 {v['days']}거래일 연속 {'순매수' if v['direction'] == 'buy' else '순매도'}"
            if f.kind == "flows":
                foreign = v.get("foreigners")
                if foreign:
                    return f"…외국인 {'순매수' if foreign > 0 else '순매도'}"
            if f.kind == "margin_record":
                return "…신용거래융자 사상 최대"
            if f.kind == "lending_records":
                tickers = v["tickers"]
                who = self.stock(tickers[0]) if len(tickers) == 1 else f"{len(tickers)}개 종목"
                return f"…{who} 대차잔액 사상 최대"
            if f.kind == "fx_move" and f.lookback is not None and f.lookback >= TELL_LOOKBACK:
                return f"…원·달러 환율 {ko.level(v['usdkrw'])}원"
        return ""

    def _headline_for(self, f: Fact, name: str, move: Fact | None, move_words: str) -> str | None:
        v = f.values
        k = f.kind
        mine = f.subject == self.en.headline_index
        if k == "event":
            lead = v.get("headline_ko") or _EVENT_HEADLINES_KO.get(v["kind"])
            if lead is None:
                return move_words + self._as_clause() if move_words else None
            return f"{lead}…{move_words}" if move_words else lead
        if k == "index_milestone" and mine:
            if v["levels_close"]:
                return f"{name}, 사상 처음 {max(v['levels_close']):,}선 위에서 마감"
            record = self.find("index_record_close", self.en.headline_index)
            tail = f"…{ko.level(record.values['close'])} 사상 최고치 마감" if record else ""
            return f"{name}, 장중 사상 첫 {max(v['levels_high']):,} 돌파{tail}"
        if k == "index_record_close" and mine:
            return f"{name}, 사상 최고치 {ko.level(v['close'])}에 마감"
        if k == "index_record_high" and mine and move:
            return f"{name} 장중 사상 최고치…{move_words.removeprefix(name + ' ')} 마감"
        if k == "index_move" and mine:
            if _told_since(f, TELL_LOOKBACK) and v["direction"] in ("up", "down"):
                what = "최대 상승폭" if v["direction"] == "up" else "최대 낙폭"
                return f"{move_words}…{self.since(f, headline=True)} {what}"
            return move_words + self._as_clause()
        if k == "index_period" and mine:
            label = self._period_name(v)
            best = ""
            if f.lookback is not None and f.lookback >= PERIOD_LOOKBACK:
                word = _PERIOD_BEST[v["period"]]
                good = "최고의" if v["change_pct"] >= 0 else "최악의"
                best = f"…{self._period_label(f.since, v['period'])} 이후 {good} {word}" if f.since else f"…데이터상 {good} {word}"
            way = "상승" if v["change_pct"] >= 0 else "하락"
            return f"{name} {label} {_PERIOD_KO[v['period']]} {_pct1(v['change_pct'])} {way}{best}"
        if k == "index_drawdown" and mine:
            return f"{name} {'조정 국면' if v['stage'] == 'correction' else '약세장'} 진입"
        if k == "index_close_since" and mine:
            return f"{name} {self.since(f, headline=True)} {'최고' if v['direction'] == 'high' else '최저'}치 마감"
        if k == "index_level_cross" and mine:
            side = "위" if v["direction"] == "above" else "아래"
            return f"{name} {self.since(f, headline=True)} 처음 {v['level']:,}선 {side} 마감"
        if k == "index_streak" and mine and v["days"] >= STREAK_NEWS:
            up = v["direction"] == "up"
            text = f"{name} {v['days']}거래일 연속 {'상승' if up else '하락'}"
            if _told_since(f, TELL_LOOKBACK):
                text += f"…{self.since(f, headline=True)} 최장"
            return text
        if k == "index_rebound" and mine:
            return (f"{name} {_pct1(v['change_pct'])} 반등…{self.when(v['previous_date'])} "
                    f"{_pct1(v['previous_change_pct'])} 하락 딛고")
        if k == "index_swing" and mine:
            return f"{name} 장중 {_pct1(v['range_pct'])} 출렁…{self.since(f, headline=True)} 최대 변동폭"
        if k == "index_turnover" and mine:
            return f"{name} 거래대금 {self.since(f, headline=True)} 최대…{move_words.removeprefix(name + ' ')} 마감"
        if k == "flow_extreme":
            doing = "순매수" if v["direction"] == "buy" else "순매도"
            return f"{INVESTORS_KO.get(f.subject, f.subject)} {self.idx(v['market'])} {doing} {self.since(f, headline=True)} 최대"
        if k == "flow_streak":
            doing = "순매수" if v["direction"] == "buy" else "순매도"
            return f"외국인 {self.idx(v['market'])} {v['days']}거래일 연속 {doing}"
        if k == "stock_records":
            names = [self.stock(t) for t in v["tickers"]]
            if len(names) <= 3:
                return f"{'·'.join(names)} 사상 최고가"
            return f"{len(names)}개 종목 사상 최고가"
        if k == "stock_move":
            pct = v["change_pct"]
            text = f"{self.stock(f.subject)} {_pct1(pct)} {_headline_verb(pct)}"
            if _told_since(f, TELL_LOOKBACK):
                text += f"…{self.since(f, headline=True)} 최대 {'상승률' if pct > 0 else '하락률'}"
            return text
        if k == "fx_move" and f.lookback is not None and f.lookback >= TELL_LOOKBACK:
            weaker = v["won"] == "weaker"
            return f"원·달러 환율 {ko.level(v['usdkrw'])}원…{self.since(f, headline=True)} 원화 {'최약세' if weaker else '최강세'}"
        if k == "margin_record":
            where = "" if v["market"] == "total" else f"{self.idx(v['market'])} "
            return f"{where}신용거래융자 잔액 사상 최대 {ko.won(v['balance'])}"
        if k == "margin_weekly_rise":
            return f"신용거래융자 주간 증가 폭 {self.since(f, headline=True)} 최대"
        if k == "lending_records":
            tickers = v["tickers"]
            who = self.stock(tickers[0]) if len(tickers) == 1 else f"{len(tickers)}개 종목"
            return f"{who} 대차거래 잔액 사상 최대"
        return None


def _levels(levels: list) -> str:
    """4,600; 4,500·4,600 when one day passed two round levels; the highest alone beyond."""
    ordered = sorted(levels)
    if len(ordered) == 2:
        return f"{ordered[0]:,}·{ordered[1]:,}"
    return f"{ordered[-1]:,}"


def write_stories(snapshots: Mapping[dt.date, Snapshot], headline_index: str = "KOSPI", names_ko: dict[str, str] | None = None) -> dict[dt.date, Story]:
    """Every day's Korean story, in date order (a term explained on one day is linked for a week)."""
    korean = Korean(headline_index, names_ko)
    return {day: korean.story(snapshots[day]) for day in sorted(snapshots)}
