"""Fetch index prices, investor flows and tracked stocks' prices from KRX through pykrx.

pykrx is optional (``pip install 'kospi-report[krx]'``): the report builds from files alone,
and the network is never needed in tests. pykrx returns DataFrames indexed by 날짜 with the
KRX portal's Korean column names, so each frame is turned into an ``Export`` and converted by
the very code that imports a downloaded KRX CSV, then merged the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
from pathlib import Path
from typing import Any, Protocol

from generator.errors import ContentError, ReportError, UsageError
from generator.importing import ImportReport, import_records, krx
from generator.importing.merge import Converted, tracked_tickers
from generator.importing.readers import Export, ImportOptions

#: pykrx index codes of the indices the report can chart.
INDEX_CODES: dict[str, str] = {"KOSPI": "1001", "KOSPI200": "1028", "KOSDAQ": "2001", "KOSDAQ150": "2203"}
MARKETS = ("KOSPI", "KOSDAQ")


class MarketClient(Protocol):
    """The part of ``pykrx.stock`` that fetch uses; tests pass a fake with recorded frames."""

    def get_index_ohlcv(self, fromdate: str, todate: str, ticker: str) -> Any: ...

    def get_market_trading_value_by_date(self, fromdate: str, todate: str, ticker: str) -> Any: ...

    def get_market_ohlcv(self, fromdate: str, todate: str, ticker: str) -> Any: ...


class FetchError(ReportError):
    """KRX could not be reached or pykrx failed; nothing was written."""


def load_client() -> MarketClient:
    """``pykrx.stock``, or a UsageError saying how to install it."""
    try:
        # pykrx >= 1.2 logs in with KRX_ID/KRX_PW when imported and prints the member id:
        # keep that out of the output (and so out of a scheduler's logs).
        with contextlib.redirect_stdout(io.StringIO()):
            from pykrx import stock
    except ImportError:
        raise UsageError(
            "fetch needs pykrx, which is not installed: pip install 'kospi-report[krx]' (or pip install pykrx); "
            "without it, download the exports and use 'kospi-report import krx FILE…'"
        ) from None
    return stock


def frame_to_table(frame: Any, label: str) -> Export:
    """A pykrx DataFrame as the Export a CSV of it would give (``frame.to_csv()``): the index
    (날짜) first, then the columns; rows numbered as lines of that CSV."""
    header = [str(frame.index.name or "날짜")] + [str(c) for c in frame.columns]
    rows = [
        (line, [_cell(index)] + [_cell(v) for v in values])
        for line, (index, values) in enumerate(zip(frame.index, frame.itertuples(index=False, name=None), strict=True), start=2)
    ]
    return Export(label, header, 1, rows)


def _cell(value: Any) -> str:
    """One value as exported text: dates ISO, whole floats without ``.0``, NaN empty."""
    if value is None:
        return ""
    if type(value).__name__ == "datetime64":
        return str(value)[:10]
    if hasattr(value, "item") and not isinstance(value, dt.date):
        value = value.item()  # numpy scalar → Python
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "" if text in ("NaT", "nan", "<NA>") else text


def fetch(
    client: MarketClient,
    since: str,
    until: str,
    data_dir: Path,
    *,
    indices: tuple[str, ...] = ("KOSPI",),
    markets: tuple[str, ...] = ("KOSPI",),
    tickers: tuple[str, ...] | None = None,
    revise: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Fetch ``since``..``until`` (ISO dates, inclusive) and merge it into ``data_dir``.

    ``tickers`` defaults to the stocks in stocks.csv. Raises UsageError for an unknown index,
    FetchError when pykrx fails, ContentError when a frame has an unexpected shape.
    """
    if tickers is None:
        tickers = tuple(tracked_tickers(data_dir))
    converted = convert_frames(client, since, until, indices=indices, markets=markets, tickers=tickers)
    return import_records(converted, data_dir, revise=revise, dry_run=dry_run)


def convert_frames(
    client: MarketClient,
    since: str,
    until: str,
    *,
    indices: tuple[str, ...] = ("KOSPI",),
    markets: tuple[str, ...] = ("KOSPI",),
    tickers: tuple[str, ...] = (),
) -> list[Converted]:
    """pykrx's frames for ``since``..``until`` as canonical rows, without writing anything."""
    unknown = [i for i in indices if i not in INDEX_CODES]
    if unknown:
        raise UsageError(f"unknown index {unknown[0]}: choose from {', '.join(INDEX_CODES)}")
    start, end = since.replace("-", ""), until.replace("-", "")
    requests = [
        (f"pykrx get_index_ohlcv {INDEX_CODES[i]}", client.get_index_ohlcv, INDEX_CODES[i], ImportOptions(kind="index", index=i))
        for i in indices
    ]
    requests += [
        (
            f"pykrx get_market_trading_value_by_date {m}",
            client.get_market_trading_value_by_date,
            m,
            ImportOptions(kind="investors", market=m),
        )
        for m in markets
    ]
    requests += [
        (f"pykrx get_market_ohlcv {t}", client.get_market_ohlcv, t, ImportOptions(kind="stock", tickers=(t,))) for t in tickers
    ]
    converted: list[Converted] = []
    problems = []
    for label, call, code, options in requests:
        try:
            frame = call(start, end, code)
        except Exception as exc:  # pykrx raises whatever its HTTP and parsing layers raise
            raise FetchError(f"{label} failed: {type(exc).__name__}: {exc}") from exc
        if frame is None or len(frame) == 0:
            continue  # no trading days in the range (pykrx returns an empty frame)
        try:
            result = krx.convert(frame_to_table(frame, label), options)
        except ContentError as exc:
            problems += exc.problems
            continue
        problems += result.problems
        converted.append(result)
    if problems:
        raise ContentError(problems)
    return converted
