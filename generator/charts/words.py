"""The words of one edition's charts: their titles, labels and alt texts in its language.

A chart's words come from the same two places as the rest of the edition's pages: fixed words
from the gettext catalogue (templates/locale/<lang>/LC_MESSAGES/site.po; chart modules mark
them with ``_("…")`` so extraction finds them), and figures and dates from the edition's
formatter (generator/formatting.py in English, generator/formatting_ko.py in Korean). The
Vega expressions a chart draws its tooltips and time axis with are here too, because they are
the same conventions written for the browser. English words are the source strings, so the
English edition's charts read exactly as they did before editions existed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from generator import formatting as fmt
from generator import formatting_ko as fmt_ko

if TYPE_CHECKING:
    from generator.stock_names import StockName

#: Labels of a time axis over trading days: the year at January, the month at the first of a
#: month, otherwise the day ("Jan 7"), and never a label on a Saturday or Sunday, when the
#: exchange is closed (a tick that falls on a weekend goes unlabelled). Never a weekday name.
TIME_LABELS = (
    "utcmonth(datum.value) == 0 && utcdate(datum.value) == 1 ? utcFormat(datum.value, '%Y')"
    " : utcdate(datum.value) == 1 ? utcFormat(datum.value, '%b')"
    " : utcday(datum.value) % 6 == 0 ? ''"
    " : utcFormat(datum.value, '%b %-d')"
)
#: The same in Korean (2026년, 1월, 1월 7일), written out so the static images, which vl-convert
#: draws without the browser's locale, read the same as the interactive charts.
TIME_LABELS_KO = (
    "utcmonth(datum.value) == 0 && utcdate(datum.value) == 1 ? utcFormat(datum.value, '%Y') + '년'"
    " : utcdate(datum.value) == 1 ? (utcmonth(datum.value) + 1) + '월'"
    " : utcday(datum.value) % 6 == 0 ? ''"
    " : (utcmonth(datum.value) + 1) + '월 ' + utcdate(datum.value) + '일'"
)
#: Tooltip dates: "Wed, Jan 7, 2026"; "2026년 1월 7일" (d3-time-format).
DATE_FORMAT = "%a, %b %-d, %Y"
DATE_FORMAT_KO = "%Y년 %-m월 %-d일"


@dataclass(frozen=True)
class ChartWords:
    """Words and number styles of one language's charts (``words("ko")``)."""

    lang: str = "en"

    @property
    def korean(self) -> bool:
        return self.lang == "ko"

    def _(self, text: str) -> str:
        """``text`` from the edition's catalogue (itself where the catalogue has none)."""
        if self.lang == "en":
            return text
        from generator.editions import translations

        return translations(self.lang).gettext(text)

    def pgettext(self, context: str, text: str) -> str:
        """``text`` in ``context``, for an English word two charts read differently in the
        edition's language (a price's "Record high" is not a balance's)."""
        if self.lang == "en":
            return text
        from generator.editions import translations

        return translations(self.lang).pgettext(context, text)

    # ------------------------------------------------------------------ figures and dates

    def date(self, day: dt.date) -> str:
        """A full date: "Jan. 7, 2026"; "2026년 1월 7일"."""
        if self.korean:
            return f"{day.year}년 {fmt_ko.date(day)}"
        return f"{fmt.month_day(day)}, {day.year}"

    def month_day(self, day: dt.date) -> str:
        """ "Jan. 7"; "1월 7일"."""
        return fmt_ko.date(day) if self.korean else fmt.month_day(day)

    def long_date(self, day: dt.date) -> str:
        """A heading date with its weekday: "Wednesday, Jan. 7, 2026"; "2026년 1월 7일(수)"."""
        return fmt_ko.long_date(day) if self.korean else fmt.long_date(day)

    def join_words(self, items: list[str]) -> str:
        """A list in a sentence: "Hyundai Motor, Kia and Hyundai AutoEver"; "현대차, 기아, 현대오토에버"."""
        return ", ".join(items) if self.korean else fmt.join_words(items)

    def month_year(self, day: dt.date) -> str:
        """ "June 2023"; "2023년 6월"."""
        return fmt_ko.month_year(day) if self.korean else f"{day.strftime('%B')} {day.year}"

    def won(self, value: float | None, digits: int = 1) -> str:
        """ "27.6 trillion won"; "27조 6,224억 원" (the Korean way has no decimals to choose)."""
        return fmt.won_ko(value) if self.korean else fmt.won(value, digits)

    def signed_won(self, value: float | None, digits: int = 1) -> str:
        """ "+978 billion won", "−1.2 trillion won"; "+9,780억 원", "−9,780억 원"."""
        if not self.korean:
            return fmt.signed_won(value, digits)
        if value is None:
            return "–"
        return ("+" if value > 0 else "") + fmt.won_ko(value)

    def signed_price(self, value: float) -> str:
        """A change in a share price with its sign: "+2,500 won", "−700 won"; "+2,500원"."""
        amount = fmt.signed(value, 0)
        return f"{amount}원" if self.korean else f"{amount} won"

    def index(self, name: str) -> str:
        """An index's name: "KOSPI"; "코스피"."""
        if not self.korean:
            return name
        from generator.story.korean import index_ko

        return index_ko(name)

    def stock_name(self, name: StockName) -> str:
        """The name the edition's readers know a stock by: its Korean name in Korean (the English
        name where stocks.csv has none)."""
        return (name.name_ko or name.name) if self.korean else name.name

    def span(self, first: dt.date, last: dt.date) -> str:
        """ "from Oct. 6, 2025 to Jan. 7, 2026"; "2025년 10월 6일부터 2026년 1월 7일까지"."""
        return self._("from {first} to {last}").format(first=self.date(first), last=self.date(last))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """``singular`` or ``plural`` for ``n`` as the edition's language counts (Korean does not
        inflect a noun for number)."""
        if self.lang == "en":
            return singular if n == 1 else plural
        from generator.editions import translations

        return translations(self.lang).ngettext(singular, plural, n)

    def won_price(self, value: float | None) -> str:
        """A share price: "362,000 won"; "362,000원"."""
        if value is None:
            return "–"
        return f"{fmt.won_price(value)}원" if self.korean else f"{fmt.won_price(value)} won"

    def whole_won(self, value: float) -> str:
        """An amount written out to the won, for two amounts that round alike: "27,528,800,000,000 won"."""
        return f"{value:,.0f}원" if self.korean else f"{value:,.0f} won"

    def yes(self, value: object) -> str:
        return self._("yes") if value else ""

    # ------------------------------------------------------------------ Vega expressions

    @property
    def time_labels(self) -> str:
        return TIME_LABELS_KO if self.korean else TIME_LABELS

    @property
    def date_format(self) -> str:
        return DATE_FORMAT_KO if self.korean else DATE_FORMAT

    @property
    def short_date_format(self) -> str:
        """A date without its weekday: "Jan 7, 2026"; "2026년 1월 7일" (d3-time-format)."""
        return DATE_FORMAT_KO if self.korean else "%b %-d, %Y"

    @property
    def month_format(self) -> str:
        """A month in a tooltip: "January 2026"; "2026년 1월" (d3-time-format)."""
        return "%Y년 %-m월" if self.korean else "%B %Y"

    @property
    def day_label(self) -> str:
        """A trading day's label on an ordinal axis: "Jan 7"; "1월 7일"."""
        if self.korean:
            return "(utcmonth(toDate(datum.value)) + 1) + '월 ' + utcdate(toDate(datum.value)) + '일'"
        return "utcFormat(toDate(datum.value), '%b %-d')"

    def won_text(self, field: str) -> str:
        """A Vega expression for a won amount in the edition's style (see theme.won_text)."""
        v = f"datum[{field!r}]"
        eok = f"round(abs({v}) / 1e8)"
        return (
            f"(!isValid({v}) ? {self._('no data')!r} : ({v} < 0 ? '-' : '') + ("
            f"{eok} >= 10000 ? format(floor({eok} / 10000), ',') + '조' + "
            f"({eok} % 10000 ? ' ' + format({eok} % 10000, ',') + '억' : '') + ' 원' : "
            f"{eok} >= 1 ? format({eok}, ',') + '억 원' : format(abs({v}), ',.0f') + '원'))"
        )


@cache
def words(lang: str) -> ChartWords:
    return ChartWords(lang)
