"""Read an exported CSV into an ``Export`` and parse its cells, reporting problems by line.

KRX and KOFIA exports are not one format: KRX serves EUC-KR (CP949), people re-save them as
UTF-8 with or without a BOM, numbers may carry thousands separators and quotes, and missing
values are ``-`` or empty. Everything here turns those variations into plain Python values or
a ``Problem`` that names the file, the line as a text editor counts it and the column, so the
importers above only deal with meaning, never with bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import overload

from generator.contract import is_ticker
from generator.errors import ContentError, Problem

#: How many won one unit of each ``--unit`` choice is. KRX lets users pick the unit of
#: trading-value tables; KOFIA FreeSIS publishes in 백만원; some hand-made files use 조원.
UNITS: dict[str, Decimal] = {
    "won": Decimal(1),
    "thousand": Decimal(10**3),
    "million": Decimal(10**6),
    "eok": Decimal(10**8),
    "billion": Decimal(10**9),
    "trillion": Decimal(10**12),
}
#: Unit words as they appear in headers ("거래대금(백만원)", "margin_loan_mil_krw") and titles
#: ("단위: 백만원"), longest first so that 백만원 is not read as 원.
UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("백만원", "million"),
    ("십억원", "billion"),
    ("천원", "thousand"),
    ("억원", "eok"),
    ("조원", "trillion"),
    ("mil_krw", "million"),
    ("mn_krw", "million"),
    ("_mn", "million"),
    ("_eok", "eok"),
    ("tn_krw", "trillion"),
    ("_tn", "trillion"),
    ("(원)", "won"),
    ("_krw", "won"),
)
#: Header names that hold the trading date, in exports and in pykrx frames saved with to_csv;
#: old KRX exports (and Excel sheets saved from them) head the column 년/월/일.
DATE_HEADERS = ("일자", "날짜", "기준일자", "기준일", "거래일자", "date", "trd_dd", "년/월/일", "년월일", "년.월.일", "년-월-일")
#: How many shares one unit of each ``--volume-unit`` choice is. Naver's and many hand-made
#: tables give 거래량 in thousands of shares without saying so.
VOLUME_UNITS: dict[str, Decimal] = {"shares": Decimal(1), "thousand": Decimal(10**3), "million": Decimal(10**6)}
#: Volume units as headers and titles name them ("거래량(천주)", "volume_kshares").
VOLUME_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("백만주", "million"),
    ("천주", "thousand"),
    ("kshares", "thousand"),
    ("(주)", "shares"),
    ("단위:주", "shares"),
    ("shares", "shares"),
)
#: A number as exports write it: optional sign, digits with or without correct thousands
#: grouping, optional decimals. Exponents are refused so a cell cannot ask for 10**999999.
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")
_MAX_DIGITS = 24  # a balance in won has 14 digits; more is a garbled cell, not data
_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\.?(?:[ T]00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MISSING = {"", "-", "－", "—", "n/a", "na", "nan", "none", "null"}


@dataclass
class Export:
    """The header and data rows of one export, with the line each row starts on.

    ``names`` are the header cells as written (for messages); ``keys`` the same cells
    normalised for matching (no spaces, lower case). ``unit_hint`` is a unit named in a title
    line above the header ("(단위: 백만원)"), if any.
    """

    path: str
    names: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    unit_hint: str | None = None
    #: The title lines above the header, joined ("투자자별 거래실적 (단위: 주)"), for what the
    #: header does not say: which view of a table was exported, in which unit.
    title: str = ""

    @property
    def keys(self) -> list[str]:
        return [header_key(n) for n in self.names]

    def find(self, *candidates: str) -> int | None:
        """Index of the first column whose normalised name is one of ``candidates``."""
        keys = self.keys
        for candidate in candidates:
            wanted = header_key(candidate)
            if wanted in keys:
                return keys.index(wanted)
        return None

    def has(self, *candidates: str) -> bool:
        return self.find(*candidates) is not None

    def problem(self, line: int | None, column: int | str | None, message: str) -> Problem:
        name = self.names[column] if isinstance(column, int) else column
        return Problem(self.path, line, name, message)


def header_key(name: str) -> str:
    """Normalise a header cell for matching: "기관 합계" and "기관합계" are one column."""
    return re.sub(r"\s+", "", name.replace("\ufeff", "")).lower()


def decode(data: bytes, path: str) -> str:
    """Decode an export's bytes: a BOM decides, else strict UTF-8, else CP949 (superset of
    EUC-KR, what KRX serves). Anything else is refused rather than guessed."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ContentError.single(path, None, None, "this is an Excel workbook, not CSV: save it as CSV first")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise _undecodable(data, exc.start, path, codec) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        return data.decode("cp949")
    except UnicodeDecodeError as exc:
        # point at the bad byte of whichever reading got further: that is the file's encoding
        raise _undecodable(data, max(utf8_error, exc.start), path, "UTF-8 or CP949") from None


