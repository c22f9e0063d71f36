"""KRX 정보데이터시스템 exports, and pykrx frames, turned into canonical rows.

pykrx names its columns exactly as the KRX portal does (시가, 고가, 저가, 종가, 거래량 ...),
so one set of converters serves a downloaded CSV and a fetched DataFrame alike; the fetch
command only has to turn its frames into ``Export`` objects.
"""

from __future__ import annotations

from decimal import Decimal

from generator.contract import INDEX_DAILY, INVESTOR_FLOWS, STOCK_PRICES
from generator.errors import ContentError
from generator.importing.detect import detect_kind, evidence, share_view
from generator.importing.merge import Converted, Record, Scale, format_money, format_number
from generator.importing.readers import (
    OHLC_HEADERS,
    TICKER_HEADERS,
    UNITS,
    VOLUME_UNITS,
    Export,
    ImportOptions,
    Row,
    date_column,
    resolve_unit,
    resolve_volume_unit,
    ticker_for,
    unit_stated,
)

__all__ = ["KINDS", "convert", "detect_kind"]

KINDS = ("index", "investors", "stock", "market")
#: Investor columns of 투자자별 거래실적 (both the 일반 and the 상세 view) by contract investor.
INSTITUTION_PARTS = ("금융투자", "보험", "투신", "사모", "은행", "기타금융", "연기금", "연기금등")


def convert(table: Export, options: ImportOptions) -> Converted:
    """Canonical rows from one KRX export."""
    kind = detect_kind(table, options)
    out = {"index": _index, "investors": _investors, "stock": _stock, "market": _market}[kind](table, options)
    if kind != "investors":
        ignored = evidence(table, options).investor_columns
        if ignored:
            out.notes.append(
                f"{table.path}: {', '.join(ignored)} not imported: in a {kind} file they are that one "
                f"{'index' if kind == 'index' else 'stock'}'s figures, and investor_flows.csv holds market-wide net buying in won"
            )
    return out


def _require(table: Export, *names: str) -> dict[str, int]:
    """Column positions of ``names`` (first alias of each tuple reported if missing)."""
    found, missing = {}, []
    for name in names:
        col = table.find(name)
        if col is None:
            missing.append(name)
        else:
            found[name] = col
    if missing:
        raise ContentError.single(table.path, table.header_line, None, f"no {', '.join(missing)} column in the header")
    return found


def _prices(row: Row, cols: dict[str, int]) -> list[Decimal] | None:
    """Open, high, low, close; None for a day without trades (KRX writes 0 or - for the
    prices of a suspended stock or of a day before an index existed)."""
    values = [row.number(cols[h], non_negative=True) for h in OHLC_HEADERS]
    prices = [v for v in values if v]  # neither missing nor 0
    if not row.ok or len(prices) < len(values):
        return None
    return prices


def _price_values(prices: list[Decimal], volume: Decimal | None) -> dict[str, str]:
    keys = ("open", "high", "low", "close")
    values = {k: format_number(v) for k, v in zip(keys, prices, strict=True)}
    values["volume"] = "" if volume is None else format_number(volume)
    return values


def _volume_scale(table: Export, options: ImportOptions, out: Converted, file: str) -> tuple[int | None, str]:
    """The 거래량 column and its share unit (recorded for the plausibility checks)."""
    volume_col = table.find("거래량", "거래량(주)", "거래량(천주)")
    if volume_col is None:
        volume_col = next((i for i, k in enumerate(table.keys) if k.startswith("거래량")), None)
    if volume_col is None:
        return None, "shares"
    unit, stated, problem = resolve_volume_unit(table, volume_col, options)
    if problem:
        raise ContentError([problem])
    out.scales.append(Scale(file, "volume", table.names[volume_col], table.header_line, unit, stated, "--volume-unit"))
    return volume_col, unit


def _index(table: Export, options: ImportOptions) -> Converted:
    out = Converted()
    cols = _require(table, *OHLC_HEADERS)
    date_col = date_column(table, options)
    value_col = table.find("거래대금")
    if value_col is None:
        value_col = next((i for i, k in enumerate(table.keys) if k.startswith("거래대금")), None)
    volume_col, volume_unit = _volume_scale(table, options, out, INDEX_DAILY.name)
    unit = "won"
    if value_col is not None:
        unit, problem = resolve_unit(table, value_col, options, "won")
        if problem:
            raise ContentError([problem])
        stated = unit_stated(table, value_col, options)
        out.scales.append(Scale(INDEX_DAILY.name, "trading_value", table.names[value_col], table.header_line, unit, stated, "--unit"))
    name = options.index or "KOSPI"
    for line, cells in table.rows:
        row = Row(table, line, cells, out.problems)
        date = row.date(date_col, options.date)
        prices = _prices(row, cols)
        volume = row.number(volume_col, non_negative=True)
        value = row.number(value_col, non_negative=True)
        if not row.ok or date is None:  # a row whose cells all read has its date
            continue
        if prices is None:
            out.skip(INDEX_DAILY, "no trades")
            out.no_trades.append((date, name, f"{table.path}:{line}"))
            continue
        volume = None if volume is None else volume * VOLUME_UNITS[volume_unit]
        values = {"date": date, "index": name, **_price_values(prices, volume)}
        values["trading_value"] = "" if value is None else format_money(value * UNITS[unit])
        out.records.append(Record(INDEX_DAILY, values, table.path, line))
    return out


