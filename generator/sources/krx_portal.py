"""KRX Data Marketplace (data.krx.co.kr), with the user's KRX login.

Since 27 December 2025 the portal answers its JSON only to a logged-in session. pykrx 1.2
logs in the same way (a form POST of the member id and password, ``_error_code`` CD001 for
success, CD011 for "already logged in elsewhere", answered by resending with ``skipDup=Y``)
and then asks ``getJsonData.cmd`` for the same ``bld`` statistics this module asks for. This
module speaks that exchange itself rather than through pykrx because pykrx logs in when it
is imported, prints the member id, swallows a refused login, and pins pandas below 3; here a
refused login is an error before anything is fetched, and nothing secret reaches a log.

The answers are the JSON the portal's own pages read: numbers as text with thousands commas,
dates as YYYY/MM/DD. They are turned into Tables with the portal's Korean column headings and
converted by the KRX importer, so a fetched day equals the same day downloaded as CSV.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field

from generator.contract import INDEX_DAILY, INVESTOR_FLOWS, STOCK_PRICES
from generator.importing.merge import Converted
from generator.importing.readers import ImportOptions
from generator.sources.base import (
    BadCredentials,
    Outage,
    RateLimited,
    Request,
    Response,
    Transport,
    Window,
    convert_krx_rows,
    redact,
    require,
)

PORTAL = "https://data.krx.co.kr"
JSON_URL = f"{PORTAL}/comm/bldAttendant/getJsonData.cmd"
LOGIN_PAGE = f"{PORTAL}/contents/MDC/COMS/client/MDCCOMS001.cmd"
LOGIN_FRAME = f"{PORTAL}/contents/MDC/COMS/client/view/login.jsp?site=mdc"
LOGIN_URL = f"{PORTAL}/contents/MDC/COMS/client/MDCCOMS001D1.cmd"
REFERER = f"{PORTAL}/contents/MDC/MDI/outerLoader/index.cmd"

#: Index codes as the portal numbers them: the first digit is the family (1 KOSPI, 2 KOSDAQ).
INDEX_CODES: dict[str, str] = {"KOSPI": "1001", "KOSPI200": "1028", "KOSDAQ": "2001", "KOSDAQ150": "2203"}
#: Market ids of the investor statistics.
MARKET_IDS: dict[str, str] = {"KOSPI": "STK", "KOSDAQ": "KSQ"}

BLD_INDEX = "dbms/MDC/STAT/standard/MDCSTAT00301"  # 개별지수 시세 추이
BLD_STOCK = "dbms/MDC/STAT/standard/MDCSTAT01701"  # 개별종목 시세 추이
BLD_FLOWS = "dbms/MDC/STAT/standard/MDCSTAT02202"  # 투자자별 거래실적 (일별추이), 순매수 거래대금

INDEX_FIELDS = {
    "TRD_DD": "날짜",
    "OPNPRC_IDX": "시가",
    "HGPRC_IDX": "고가",
    "LWPRC_IDX": "저가",
    "CLSPRC_IDX": "종가",
    "ACC_TRDVOL": "거래량",
    "ACC_TRDVAL": "거래대금",
    "MKTCAP": "상장시가총액",
}
STOCK_FIELDS = {
    "TRD_DD": "날짜",
    "TDD_OPNPRC": "시가",
    "TDD_HGPRC": "고가",
    "TDD_LWPRC": "저가",
    "TDD_CLSPRC": "종가",
    "ACC_TRDVOL": "거래량",
    "ACC_TRDVAL": "거래대금",
    "LIST_SHRS": "상장주식수",
}
#: The columns of 투자자별 거래실적 (일별추이) in the portal's order (pykrx names them the same).
FLOW_FIELDS = {"TRD_DD": "날짜", "TRDVAL1": "기관합계", "TRDVAL2": "기타법인", "TRDVAL3": "개인", "TRDVAL4": "외국인합계", "TRDVAL_TOT": "전체"}

LOGIN_OK, LOGIN_DUPLICATE = "CD001", "CD011"


def isin(ticker: str) -> str:
    """The ISIN of a KRX common share (``005930`` → ``KR7005930003``), which the by-date
    statistics ask for: KR7, the ticker, 00, and the ISIN check digit (Luhn over the digits,
    letters counted as 10–35)."""
    base = f"KR7{ticker}00"
    digits = "".join(str(int(c, 36)) for c in base)
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return base + str((10 - total % 10) % 10)


@dataclass
class PortalSession:
    """A logged-in session: the cookies the portal set, logged in once and again when the
    portal says the session has lapsed (it then answers a page instead of JSON)."""

    user: str
    password: str
    transport: Transport
    source: str = "krx"
    cookies: dict[str, str] = field(default_factory=dict)
    logged_in: bool = False
    logins: int = 0

    def _send(self, request: Request) -> Response:
        headers = dict(request.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            response = self.transport(Request(request.method, request.url, headers, request.body))
        except OSError as exc:
            raise Outage(self.source, f"data.krx.co.kr did not answer ({self._clean(str(exc))})") from None
        for line in response.headers.get("Set-Cookie", "").splitlines():
            name, _, rest = line.strip().partition("=")
            if name and rest:
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status == 429:
            raise RateLimited(self.source, "data.krx.co.kr kept answering 'too many requests'; try again later")
        if response.status >= 500:
            raise Outage(self.source, f"data.krx.co.kr answered HTTP {response.status}")
        return response

    def _clean(self, text: str) -> str:
        return redact(text, [self.password, self.user])

    def login(self) -> None:
        self.logins += 1
        self._send(Request("GET", LOGIN_PAGE))
        self._send(Request("GET", LOGIN_FRAME, {"Referer": LOGIN_PAGE}))
        form = {"mbrNm": "", "telNo": "", "di": "", "certType": "", "mbrId": self.user, "pw": self.password}
        code, message = self._login_post(form)
        if code == LOGIN_DUPLICATE:
            code, message = self._login_post({**form, "skipDup": "Y"})
        if code != LOGIN_OK:
            said = f" ({self._clean(message)})" if message else ""
            raise BadCredentials(self.source, f"KRX refused the login with KRX_ID/KRX_PW: {code or 'no answer code'}{said}")
        self.logged_in = True

    def _login_post(self, form: dict[str, str]) -> tuple[str, str]:
        body = urllib.parse.urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": LOGIN_PAGE}
        response = self._send(Request("POST", LOGIN_URL, headers, body))
        try:
            answer = json.loads(response.body)
        except ValueError:
            raise Outage(self.source, f"the KRX login answered HTTP {response.status} with a page, not its JSON") from None
        return str(answer.get("_error_code", "")), str(answer.get("_error_message", ""))

    def query(self, bld: str, params: dict[str, str]) -> list[dict]:
        """The rows of one statistic. A page instead of JSON (or 401/403) means the session
        lapsed: log in again once; a second refusal is an error."""
        if not self.logged_in:
            self.login()
        for attempt in (1, 2):
            body = urllib.parse.urlencode({**params, "bld": bld}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": REFERER, "X-Requested-With": "XMLHttpRequest"}
            response = self._send(Request("POST", JSON_URL, headers, body))
            answer = _json(response)
            if answer is not None:
                rows = next((answer[k] for k in ("output", "OutBlock_1", "block1") if isinstance(answer.get(k), list)), None)
                if rows is None:
                    raise Outage(self.source, f"data.krx.co.kr answered {bld.rsplit('/', 1)[-1]} without rows")
                return rows
            if attempt == 1:
                self.logged_in = False
                self.login()
        raise BadCredentials(
            self.source, f"data.krx.co.kr refused {bld.rsplit('/', 1)[-1]} after a fresh login (HTTP {response.status}): is the account approved?"
        )


def _json(response: Response) -> dict | None:
    if response.status in (401, 403):
        return None
    try:
        answer = json.loads(response.body)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


@dataclass
class KrxPortal:
    """Index prices, investor flows and the tracked stocks' prices from the KRX portal."""

    indices: tuple[str, ...] = ("KOSPI",)
    markets: tuple[str, ...] = ("KOSPI",)
    transport: Transport | None = None
    environ: dict[str, str] | None = None
    name: str = "krx"
    files: tuple[str, ...] = (INDEX_DAILY.name, INVESTOR_FLOWS.name, STOCK_PRICES.name)
    credentials: tuple[str, ...] = ("KRX_ID", "KRX_PW")
    lag: int = 0

    def session(self) -> PortalSession:
        from generator.sources.http import polite

        user, password = require(self.name, self.credentials, self.environ, " (your KRX Data Marketplace login)")
        return PortalSession(user, password, polite(self.transport), self.name)

    def fetch(self, window: Window) -> list[Converted]:
        session = self.session()
        start, end = window.first.strftime("%Y%m%d"), window.last.strftime("%Y%m%d")
        out: list[Converted] = []
        for name in self.indices:
            code = INDEX_CODES[name]
            rows = session.query(BLD_INDEX, {"indIdx2": code[1:], "indIdx": code[0], "strtDd": start, "endDd": end})
            out.append(convert_krx_rows(f"KRX {name} index ({BLD_INDEX.rsplit('/', 1)[-1]})", rows, INDEX_FIELDS, ImportOptions(kind="index", index=name)))
        for market in self.markets:
            params = {"strtDd": start, "endDd": end, "mktId": MARKET_IDS[market], "etf": "", "etn": "", "elw": ""}
            params |= {"inqTpCd": "2", "trdVolVal": "2", "askBid": "3"}
            rows = session.query(BLD_FLOWS, params)
            label = f"KRX {market} investors ({BLD_FLOWS.rsplit('/', 1)[-1]})"
            out.append(convert_krx_rows(label, rows, FLOW_FIELDS, ImportOptions(kind="investors", market=market)))
        for ticker in window.tickers:
            rows = session.query(BLD_STOCK, {"isuCd": isin(ticker), "strtDd": start, "endDd": end, "adjStkPrc": "1"})
            label = f"KRX {ticker} prices ({BLD_STOCK.rsplit('/', 1)[-1]})"
            out.append(convert_krx_rows(label, rows, STOCK_FIELDS, ImportOptions(kind="stock", tickers=(ticker,))))
        return out


