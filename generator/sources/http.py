"""HTTPS for the sources: the standard library's client, and polite back-off.

No HTTP package is needed for a few dozen requests a day. ``send`` is the real transport;
``Retrying`` wraps any transport (the real one or a test's player of recordings) and backs
off on "too many requests" and on a brief outage, as each service's terms ask.
"""

from __future__ import annotations

import gzip
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.sources.base import Request, Response, Transport

USER_AGENT = "kospi-report (daily market report; +https://github.com/)"
#: Answers worth a second try after a pause: too many requests, and the gateway errors of a
#: service restarting.
RETRY_STATUSES = frozenset({429, 502, 503, 504})


def send(request: Request, timeout: float = 30.0) -> Response:
    """One request over the network. HTTP errors come back as answers (the source reads
    the status); a connection that fails raises OSError."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", **request.headers}
    req = urllib.request.Request(request.url, data=request.body, method=request.method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - https URLs of the sources only
            return _response(resp.status, resp.read(), resp.headers)
    except urllib.error.HTTPError as exc:
        return _response(exc.code, exc.read(), exc.headers)


def _response(status: int, body: bytes, headers) -> Response:
    if headers.get("Content-Encoding", "") == "gzip":
        body = gzip.decompress(body)
    flat = {k: v for k, v in headers.items()}
    cookies = headers.get_all("Set-Cookie") if hasattr(headers, "get_all") else None
    if cookies:
        flat["Set-Cookie"] = "\n".join(cookies)
    return Response(status, body, flat)


@dataclass
class Retrying:
    """A transport that waits and tries again on 429 and 5xx gateway answers: 1, 2, 4 …
    seconds (or the ``Retry-After`` the service asks for, up to ``max_wait``), ``attempts``
    tries in all; then the last answer is returned for the source to report."""

    transport: Transport | None = None  # None: ``send``, looked up at call time
    attempts: int = 4
    base: float = 1.0
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    waits: list[float] = field(default_factory=list)

    def __call__(self, request: Request) -> Response:
        transport = self.transport or send
        response = transport(request)
        for attempt in range(1, self.attempts):
            if response.status not in RETRY_STATUSES:
                break
            wait = self._wait(response, attempt)
            self.waits.append(wait)
            self.sleep(wait)
            response = transport(request)
        return response

    def _wait(self, response: Response, attempt: int) -> float:
        asked = response.headers.get("Retry-After", "")
        if asked.strip().isdigit():
            return min(float(asked), self.max_wait)
        return min(self.base * 2 ** (attempt - 1), self.max_wait)


def polite(transport: Transport | None) -> Transport:
    """``transport`` with back-off (unchanged if it already backs off)."""
    return transport if isinstance(transport, Retrying) else Retrying(transport)