def _stock(table: Export, options: ImportOptions) -> Converted:
    ticker = ticker_for(table, options)
    if ticker is None:
        raise ContentError.single(
            table.path, None, None, "cannot tell which stock this is: pass --ticker 005930 or name the file 005930.csv"
        )
    return _stock_rows(table, options, lambda row: ticker, keep=lambda t: True)


def _market(table: Export, options: ImportOptions) -> Converted:
    """One day of many stocks (전종목 시세, 지수구성종목, pykrx by-ticker). Only the stocks
    asked for are kept: ``--ticker``s, else those in stocks.csv, else (or with
    ``--all-tickers``) every one."""
    missing = [h for h in OHLC_HEADERS if not table.has(h)]
    if missing:
        raise ContentError.single(
            table.path,
            table.header_line,
            None,
            f"this export has no {', '.join(missing)} column, and stock_prices.csv needs open, high, low and close: "
            "export 전종목 시세 (or 개별종목 시세추이) instead of 지수구성종목",
        )
    wanted = set(options.tickers) or (set() if options.all_tickers else set(options.tracked))
    ticker_col = table.find(*TICKER_HEADERS)
    return _stock_rows(table, options, lambda row: row.ticker(ticker_col), keep=lambda t: not wanted or t in wanted)


def _stock_rows(table: Export, options: ImportOptions, ticker_of, keep) -> Converted:
    out = Converted()
    cols = _require(table, *OHLC_HEADERS)
    date_col = date_column(table, options)
    volume_col, volume_unit = _volume_scale(table, options, out, STOCK_PRICES.name)
    for line, cells in table.rows:
        row = Row(table, line, cells, out.problems)
        ticker = ticker_of(row)
        if ticker is not None and row.ok and not keep(ticker):
            out.skip(STOCK_PRICES, "not in stocks.csv or --ticker")
            continue
        date = row.date(date_col, options.date)
        prices = _prices(row, cols)
        volume = row.number(volume_col, non_negative=True)
        if not row.ok:
            continue
        if prices is None:
            out.skip(STOCK_PRICES, "no trades")
            if ticker is not None and date is not None:
                out.no_trades.append((date, ticker, f"{table.path}:{line}"))
            continue
        volume = None if volume is None else volume * VOLUME_UNITS[volume_unit]
        values = {"date": date, "ticker": ticker, **_price_values(prices, volume)}
        out.records.append(Record(STOCK_PRICES, values, table.path, line))
    return out


def _investors(table: Export, options: ImportOptions) -> Converted:
    """Net buying by investor type. 기타외국인, when KRX lists it, is not in 외국인 (상세
    view) but is in 외국인합계 (일반 view); the contract puts it under ``other`` either way,
    so the four investors still add up to 전체."""
    out = Converted()
    col = table.find
    individuals = col("개인")
    institutions = (
        [col("기관합계", "기관")]
        if col("기관합계", "기관") is not None
        else [c for c in (col(p) for p in INSTITUTION_PARTS) if c is not None]
    )
    foreigners_total, foreigners, other_foreign = col("외국인합계"), col("외국인"), col("기타외국인")
    corporations = col("기타법인")
    if individuals is None or not institutions or (foreigners_total is None and foreigners is None):
        raise ContentError.single(
            table.path, table.header_line, None, "investor columns 개인, 기관 합계 and 외국인 (합계) are needed"
        )
    unit_cols = [
        c for c in (individuals, *institutions, foreigners_total, foreigners, other_foreign, corporations) if c is not None
    ]
    view = share_view(table, unit_cols)
    if view:
        raise ContentError.single(
            table.path,
            table.header_line,
            None,
            f"this is a 거래량 (shares) view of investor trading ({view}): investor_flows.csv holds net buying "
            "in won, so export the 거래대금 view (or pykrx get_market_trading_value_by_date) instead",
        )
    units = {}
    for c in unit_cols:
        units[c], problem = resolve_unit(table, c, options, "won")
        if problem:
            raise ContentError([problem])
    out.scales.append(
        Scale(
            INVESTOR_FLOWS.name,
            "net_buy",
            table.names[individuals],
            table.header_line,
            units[individuals],
            unit_stated(table, individuals, options),
            "--unit",
        )
    )
    date_col = date_column(table, options)
    for line, cells in table.rows:
        row = Row(table, line, cells, out.problems)
        date = row.date(date_col, options.date)
        won = {c: _scaled(row.number(c), units[c]) for c in unit_cols}
        if not row.ok or date is None:  # a row whose cells all read has its date
            continue
        flows = {
            "individuals": won[individuals],
            "institutions": _sum([won[c] for c in institutions]),
            "foreigners": _foreigners(won, foreigners_total, foreigners, other_foreign),
            "other": _sum([won[c] for c in (corporations, other_foreign) if c is not None])
            if corporations is not None or other_foreign is not None
            else None,
        }
        for investor, value in flows.items():
            if value is None:
                out.skip(INVESTOR_FLOWS, "missing values")
                continue
            values = {"date": date, "market": options.market, "investor": investor, "net_buy": format_money(value)}
            out.records.append(Record(INVESTOR_FLOWS, values, table.path, line))
    return out


def _scaled(value: Decimal | None, unit: str) -> Decimal | None:
    return None if value is None else value * UNITS[unit]


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if len(present) == len(values) else None


def _foreigners(won: dict, total: int | None, plain: int | None, other: int | None) -> Decimal | None:
    if total is not None:
        if other is None:
            return won[total]
        return None if won[total] is None or won[other] is None else won[total] - won[other]
    return won[plain]
