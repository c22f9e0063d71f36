"""How numbers and dates read in the Korean edition: a Korean newsroom's conventions.

Korean papers write amounts in 조 and 억 (27조 6,224억 원, 9,780억 원), index moves in
포인트 with the percentage in brackets (25.58포인트(0.57%)), dates as 1월 7일 with the
weekday in brackets where it helps (1월 7일(수)) and the year only when it is not the
report's. Particles (이/가, 은/는, 을/를 …) follow the sound of the word before them, so a
sentence built from a stock's name needs ``josa``. The English conventions are in
generator/formatting.py; the Korean house style, with the reasons, is in docs/style.md.
"""

from __future__ import annotations

import datetime as dt

from generator.formatting import level, won_ko

__all__ = [
    "copula", "date", "date_weekday", "josa", "long_date", "month_year", "percent", "points",
    "usd", "weekday", "won", "level",
]

_WEEKDAYS = "월화수목금토일"
#: Whether a digit's Korean reading ends in a consonant (영, 일, 삼, 육, 칠, 팔 do).
_DIGIT_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False, "6": True, "7": True, "8": True, "9": False}
#: The ㄹ ending, which takes 로 rather than 으로: 일, 칠, 팔.
_DIGIT_RIEUL = {"1", "7", "8"}
#: Latin letters whose sound ends in a consonant Korean readers hear (엘, 엠, 엔); a final r
#: is silent as Koreans say English words (NAVER is 네이버).
_LATIN_FINAL = set("lmn")
_PAIRS = {"이": ("이", "가"), "가": ("이", "가"), "은": ("은", "는"), "는": ("은", "는"), "을": ("을", "를"),
          "를": ("을", "를"), "과": ("과", "와"), "와": ("과", "와"), "으로": ("으로", "로"), "로": ("으로", "로")}


def _final(word: str) -> tuple[bool, bool]:
    """(ends in a consonant, that consonant is ㄹ) for the last sounding character of ``word``."""
    for ch in reversed(word.strip()):
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            tail = code % 28
            return tail != 0, tail == 8
        if ch.isdigit():
            return _DIGIT_FINAL[ch], ch in _DIGIT_RIEUL
        if ch.isascii() and ch.isalpha():
            low = ch.lower()
            return low in _LATIN_FINAL, low == "l"
        if ch in "%":
            return False, False  # 퍼센트
    return False, False


def josa(word: str, particle: str) -> str:
    """``word`` with the particle that fits its sound: josa("코스피", "이") -> "코스피가",
    josa("코스닥", "이") -> "코스닥이", josa("4,600", "을") -> "4,600을"."""
    pair = _PAIRS[particle]
    final, rieul = _final(word)
    if pair[0] == "으로":
        return word + ("로" if not final or rieul else "으로")
    return word + (pair[0] if final else pair[1])


def copula(word: str, past: bool = True) -> str:
    """``word`` with "to be" after it: 4,525.48이었다, 27조 원이었다; 4,214.12였다."""
    final, _ = _final(word)
    if past:
        return word + ("이었다" if final else "였다")
    return word + ("이다" if final else "다")


def points(value: float) -> str:
    """An index move's size: 25.58포인트."""
    return f"{level(abs(value))}포인트"


def percent(value: float, digits: int = 2) -> str:
    """A percentage without its sign (the verb says the way): 0.57%."""
    return f"{abs(value):,.{digits}f}%"


def won(value: float | None) -> str:
    """Won in 조 and 억, without a sign: 9,780억 원 (the verb says buying or selling)."""
    if value is None:
        return "–"
    return won_ko(abs(value))


def usd(value: float | None) -> str:
    """US dollars in 억 and 만: 6억 7,775만 달러."""
    if value is None:
        return "–"
    man = round(abs(value) / 1e4)
    eok, rest = divmod(man, 10_000)
    if eok and rest:
        return f"{eok:,}억 {rest:,}만 달러"
    if eok:
        return f"{eok:,}억 달러"
    if man:
        return f"{man:,}만 달러"
    return f"{abs(value):,.0f}달러"


def weekday(day: dt.date) -> str:
    """수 for a Wednesday."""
    return _WEEKDAYS[day.weekday()]


def date(day: dt.date, year_of: dt.date | None = None) -> str:
    """1월 7일; 2025년 12월 17일 when the year is not ``year_of``'s (or no ``year_of`` is given
    and ``always_year`` is wanted: see ``long_date``)."""
    text = f"{day.month}월 {day.day}일"
    if year_of is not None and day.year != year_of.year:
        text = f"{day.year}년 {text}"
    return text


def date_weekday(day: dt.date, year_of: dt.date | None = None) -> str:
    """1월 7일(수): the newsroom's way of naming a trading day."""
    return f"{date(day, year_of)}({weekday(day)})"


def long_date(day: dt.date) -> str:
    """A heading date: 2026년 1월 7일(수)."""
    return f"{day.year}년 {day.month}월 {day.day}일({weekday(day)})"


def month_year(day: dt.date, year_of: dt.date | None = None) -> str:
    """2023년 6월; 6월 alone within ``year_of``'s year."""
    return f"{day.month}월" if year_of is not None and day.year == year_of.year else f"{day.year}년 {day.month}월"
