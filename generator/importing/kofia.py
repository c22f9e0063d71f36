"""KOFIA FreeSIS exports (and files people made from them) turned into canonical rows.

FreeSIS publishes margin loans (신용거래융자) in 백만원, in a table that also holds 대주,
청약자금대출 and 예탁증권담보융자 columns, often under a two-line header (신용거래융자 over
전체/유가증권/코스닥). Files people derive from it rename the columns in English and change
the unit. The margin-column rule below handles both; it is documented in docs/importing.md.
"""

from __future__ import annotations

from decimal import Decimal

from generator.contract import MARGIN_LOANS, STOCK_LENDING
from generator.errors import ContentError
from generator.importing.merge import Converted, Record, Scale, format_money
from generator.importing.readers import (
    DATE_HEADERS,
    TICKER_HEADERS,
    UNITS,
    Export,
    ImportOptions,
    Row,
    date_column,
    parse_number_or_none,
    resolve_unit,
    ticker_for,
    unit_stated,
)

KINDS = ("margin", "lending")
#: A column whose name has one of these holds margin loans (신용거래융자) ...
MARGIN_WORDS = ("신용거래융자", "신용융자", "margin_loan", "marginloan", "credit_balance", "creditbalance")
#: ... unless it also has one of these: a ratio, a change or another kind of credit.
NOT_MARGIN = ("대주", "청약", "담보", "예탁", "deposit", "short", "ratio", "비율", "증감", "change", "rate", "backed")
#: Sub-labels that continue the group to their left ("신용거래융자 전체", then "유가증권").
MARKET_ONLY = {"전체", "합계", "계", "유가증권", "유가증권시장", "코스피", "kospi", "코스닥", "코스닥시장", "kosdaq"}


def market_of(key: str) -> str:
    """Market named in a (normalised) column name; none named means all markets."""
    if any(w in key for w in ("유가증권", "코스피", "kospi", "거래소")):
        return "KOSPI"
    if any(w in key for w in ("코스닥", "kosdaq")):
        return "KOSDAQ"
    return "total"


def margin_columns(table: Export) -> dict[str, int]:
    """Margin-loan columns by market: a column naming 신용거래융자 (or margin_loan,
    credit_balance) starts a group, bare market labels to its right continue it, anything
    else ends it. The first column found for a market wins."""
    found: dict[str, int] = {}
    in_group = False
    date_col = table.find(*DATE_HEADERS)
    for i, key in enumerate(table.keys):
        if i == date_col or any(w in key for w in NOT_MARGIN):
            in_group = False
            continue
        if any(w in key for w in MARGIN_WORDS):
            in_group = True
        elif key not in MARKET_ONLY:
            in_group = False
        if in_group:
            found.setdefault(market_of(key), i)
    return found


def detect_kind(table: Export, options: ImportOptions) -> str:
    """Margin loans if a margin column is found, stock lending if a column names 잔고금액 or
    대차 (lending), else refused."""
    if options.kind:
        return options.kind
    if margin_columns(table):
        return "margin"
    if _balance_column(table) is not None:
        return "lending"
    raise ContentError.single(
        table.path,
        table.header_line,
        None,
        f"not a KOFIA export this importer knows (신용거래융자 잔고 or 대차거래 잔고); header: {','.join(table.names)}",
    )


def convert(table: Export, options: ImportOptions) -> Converted:
    """Canonical rows from one KOFIA export."""
    return {"margin": _margin, "lending": _lending}[detect_kind(table, options)](table, options)


def guess_unit(table: Export, column: int) -> str:
    """The unit of a margin column that names none, from the size of its figures: all
    below 1,000 is 조원 (a balance of 10-40 trillion won), 10**12 and more is won, anything
    between is FreeSIS's 백만원. Pass --unit to settle it."""
    values = [v for _, cells in table.rows if (v := parse_number_or_none(cells[column])) is not None]
    largest = max((abs(v) for v in values), default=Decimal(0))
    if largest < 1000:
        return "trillion"
    return "won" if largest >= 10**12 else "million"


def _margin(table: Export, options: ImportOptions) -> Converted:
    out = Converted()
    columns = margin_columns(table)
    if not columns:
        raise ContentError.single(table.path, table.header_line, None, "no 신용거래융자 (margin loan) column in the header")
    units = {}
    for col in columns.values():
        unit, problem = resolve_unit(table, col, options, None)
        if problem:
            raise ContentError([problem])
        units[col] = unit or guess_unit(table, col)
        out.scales.append(Scale(MARGIN_LOANS.name, "balance", table.names[col], table.header_line, units[col], unit is not None, "--unit"))
    date_col = date_column(table, options)
    for line, cells in table.rows:
        row = Row(table, line, cells, out.problems)
        date = row.date(date_col, options.date)
        balances = {market: row.number(col, non_negative=True) for market, col in columns.items()}
        if not row.ok or date is None:  # a row whose cells all read has its date
            continue
        for market, value in balances.items():
            if value is None:
                out.skip(MARGIN_LOANS, "missing values")
                continue
            values = {"date": date, "market": market, "balance": format_money(value * UNITS[units[columns[market]]])}
            out.records.append(Record(MARGIN_LOANS, values, table.path, line))
    return out


def _balance_column(table: Export) -> int | None:
    keys = table.keys
    for test in (
        lambda k: "잔고금액" in k,
        lambda k: "대차" in k and "금액" in k,
        lambda k: "lending" in k and "balance" in k,
        lambda k: "balance_amount" in k,
    ):
        for i, key in enumerate(keys):
            if test(key):
                return i
    return None


def _lending(table: Export, options: ImportOptions) -> Converted:
    """대차거래 잔고: one stock by date (ticker from --ticker or the file name) or many stocks
    (종목코드 column; cut down to the tracked stocks like a KRX whole-market export)."""
    out = Converted()
    balance_col = _balance_column(table)
    if balance_col is None:
        raise ContentError.single(table.path, table.header_line, None, "no 잔고금액 (lending balance) column in the header")
    unit, problem = resolve_unit(table, balance_col, options, "million")
    if problem:
        raise ContentError([problem])
    stated = unit_stated(table, balance_col, options)
    out.scales.append(Scale(STOCK_LENDING.name, "balance", table.names[balance_col], table.header_line, unit, stated, "--unit"))
    ticker_col = table.find(*TICKER_HEADERS)
    fixed = None if ticker_col is not None else ticker_for(table, options)
    if ticker_col is None and fixed is None:
        raise ContentError.single(
            table.path, None, None, "cannot tell which stock this is: pass --ticker 005930 or name the file 005930.csv"
        )
    wanted = set(options.tickers) or (set() if options.all_tickers else set(options.tracked))
    date_col = date_column(table, options)
    for line, cells in table.rows:
        row = Row(table, line, cells, out.problems)
        ticker = row.ticker(ticker_col) if ticker_col is not None else fixed
        if ticker is not None and ticker_col is not None and wanted and ticker not in wanted:
            out.skip(STOCK_LENDING, "not in stocks.csv or --ticker")
            continue
        date = row.date(date_col, options.date)
        balance = row.number(balance_col, non_negative=True)
        if not row.ok or date is None or ticker is None:  # a row whose cells all read has both
            continue
        if balance is None:
            out.skip(STOCK_LENDING, "missing values")
            continue
        values = {"date": date, "ticker": ticker, "balance": format_money(balance * UNITS[unit])}
        out.records.append(Record(STOCK_LENDING, values, table.path, line))
    return out