def _undecodable(data: bytes, offset: int, path: str, codec: str) -> ContentError:
    line = data.count(b"\n", 0, offset) + 1
    return ContentError.single(path, line, None, f"byte {data[offset : offset + 1]!r} is not {codec} text")


def read_table(path: str | Path, data: bytes | None = None) -> Export:
    """Parse an export into an ``Export``. Title lines above the header are skipped (their unit,
    if any, kept); a two-line header (group labels over 전체/유가증권/코스닥) is joined."""
    path = str(path)
    if data is None:
        data = Path(path).read_bytes()
    text = decode(data, path)
    if "\x00" in text:
        raise ContentError.single(path, text[: text.index("\x00")].count("\n") + 1, None, "NUL character: not a text file")
    rows = _csv_rows(text, path)
    start = _header_index(rows)
    if start is None:
        raise ContentError.single(path, None, None, "no header line: the file is empty")
    unit_hint = next((u for _, cells in rows[:start] for u in [unit_in(" ".join(cells))] if u), None)
    header_line, names = rows[start]
    body = rows[start + 1 :]
    if body and _is_subheader(names, body[0][1]):
        names = _join_headers(names, body[0][1])
        body = body[1:]
    names = [n.strip().replace("\ufeff", "") for n in names]
    while names and not names[-1] and all(len(c) < len(names) or not c[len(names) - 1] for _, c in body):
        names.pop()  # a trailing comma on every line is not a column
    title = " ".join(" ".join(cells) for _, cells in rows[:start])
    table = Export(path, names, header_line, unit_hint=unit_hint, title=title)
    problems = []
    for line, cells in body:
        cells = [c.strip() for c in cells]
        if len(cells) > len(names):
            if any(cells[len(names) :]):
                problems.append(Problem(path, line, None, f"{len(cells)} values but the header has {len(names)} columns"))
                continue
            cells = cells[: len(names)]
        table.rows.append((line, cells + [""] * (len(names) - len(cells))))
    if problems:
        raise ContentError(problems)
    return table


