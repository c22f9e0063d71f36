"""KRX stock-lending balances (대차거래 잔고) of the tracked stocks, from the KRX portal.

Lending balances are a KRX statistic (공매도 통계 › 대차거래 현황), read with the same
logged-in portal session as the ``krx`` source (KRX_ID/KRX_PW), one request per stock for
the whole window. The balance amount (``BAL_AMT``) is in won; a day's balance is published
the next trading day, so the source lags by one.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.contract import STOCK_LENDING
from generator.errors import ContentError
from generator.importing import kofia
from generator.importing.merge import Converted
from generator.importing.readers import ImportOptions
from generator.sources.base import Transport, Window, json_table
from generator.sources.krx_portal import KrxPortal, isin

#: 종목별 대차거래 현황 (by date, one stock). The statistic id and its fields follow the
#: portal's other by-date statistics; docs/sources.md says how to check them.
BLD_LENDING = "dbms/MDC/STAT/srt/MDCSTAT32001"
FIELDS = {"TRD_DD": "일자", "ISU_SRT_CD": "종목코드", "BAL_QTY": "잔고수량", "BAL_AMT": "잔고금액(원)"}


@dataclass
class KrxLending:
    transport: Transport | None = None
    environ: dict[str, str] | None = None
    name: str = "lending"
    files: tuple[str, ...] = (STOCK_LENDING.name,)
    credentials: tuple[str, ...] = ("KRX_ID", "KRX_PW")
    lag: int = 1

    def fetch(self, window: Window) -> list[Converted]:
        if not window.tickers:
            return []
        portal = KrxPortal(transport=self.transport, environ=self.environ, name=self.name)
        session = portal.session()
        start, end = window.first.strftime("%Y%m%d"), window.last.strftime("%Y%m%d")
        out = []
        for ticker in window.tickers:
            rows = session.query(BLD_LENDING, {"isuCd": isin(ticker), "strtDd": start, "endDd": end})
            rows = [{**r, "ISU_SRT_CD": r.get("ISU_SRT_CD") or ticker} for r in rows]
            if not rows:
                out.append(Converted())
                continue
            table = json_table(f"KRX {ticker} lending ({BLD_LENDING.rsplit('/', 1)[-1]})", rows, FIELDS)
            result = kofia.convert(table, ImportOptions(kind="lending", tickers=(ticker,)))
            if result.problems:
                raise ContentError(result.problems)
            out.append(result)
        return out
