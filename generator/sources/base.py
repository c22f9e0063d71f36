"""What every data source shares: the errors a scheduler acts on, the HTTP exchange it is
tested through, and the credentials it may read.

A source turns the answers of one service (the KRX data portal, the KRX Open API, the
public-data portal's KOFIA statistics) into ``Converted`` rows, the very rows an imported
export gives, so fetched and imported figures are merged, checked and revised the same way.
Sources never write: ``sources.run`` merges what all of them fetched, and only when every
one of them answered.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from generator.errors import ContentError, ReportError
from generator.importing import krx
from generator.importing.merge import Converted
from generator.importing.readers import Export, ImportOptions

SEOUL = dt.timezone(dt.timedelta(hours=9), "KST")
#: The regular close of the KRX stock market. Figures fetched for a day before then are the
#: day's running totals, not its final figures.
CLOSE = dt.time(15, 30)


class SourceError(ReportError):
    """A source could not give its figures; nothing was written. ``exit_code`` tells a
    scheduler what to do: 2 fix the set-up (credentials), 3 try again later."""

    exit_code = 3

    def __init__(self, source: str, message: str):
        self.source = source
        super().__init__(f"{source}: {message}")


class NoCredentials(SourceError):
    """The environment names no credentials for the source."""

    exit_code = 2


class BadCredentials(SourceError):
    """The service refused the credentials (wrong, expired or not approved for this API)."""

    exit_code = 2


class Outage(SourceError):
    """The service did not answer, or answered something that is not its data."""


class RateLimited(SourceError):
    """The service kept refusing for too many requests, after backing off."""


class EmptyAnswer(SourceError):
    """The service answered with no rows for trading days it should have figures for."""


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


#: Sends one request and returns the answer; raises OSError when nothing came back. Tests
#: pass a player of recorded answers, so no test touches the network.
Transport = Callable[[Request], Response]


@dataclass
class Window:
    """What to fetch: the trading days from ``first`` to ``last`` and the moment of fetching."""

    first: dt.date
    last: dt.date
    sessions: list[dt.date]
    now: dt.datetime
    tickers: tuple[str, ...] = ()

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(SEOUL).date()


class Source(Protocol):
    """One service. ``files`` are the canonical files it fills; ``credentials`` the environment
    variables it reads; ``lag`` how many trading days after a day its figures appear."""

    name: str
    files: tuple[str, ...]
    credentials: tuple[str, ...]
    lag: int

    def fetch(self, window: Window) -> list[Converted]: ...


def credential(name: str, environ: dict[str, str] | None = None) -> str | None:
    """A credential from the environment, else from the user's keyring (service
    ``kospi-report``) when the ``keyring`` package is installed. Never from content/ or argv."""
    value = (environ if environ is not None else os.environ).get(name, "").strip()
    if value:
        return value
    if environ is not None:
        return None
    try:
        import keyring  # optional
    except ImportError:
        return None
    try:
        return keyring.get_password("kospi-report", name) or None
    except Exception:  # a keyring without a backend, a locked store ...
        return None


def require(source: str, names: Sequence[str], environ: dict[str, str] | None = None, how: str = "") -> list[str]:
    """The credentials ``names``, or NoCredentials naming the variables to set."""
    values = [credential(n, environ) for n in names]
    missing = [n for n, v in zip(names, values, strict=True) if not v]
    if missing:
        raise NoCredentials(source, f"set {' and '.join(missing)} in the environment{how}; see docs/sources.md")
    return [v for v in values if v]  # every one of them, none missing


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret replaced, so no message or log line carries one."""
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return text


def json_table(label: str, rows: list[dict], columns: dict[str, str]) -> Export:
    """A service's JSON rows as the Export an export of them would be: ``columns`` maps the
    service's field names to the export's Korean headers, so the importers' converters (and
    their checks) read them. Rows are numbered as lines of that export (header = line 1)."""
    fields = [f for f in columns if any(f in row for row in rows)] or list(columns)
    header = [columns[f] for f in fields]
    body = [(line, [_cell(row.get(f)) for f in fields]) for line, row in enumerate(rows, start=2)]
    return Export(label, header, 1, body)


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def convert_krx_rows(label: str, rows: list[dict], fields: dict[str, str], options: ImportOptions) -> Converted:
    """KRX JSON rows (portal or Open API) through the KRX importer's conversion, so fetched
    figures pass the same checks as an imported export; a problem stops the fetch."""
    if not rows:
        return Converted()
    result = krx.convert(json_table(label, rows, fields), options)
    if result.problems:
        raise ContentError(result.problems)
    return result
