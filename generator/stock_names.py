"""How each stock is named: its English and Korean names, sector and market, from stocks.csv.

One lookup for the snapshot (each stock's name and sector), the charts (names in legends and
alt texts) and the stock and indicator pages; a ticker missing from stocks.csv is named by the
ticker itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.dataset import Dataset


@dataclass(frozen=True)
class StockName:
    """How a stock is named on the site: English name, Korean name (lang="ko"), sector, market."""

    ticker: str
    name: str
    name_ko: str | None
    sector: str | None
    market: str | None

    @classmethod
    def unlisted(cls, ticker: str) -> StockName:
        """A stock missing from stocks.csv: the ticker stands in for its name."""
        return cls(ticker, ticker, None, None, None)


def _text(value: object) -> str | None:
    """A non-empty string, or None (for blanks and pandas' NaN for a missing column)."""
    return value.strip() or None if isinstance(value, str) else None


def stock_names(data: Dataset) -> dict[str, StockName]:
    """Every stock listed in stocks.csv, by ticker."""
    known: dict[str, StockName] = {}
    if not data.stocks.empty:
        for row in data.stocks.to_dict("records"):
            ticker = str(row["ticker"])
            known[ticker] = StockName(
                ticker, _text(row.get("name")) or ticker, _text(row.get("name_ko")), _text(row.get("sector")), _text(row.get("market"))
            )
    return known


def tracked_names(data: Dataset) -> dict[str, StockName]:
    """Every tracked stock's names, in the order the stocks are followed."""
    known = stock_names(data)
    return {t: known.get(t) or StockName.unlisted(t) for t in data.tracked_tickers}
