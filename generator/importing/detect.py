"""Which KRX export a file is: sure, or a refusal that says which ``--kind`` values apply.

A wrong guess is the worst thing an importer can do: a per-stock pykrx CSV (prices plus 개인 /
기관 합계 / 외국인 합계 share volumes) once went into ``investor_flows.csv`` as market-wide net
buying in won. So each kind is a *candidate* only when the header and the file name give it
positive evidence and nothing speaks against it, and a file is imported only when exactly one
kind is left. Per-stock signals (a ticker in the file name or ``--ticker``, a 종목코드 column,
price columns, 공매도 columns, 상장주식수) rule out market-wide investor flows outright.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import ContentError
from generator.importing.readers import (
    DATE_HEADERS,
    OHLC_HEADERS,
    TICKER_HEADERS,
    Export,
    ImportOptions,
    header_key,
    ticker_from_name,
)

#: Columns of 투자자별 거래실적 (일반 and 상세 views, pykrx frames).
INVESTOR_HEADERS = ("개인", "기관합계", "기관", "외국인합계", "외국인", "금융투자", "기타법인", "기타외국인", "연기금", "연기금등")
#: Words that mark a 거래량 (shares) view of investor trading; flows are 거래대금 (won).
SHARE_VIEW_WORDS = ("거래량", "순매수량", "매수량", "매도량", "수량", "(주)", "단위:주", "shares", "volume")


@dataclass(frozen=True)
class Evidence:
    """What the header and the file name say, in words for messages."""

    per_stock: list[str]
    investor_columns: list[str]
    ohlc: bool
    dated: bool
    ticker: str | None


def evidence(table: Export, options: ImportOptions) -> Evidence:
    keys = table.keys
    per_stock = []
    name_ticker = ticker_from_name(table.path)
    if len(options.tickers) == 1:
        per_stock.append(f"--ticker {options.tickers[0]}")
    elif name_ticker:
        per_stock.append(f"the ticker {name_ticker} in the file name")
    ticker_col = table.find(*TICKER_HEADERS)
    if ticker_col is not None:
        per_stock.append(f"a {table.names[ticker_col]} column")
    ohlc = all(table.has(h) for h in OHLC_HEADERS)
    if ohlc:
        per_stock.append("price columns (시가, 고가, 저가, 종가)")
    short = [n for n, k in zip(table.names, keys, strict=True) if "공매도" in k]
    if short:
        per_stock.append(f"공매도 columns ({', '.join(short[:3])})")
    for word in ("상장주식수", "종목명"):
        if table.has(word):
            per_stock.append(f"a {word} column")
    investors = [n for n, k in zip(table.names, keys, strict=True) if k in {header_key(h) for h in INVESTOR_HEADERS}]
    ticker = options.tickers[0] if len(options.tickers) == 1 else name_ticker
    return Evidence(per_stock, investors, ohlc, table.has(*DATE_HEADERS), ticker)


def share_view(table: Export, columns: list[int]) -> str | None:
    """The words that show ``table`` is a 거래량 (shares) view of investor trading, if any:
    a header of an investor column or the title above the header naming volumes or shares."""
    for c in columns:
        key = header_key(table.names[c])
        if any(header_key(w) in key for w in SHARE_VIEW_WORDS):
            return f"the column {table.names[c]!r}"
    title = header_key(table.title)
    if any(header_key(w) in title for w in SHARE_VIEW_WORDS):
        return f"the title {table.title.strip()!r}"
    return None


def detect_kind(table: Export, options: ImportOptions) -> str:
    """The one KRX kind ``table`` can be (``--kind`` overrides); ContentError otherwise.

    Candidates: ``market`` for a 종목코드/티커 column; ``investors`` for 개인 next to 기관 or
    외국인 columns with no per-stock signal; with price columns and a date column, ``stock``
    when 상장주식수 is there or the ticker is known (and 상장시가총액 is not), ``index`` when
    상장시가총액 is there or ``--index`` is given.
    """
    if options.kind:
        return options.kind
    ev = evidence(table, options)
    why: dict[str, str] = {}
    ticker_column = table.find(*TICKER_HEADERS)
    if ticker_column is not None:
        why["market"] = f"a {table.names[ticker_column]} column: one day of many stocks"
    investor_like = table.has("개인") and table.has("기관합계", "기관", "외국인합계", "외국인", "금융투자")
    if investor_like and not ev.per_stock:
        why["investors"] = f"investor columns ({', '.join(ev.investor_columns[:4])}) and nothing about one stock"
    if ev.ohlc and ev.dated:
        market_cap = table.has("상장시가총액")
        if table.has("상장주식수") or (ev.ticker and not market_cap):
            why["stock"] = "price columns and " + ("a 상장주식수 column" if table.has("상장주식수") else f"the ticker {ev.ticker}")
        if market_cap or options.index:
            why["index"] = "price columns and " + ("a 상장시가총액 column" if market_cap else f"--index {options.index}")
    if "market" in why:  # a 종목코드 column decides: one row per stock, whatever else is there
        return "market"
    if len(why) == 1:
        return next(iter(why))
    where = (table.path, table.header_line, None)
    if len(why) > 1:
        reasons = "; ".join(f"--kind {k} ({v})" for k, v in why.items())
        raise ContentError.single(*where, f"this file fits more than one kind: {reasons}. Pass the right --kind")
    if investor_like and ev.ohlc and ev.dated:
        raise ContentError.single(
            *where,
            f"one stock's prices with investor columns ({', '.join(ev.investor_columns[:4])}; {'; '.join(ev.per_stock)}): "
            "pass --ticker 005930 (or name the file 005930.csv) to import the prices as --kind stock; --kind investors "
            "does not apply, since investor_flows.csv holds market-wide net buying in won",
        )
    if investor_like:
        raise ContentError.single(
            *where,
            f"investor columns ({', '.join(ev.investor_columns[:4])}) in a file about one stock ({'; '.join(ev.per_stock)}): "
            "investor_flows.csv holds market-wide net buying in won, so no --kind applies. Export 투자자별 거래실적 "
            "for the whole market (KOSPI) to import flows",
        )
    if ev.ohlc and ev.dated:
        raise ContentError.single(
            *where,
            "cannot tell an index from a stock: pass --ticker 005930 (or name the file 005930.csv) for --kind stock, "
            "or --index NAME for --kind index",
        )
    raise ContentError.single(
        *where,
        "not a KRX export this importer knows (개별지수/개별종목 시세추이, 투자자별 거래실적, 전종목 시세, "
        f"or a pykrx CSV), so no --kind applies; header: {','.join(table.names)}",
    )
