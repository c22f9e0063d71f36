"""The KRX Open API (openapi.krx.co.kr): official daily index and stock figures by date.

Each user gets a free ``AUTH_KEY`` and asks approval for each API they use (here 'KOSPI
시리즈 일별시세정보', 'KOSDAQ 시리즈 일별시세정보', '유가증권 일별매매정보', '코스닥
일별매매정보'). One GET per API per trading day, the key in the ``AUTH_KEY`` header, answers
``{"OutBlock_1": [...]}`` with numbers as text. A day is published the next business morning,
so this source lags the market by one trading day and never gives a day's running figures.
It has no investor flows: those need the portal login (the ``krx`` source) or an import.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass

from generator.contract import INDEX_DAILY, STOCK_PRICES
from generator.importing.merge import Converted
from generator.importing.readers import ImportOptions
from generator.sources.base import (
    BadCredentials,
    Outage,
    RateLimited,
    Request,
    Transport,
    Window,
    convert_krx_rows,
    redact,
    require,
)

API = "https://data-dbg.krx.co.kr/svc/apis"
#: The report's index names → (API path, IDX_NM as the API writes it).
INDICES: dict[str, tuple[str, str]] = {
    "KOSPI": ("idx/kospi_dd_trd", "코스피"),
    "KOSPI200": ("idx/kospi_dd_trd", "코스피 200"),
    "KOSDAQ": ("idx/kosdaq_dd_trd", "코스닥"),
    "KOSDAQ150": ("idx/kosdaq_dd_trd", "코스닥 150"),
}
STOCK_APIS = ("sto/stk_bydd_trd", "sto/ksq_bydd_trd")  # 유가증권, 코스닥 일별매매정보

INDEX_FIELDS = {
    "BAS_DD": "날짜",
    "OPNPRC_IDX": "시가",
    "HGPRC_IDX": "고가",
    "LWPRC_IDX": "저가",
    "CLSPRC_IDX": "종가",
    "ACC_TRDVOL": "거래량",
    "ACC_TRDVAL": "거래대금",
    "MKTCAP": "상장시가총액",
}
STOCK_FIELDS = {
    "BAS_DD": "날짜",
    "ISU_CD": "종목코드",
    "TDD_OPNPRC": "시가",
    "TDD_HGPRC": "고가",
    "TDD_LWPRC": "저가",
    "TDD_CLSPRC": "종가",
    "ACC_TRDVOL": "거래량",
}


@dataclass
class KrxOpenApi:
    indices: tuple[str, ...] = ("KOSPI",)
    transport: Transport | None = None
    environ: dict[str, str] | None = None
    name: str = "krx-openapi"
    files: tuple[str, ...] = (INDEX_DAILY.name, STOCK_PRICES.name)
    credentials: tuple[str, ...] = ("KRX_OPENAPI_KEY",)
    lag: int = 1

    def fetch(self, window: Window) -> list[Converted]:
        from generator.sources.http import polite

        (key,) = require(self.name, self.credentials, self.environ, " (the AUTH_KEY of openapi.krx.co.kr)")
        send = polite(self.transport)
        out: list[Converted] = []
        for day in window.sessions:
            bas = day.strftime("%Y%m%d")
            by_path: dict[str, list[dict]] = {}
            for name in self.indices:
                path, idx_nm = INDICES[name]
                if path not in by_path:
                    by_path[path] = self._get(send, key, path, bas)
                rows = [r for r in by_path[path] if str(r.get("IDX_NM", "")).strip() == idx_nm]
                out.append(convert_krx_rows(f"KRX Open API {path} {bas} {name}", rows, INDEX_FIELDS, ImportOptions(kind="index", index=name)))
            if window.tickers:
                for path in STOCK_APIS:
                    rows = [_short_code(r) for r in self._get(send, key, path, bas)]
                    rows = [r for r in rows if r.get("ISU_CD") in window.tickers]
                    options = ImportOptions(kind="market", tickers=window.tickers)
                    out.append(convert_krx_rows(f"KRX Open API {path} {bas}", rows, STOCK_FIELDS, options))
        return out

    def _get(self, send: Transport, key: str, path: str, bas: str) -> list[dict]:
        url = f"{API}/{path}?{urllib.parse.urlencode({'basDd': bas})}"
        try:
            response = send(Request("GET", url, {"AUTH_KEY": key, "Accept": "application/json"}))
        except OSError as exc:
            raise Outage(self.name, f"data-dbg.krx.co.kr did not answer ({redact(str(exc), [key])})") from None
        try:
            answer = json.loads(response.body)
        except ValueError:
            answer = None
        said = ""
        if isinstance(answer, dict) and answer.get("respMsg"):
            said = f" ({redact(str(answer.get('respMsg')), [key])})"
        if response.status in (401, 403):
            raise BadCredentials(self.name, f"the KRX Open API refused KRX_OPENAPI_KEY for {path}{said}: check the key and that this API is approved")
        if response.status == 429:
            raise RateLimited(self.name, f"the KRX Open API kept answering 'too many requests' for {path}; try again later")
        if response.status != 200 or not isinstance(answer, dict) or not isinstance(answer.get("OutBlock_1"), list):
            raise Outage(self.name, f"the KRX Open API answered {path} {bas} with HTTP {response.status}{said}, not its data")
        return answer["OutBlock_1"]


def _short_code(row: dict) -> dict:
    """ISU_CD is the 6-character short code; a full ISIN (KR7005930003) is cut to it."""
    code = str(row.get("ISU_CD", "")).strip()
    if len(code) == 12 and code.startswith("KR"):
        row = {**row, "ISU_CD": code[3:9]}
    return row