def _csv_rows(text: str, path: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV records with the line each starts on (quoted fields may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise ContentError.single(path, reader.line_num or line, None, f"not valid CSV: {exc}") from None
        if any(c.strip() for c in cells):
            rows.append((line, cells))


def _header_index(rows: list[tuple[int, list[str]]]) -> int | None:
    """The header is the first row naming a date or ticker column; failing that, the first
    row. Exports sometimes put a title and a unit line above it."""
    wanted = {header_key(h) for h in (*DATE_HEADERS, "종목코드", "티커", "ticker", "code")}
    for i, (_, cells) in enumerate(rows[:10]):
        if any(header_key(c) in wanted for c in cells):
            return i
    return 0 if rows else None


def _is_subheader(names: list[str], cells: list[str]) -> bool:
    """True when the row under the header holds labels, not data: every cell is blank or
    non-numeric and the header has blank (merged) cells for it to fill in."""
    if not any(not n.strip() for n in names[1:]):
        return False
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(parse_number_or_none(c) is None and parse_date_or_none(c) is None for c in filled)


def _join_headers(top: list[str], sub: list[str]) -> list[str]:
    """Join a group label row and a sub-label row: "신용거래융자" over "유가증권" → "신용거래융자 유가증권"."""
    width = max(len(top), len(sub))
    top, sub = top + [""] * (width - len(top)), sub + [""] * (width - len(sub))
    joined, group = [], ""
    for upper, lower in zip(top, sub, strict=True):
        group = upper.strip() or group
        joined.append(" ".join(p for p in (group if upper.strip() or lower.strip() else "", lower.strip()) if p))
    return joined


def unit_in(text: str) -> str | None:
    """The unit a header or title names ("거래대금(백만원)" → "million"), if any."""
    key = header_key(text)
    for word, unit in UNIT_WORDS:
        if header_key(word) in key:
            return unit
    if re.search(r"단위[:：]?원", key):
        return "won"
    return None


def volume_unit_in(text: str) -> str | None:
    """The share unit a header or title names ("거래량(천주)" → "thousand"), if any."""
    key = header_key(text)
    for word, unit in VOLUME_UNIT_WORDS:
        if header_key(word) in key:
            return unit
    return None


def is_missing(cell: str) -> bool:
    return cell.strip().lower() in _MISSING


def parse_number_or_none(cell: str) -> Decimal | None:
    """A cell as a Decimal, or None when it is not a number (missing cells included)."""
    text = cell.strip().replace("\u2212", "-")
    if not _NUMBER.match(text) or len(re.sub(r"\D", "", text)) > _MAX_DIGITS:
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already excludes these
        return None


def parse_number(cell: str) -> Decimal:
    """A cell as a Decimal; raises ValueError with an editor-facing message."""
    value = parse_number_or_none(cell)
    if value is None:
        raise ValueError(f"{cell.strip()!r} is not a number")
    return value


def parse_date_or_none(cell: str) -> str | None:
    """A date cell (YYYY/MM/DD, YYYY-MM-DD, YYYY.MM.DD, YYYYMMDD) as ISO text, or None."""
    text = cell.strip()
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError:
                return None
    return None


def parse_date(cell: str) -> str:
    value = parse_date_or_none(cell)
    if value is None:
        raise ValueError(f"{cell.strip()!r} is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)")
    return value


def parse_ticker(cell: str) -> str:
    """A ticker as the contract wants it: 6 characters, leading zeros kept. Excel strips the
    zeros ("5930") and KRX sometimes prefixes an "A" ("A005930"); both are undone."""
    text = cell.strip().upper()
    if len(text) == 7 and text.startswith("A"):
        text = text[1:]
    if text.isdigit() and 0 < len(text) < 6:
        text = text.zfill(6)
    if not is_ticker(text):
        raise ValueError(f"{cell.strip()!r} is not a 6-character ticker")
    return text


def ticker_for(table: Export, options: ImportOptions) -> str | None:
    """The one stock a by-date export is about: ``--ticker``, else the file name."""
    if len(options.tickers) == 1:
        return options.tickers[0]
    return ticker_from_name(table.path)


def ticker_from_name(path: str | Path) -> str | None:
    """The ticker in a file name such as ``005930.csv`` or ``005930_삼성전자.csv``: the only
    run of exactly six digits, or None when there is none or more than one."""
    runs = re.findall(r"(?<!\d)\d{6}(?!\d)", Path(path).stem)
    return runs[0] if len(runs) == 1 else None


# --- what the importers need besides cells -------------------------------------------------

TICKER_HEADERS = ("종목코드", "티커", "단축코드", "ticker", "code")
OHLC_HEADERS = ("시가", "고가", "저가", "종가")


@dataclass(frozen=True)
class ImportOptions:
    """What the command line can say about files whose header does not.

    ``tracked`` is filled in by ``import_files`` from ``stocks.csv``: whole-market exports are
    cut down to the stocks the report covers unless ``all_tickers`` or ``tickers`` says otherwise.
    """

    index: str | None = None
    tickers: tuple[str, ...] = ()
    market: str = "KOSPI"
    date: str | None = None
    unit: str | None = None
    kind: str | None = None
    all_tickers: bool = False
    tracked: tuple[str, ...] = ()
    volume_unit: str | None = None


def date_column(table: Export, options: ImportOptions) -> int | None:
    """The date column; None when there is none and ``--date`` supplies the date."""
    col = table.find(*DATE_HEADERS)
    if col is None and options.date is None:
        raise ContentError.single(table.path, table.header_line, None, _no_date_message(table))
    return col


def _no_date_message(table: Export) -> str:
    """Why no date column was found, naming the column that does hold dates if one does (an
    old export with a header this importer does not know), else the names it looks for."""
    message = "this export has no date column: pass --date YYYY-MM-DD"
    for i, name in enumerate(table.names):
        dated = sum(1 for _, cells in table.rows if parse_date_or_none(cells[i]) is not None)
        if dated and dated >= len(table.rows) // 2:
            return (
                f"{message} for a one-day file, or rename column {name!r} (it holds dates on {dated} rows) "
                f"to 일자: a date column is named {', '.join(DATE_HEADERS[:3])} or 년/월/일"
            )
    return f"{message} (a date column is named {', '.join(DATE_HEADERS[:3])}, date or 년/월/일)"


@overload
def resolve_unit(table: Export, column: int, options: ImportOptions, default: str) -> tuple[str, Problem | None]: ...
@overload
def resolve_unit(table: Export, column: int, options: ImportOptions, default: None) -> tuple[str | None, Problem | None]: ...
def resolve_unit(table: Export, column: int, options: ImportOptions, default: str | None) -> tuple[str | None, Problem | None]:
    """The unit of a money column: named in its header, else in a title line, else
    ``--unit``, else ``default`` (None: the caller guesses). A header that contradicts
    ``--unit`` is a problem, since one of them is wrong about the figures (the caller
    reports it; the unit returned with it is only the default)."""
    stated = unit_in(table.names[column]) or table.unit_hint
    if stated and options.unit and stated != options.unit:
        return default, table.problem(table.header_line, column, f"the file says {stated} but --unit says {options.unit}")
    return stated or options.unit or default, None


def unit_stated(table: Export, column: int, options: ImportOptions) -> bool:
    """True when the header, a title line or ``--unit`` says the money unit of ``column``."""
    return bool(unit_in(table.names[column]) or table.unit_hint or options.unit)


def resolve_volume_unit(table: Export, column: int, options: ImportOptions) -> tuple[str, bool, Problem | None]:
    """The share unit of a 거래량 column: its header, else a title line, else
    ``--volume-unit``, else shares (not stated). Returns (unit, stated, problem)."""
    stated = volume_unit_in(table.names[column]) or volume_unit_in(table.title)
    if stated and options.volume_unit and stated != options.volume_unit:
        return "shares", True, table.problem(
            table.header_line, column, f"the file says {stated} but --volume-unit says {options.volume_unit}"
        )
    unit = stated or options.volume_unit
    return unit or "shares", unit is not None, None


class Row:
    """Cells of one data row, parsed on demand; each bad cell adds a Problem and marks the
    row bad, so one pass reports every bad cell of a file."""

    def __init__(self, table: Export, line: int, cells: list[str], problems: list[Problem]):
        self.table, self.line, self.cells, self.problems = table, line, cells, problems
        self.ok = True

    def _fail(self, column: int, message: str) -> None:
        self.problems.append(self.table.problem(self.line, column, message))
        self.ok = False

    def text(self, column: int | None) -> str:
        return "" if column is None else self.cells[column]

    def number(self, column: int | None, *, non_negative: bool = False) -> Decimal | None:
        cell = self.text(column)
        if column is None or is_missing(cell):
            return None
        try:
            value = parse_number(cell)
        except ValueError as exc:
            self._fail(column, str(exc))
            return None
        if non_negative and value < 0:
            self._fail(column, f"{cell} is negative")
            return None
        return value

    def date(self, column: int | None, fallback: str | None = None) -> str | None:
        if column is None:
            return fallback
        try:
            return parse_date(self.cells[column])
        except ValueError as exc:
            self._fail(column, str(exc))
            return None

    def ticker(self, column: int) -> str | None:
        try:
            return parse_ticker(self.cells[column])
        except ValueError as exc:
            self._fail(column, str(exc))
            return None
