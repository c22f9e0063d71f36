"""Data sources behind one interface: each optional, each needing its own access.

=============  ====================================  ==================  =========================
name           service                               credentials         fills
=============  ====================================  ==================  =========================
krx            KRX Data Marketplace (login)          KRX_ID, KRX_PW      index, flows, stock prices
krx-openapi    KRX Open API                          KRX_OPENAPI_KEY     index, stock prices
kofia          data.go.kr KOFIA statistics           DATA_GO_KR_KEY      margin loans
lending        KRX Data Marketplace (login)          KRX_ID, KRX_PW      stock lending
pykrx          the pykrx library, if installed       KRX_ID, KRX_PW      index, flows, stock prices
=============  ====================================  ==================  =========================

``configured()`` names the sources whose credentials are set; ``make()`` builds them. How a
new user gets each kind of access, and what works without any, is in docs/sources.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.contract import INDEX_DAILY, INVESTOR_FLOWS, STOCK_PRICES
from generator.errors import UsageError
from generator.importing.merge import Converted
from generator.sources.base import (
    BadCredentials,
    EmptyAnswer,
    NoCredentials,
    Outage,
    RateLimited,
    Source,
    SourceError,
    Transport,
    Window,
    credential,
    redact,
)
from generator.sources.kofia import KofiaMargin
from generator.sources.krx_openapi import KrxOpenApi
from generator.sources.krx_portal import KrxPortal
from generator.sources.lending import KrxLending

__all__ = [
    "BadCredentials",
    "EmptyAnswer",
    "NoCredentials",
    "Outage",
    "RateLimited",
    "Source",
    "SourceError",
    "NAMES",
    "configured",
    "make",
    "secrets",
]

NAMES = ("krx", "krx-openapi", "kofia", "lending", "pykrx")
CREDENTIALS: dict[str, tuple[str, ...]] = {
    "krx": ("KRX_ID", "KRX_PW"),
    "krx-openapi": ("KRX_OPENAPI_KEY",),
    "kofia": ("DATA_GO_KR_KEY",),
    "lending": ("KRX_ID", "KRX_PW"),
    "pykrx": ("KRX_ID", "KRX_PW"),
}
#: Sources used when none is named: every one whose credentials are set (pykrx only on request,
#: since ``krx`` reads the same portal).
DEFAULTS = ("krx", "krx-openapi", "kofia", "lending")


def configured(environ: dict[str, str] | None = None) -> list[str]:
    return [n for n in DEFAULTS if all(credential(v, environ) for v in CREDENTIALS[n])]


def secrets(environ: dict[str, str] | None = None) -> list[str]:
    """Every credential value set, for scrubbing messages."""
    names = {v for vs in CREDENTIALS.values() for v in vs}
    return [s for s in (credential(n, environ) for n in sorted(names)) if s]


def make(
    names: list[str],
    *,
    indices: tuple[str, ...] = ("KOSPI",),
    markets: tuple[str, ...] = ("KOSPI",),
    transport: Transport | None = None,
    environ: dict[str, str] | None = None,
) -> list[Source]:
    out: list[Source] = []
    for name in names:
        if name == "krx":
            out.append(KrxPortal(indices, markets, transport, environ))
        elif name == "krx-openapi":
            out.append(KrxOpenApi(indices, transport, environ))
        elif name == "kofia":
            out.append(KofiaMargin(transport, environ))
        elif name == "lending":
            out.append(KrxLending(transport, environ))
        elif name == "pykrx":
            out.append(PykrxLibrary(indices, markets, environ))
        else:
            raise UsageError(f"unknown source {name!r}: choose from {', '.join(NAMES)}")
    return out


@dataclass
class PykrxLibrary:
    """The pykrx library (``pip install 'kospi-report[krx]'``), which reads the same portal
    and, from 1.2 on, logs in with KRX_ID/KRX_PW itself."""

    indices: tuple[str, ...] = ("KOSPI",)
    markets: tuple[str, ...] = ("KOSPI",)
    environ: dict[str, str] | None = None
    name: str = "pykrx"
    files: tuple[str, ...] = (INDEX_DAILY.name, INVESTOR_FLOWS.name, STOCK_PRICES.name)
    credentials: tuple[str, ...] = ("KRX_ID", "KRX_PW")
    lag: int = 0

    def fetch(self, window: Window) -> list[Converted]:
        from generator import fetching

        client = fetching.load_client()
        try:
            return fetching.convert_frames(
                client, _iso(window.first), _iso(window.last), indices=self.indices, markets=self.markets, tickers=window.tickers
            )
        except fetching.FetchError as exc:
            raise Outage(self.name, redact(str(exc), secrets(self.environ))) from None


def _iso(day: dt.date) -> str:
    return day.isoformat()
