"""How numbers and dates read on the page: a newsroom's conventions, in one place.

English: 978 billion won, 27.6 trillion won, $678 million, 4,551.06, 0.57 percent,
"Tuesday" for a day in the same week, "Dec. 17" (AP month style) otherwise. The whole house
style, with the reasons, is docs/style.md.
Korean, where Korean is shown: 27조 6,223억 원.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

_AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_ORDINAL_WORDS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "10th")


def level(value: float | None, digits: int = 2) -> str:
    """An index level or price with thousands separators: 4,551.06."""
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def won_price(value: float | None) -> str:
    """A share price in won: 362,000."""
    return "–" if value is None else f"{value:,.0f}"


def signed(value: float | None, digits: int = 2) -> str:
    """A change with its sign: +25.58, −3.10 (true minus sign)."""
    if value is None:
        return "–"
    text = f"{abs(value):,.{digits}f}"
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def pct(value: float | None) -> str:
    """A percentage change with its sign: +0.57%."""
    return "–" if value is None else signed(value, 2) + "%"


def _scaled(value: float, digits: int) -> str:
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_WON_UNITS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _unit(v: float, units: tuple[tuple[float, str], ...], digits: int) -> tuple[float, str] | None:
    """The largest unit that ``v`` reaches, or that the next smaller unit would show as 1,000.

    So 999.96 billion (which would read "1,000 billion" at one decimal) becomes "1 trillion",
    while 999.9 billion stays "999.9 billion" and 960 billion never reads "1 trillion".
    """
    for k, (size, name) in enumerate(units):
        if v >= size:
            return size, name
        smaller = units[k + 1][0] if k + 1 < len(units) else None
        if smaller is not None and round(v / smaller, digits) >= 1000:
            return size, name
    return None


def won(value: float | None, digits: int = 1) -> str:
    """Won in words: 978 billion won, 209.2 billion won, 27.6 trillion won, 512 million won.

    ``digits`` is the most decimals shown (trailing zeros dropped), so a precise figure
    such as a previous record (27.5288 trillion) can be shown in full with ``digits=4``.
    Amounts under a million are written out: 540,000 won.
    """
    if value is None:
        return "–"
    v = abs(value)
    sign = "−" if value < 0 else ""
    unit = _unit(v, _WON_UNITS, digits)
    if unit is None and round(v) >= 1e6:
        unit = _WON_UNITS[-1]
    if unit is None:
        return f"{sign}{v:,.0f} won"
    size, name = unit
    return f"{sign}{_scaled(v / size, digits)} {name} won"


def signed_won(value: float | None, digits: int = 1) -> str:
    """Won in words with the sign of a change: +978 billion won, −209.2 billion won (– for none)."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + won(value, digits)


def usd(value: float | None) -> str:
    """US dollars in words: $678 million (whole millions), $1.2 billion, $540,000."""
    if value is None:
        return "–"
    v = abs(value)
    sign = "−" if value < 0 else ""
    if v >= 1e9 or round(v / 1e6) >= 1000:
        return f"{sign}${_scaled(v / 1e9, 1)} billion"
    if v >= 1e6 or round(v) >= 1e6:
        return f"{sign}${v / 1e6:,.0f} million"
    return f"{sign}${v:,.0f}"


def won_ko(value: float | None) -> str:
    """Won the Korean way, in 조 and 억: 27조 6,224억 원, 9,780억 원; −9,780억 원 (a true minus,
    as every figure on the site)."""
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    eok = round(abs(value) / 1e8)
    jo, rest = divmod(eok, 10_000)
    if jo and rest:
        return f"{sign}{jo:,}조 {rest:,}억 원"
    if jo:
        return f"{sign}{jo:,}조 원"
    if eok:
        return f"{sign}{eok:,}억 원"
    return f"{sign}{abs(value):,.0f}원"


def ap_month(day: dt.date) -> str:
    """The month as AP writes it before a day: Jan., March, Sept."""
    return _AP_MONTHS[day.month - 1]


def month_day(day: dt.date, year_of: dt.date | None = None) -> str:
    """AP style: Dec. 17; with the year when it differs from ``year_of``: Dec. 17, 2025."""
    text = f"{_AP_MONTHS[day.month - 1]} {day.day}"
    if year_of is not None and day.year != year_of.year:
        text += f", {day.year}"
    return text


def relative_day(day: dt.date, today: dt.date) -> str:
    """How a reporter names a day: "Tuesday" within the past week, "Dec. 17" otherwise."""
    if day == today:
        return today.strftime("%A")
    if 0 < (today - day).days < 7:
        return day.strftime("%A")
    return month_day(day, today)


def long_date(day: dt.date) -> str:
    """A heading date, AP style like every other date on the site: Wednesday, Jan. 7, 2026."""
    return f"{day.strftime('%A')}, {month_day(day)}, {day.year}"


def month_year(day: dt.date, year_of: dt.date | None = None) -> str:
    """A month on its own is spelled out (AP): March 2020; "March" alone within ``year_of``'s year."""
    name = day.strftime("%B")
    return name if year_of is not None and day.year == year_of.year else f"{name} {day.year}"


def percent(value: float, digits: int = 2) -> str:
    """A percentage in prose: 0.57 percent (house style: "percent" in sentences, "%" in tables
    and headlines)."""
    return f"{abs(value):,.{digits}f} percent"


def percent_sign(value: float, digits: int = 1) -> str:
    """A percentage in a headline: 5.7%; halves round up (0.25 -> 0.3%), as a reader rounds."""
    step = Decimal(1).scaleb(-digits)
    return f"{Decimal(str(abs(value))).quantize(step, ROUND_HALF_UP):,}%"


def ordinal_word(n: int) -> str:
    """first, second ... tenth, then 11th, 12th ..."""
    if 0 < n < len(_ORDINAL_WORDS):
        return _ORDINAL_WORDS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join_words(items: list[str]) -> str:
    """Hyundai Motor, Kia and Hyundai AutoEver."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def finite(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))
