"""KOFIA margin-loan balances (신용거래융자) through the public-data portal's open API.

The Financial Services Commission republishes KOFIA's FreeSIS statistics on data.go.kr as
'금융위원회_금융투자협회종합통계정보' (``GetKofiaStatisticsInfoService``); its operation
``getGrantingOfCreditBalanceInfo`` (신용공여 잔고 추이) gives, per business day ``basDt``,
the margin loans of all markets (``crdTrFingWhl``), of the KOSPI market (``crdTrFingScrs``)
and of KOSDAQ (``crdTrFingKosdaq``). A free service key (``serviceKey``, approved
automatically) is needed. Figures appear one business day after the day they measure.

The key travels in the query string, so URLs are never put in a message.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass

from generator.contract import MARGIN_LOANS
from generator.errors import ContentError
from generator.importing import kofia
from generator.importing.merge import Converted
from generator.importing.readers import ImportOptions
from generator.sources.base import BadCredentials, Outage, RateLimited, Request, Transport, Window, json_table, redact, require

API = "https://apis.data.go.kr/1160100/service/GetKofiaStatisticsInfoService/getGrantingOfCreditBalanceInfo"
#: Field → the FreeSIS heading the KOFIA importer reads (신용거래융자 over 전체/유가증권/코스닥).
FIELDS = {
    "basDt": "기준일자",
    "crdTrFingWhl": "신용거래융자 전체",
    "crdTrFingScrs": "신용거래융자 유가증권",
    "crdTrFingKosdaq": "신용거래융자 코스닥",
}
PAGE = 1000
#: The gateway's own refusals (an XML ``cmmMsgHeader`` whatever format was asked for).
KEY_REFUSED = {"20", "30", "31", "32", "33"}  # access denied, key not registered, expired, ...
QUOTA = {"22"}  # LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR


@dataclass
class KofiaMargin:
    transport: Transport | None = None
    environ: dict[str, str] | None = None
    name: str = "kofia"
    files: tuple[str, ...] = (MARGIN_LOANS.name,)
    credentials: tuple[str, ...] = ("DATA_GO_KR_KEY",)
    lag: int = 1

    def fetch(self, window: Window) -> list[Converted]:
        from generator.sources.http import polite

        (key,) = require(self.name, self.credentials, self.environ, " (a data.go.kr service key)")
        send = polite(self.transport)
        rows: list[dict] = []
        page = 1
        while True:
            items, total = self._page(send, key, window, page)
            rows += items
            if len(rows) >= total or not items:
                break
            page += 1
        if not rows:
            return [Converted()]
        rows.sort(key=lambda r: str(r.get("basDt", "")))
        table = json_table(f"data.go.kr KOFIA 신용공여 잔고 {window.first}..{window.last}", rows, FIELDS)
        result = kofia.convert(table, ImportOptions(kind="margin"))
        if result.problems:
            raise ContentError(result.problems)
        return [result]

    def _page(self, send: Transport, key: str, window: Window, page: int) -> tuple[list[dict], int]:
        query = {
            "serviceKey": key,
            "resultType": "json",
            "numOfRows": str(PAGE),
            "pageNo": str(page),
            "beginBasDt": window.first.strftime("%Y%m%d"),
            "endBasDt": window.last.strftime("%Y%m%d"),
        }
        try:
            response = send(Request("GET", f"{API}?{urllib.parse.urlencode(query)}", {"Accept": "application/json"}))
        except OSError as exc:
            raise Outage(self.name, f"apis.data.go.kr did not answer ({redact(str(exc), [key])})") from None
        text = response.text()
        reason = re.search(r"<returnReasonCode>\s*(\d+)\s*</returnReasonCode>", text)
        said = re.search(r"<returnAuthMsg>\s*([^<]+?)\s*</returnAuthMsg>", text)
        message = redact(said[1], [key]) if said else ""
        if (reason and reason[1] in KEY_REFUSED) or response.status in (401, 403):
            raise BadCredentials(self.name, f"data.go.kr refused DATA_GO_KR_KEY ({message or f'HTTP {response.status}'}): "
                                 "check the key and that 금융위원회_금융투자협회종합통계정보 is approved for it")
        if (reason and reason[1] in QUOTA) or response.status == 429:
            raise RateLimited(self.name, "data.go.kr says the key's request quota is used up; try again tomorrow or ask for more")
        try:
            answer = json.loads(text)["response"]
            header, body = answer["header"], answer["body"]
        except (ValueError, KeyError, TypeError):
            raise Outage(self.name, f"data.go.kr answered HTTP {response.status} {message or 'without its data'}") from None
        if str(header.get("resultCode")) != "00":
            raise Outage(self.name, f"data.go.kr answered {header.get('resultCode')}: {redact(str(header.get('resultMsg')), [key])}")
        items = body.get("items") or {}
        item = items.get("item", []) if isinstance(items, dict) else []
        if isinstance(item, dict):  # the portal gives a lone row as an object, not a list
            item = [item]
        return list(item), int(body.get("totalCount") or 0)
