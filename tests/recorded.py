"""Players of recorded answers for the source tests: the network is never used.

A ``Player`` is a transport: it answers each request with the first unused recording whose
method, address and parameters (form fields or query, in any order) match, and fails the
test on a request nobody recorded. ``cassette`` reads the pykrx VCR recordings of the KRX
portal's real JSON.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.sources.base import Request, Response
from generator.sources.krx_portal import LOGIN_FRAME, LOGIN_PAGE, LOGIN_URL

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def params_of(request_url: str, body: bytes | str | None) -> tuple[str, dict[str, str]]:
    parts = urllib.parse.urlsplit(request_url)
    params = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    if body:
        text = body.decode() if isinstance(body, bytes) else body
        params |= dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
    return f"{parts.scheme}://{parts.netloc}{parts.path}", params


@dataclass
class Recording:
    method: str
    url: str
    params: dict[str, str] | None  # None: any parameters
    response: Response | Exception
    repeat: bool = False


@dataclass
class Player:
    recordings: list[Recording] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def add(self, method: str, url: str, response: Response | Exception, params: dict | None = None, repeat: bool = False):
        base, query = params_of(url, None)
        self.recordings.append(Recording(method, base, (query | (params or {})) if (params is not None or query) else None, response, repeat))
        return self

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        base, params = params_of(request.url, request.body)
        for rec in self.recordings:
            if rec.method == request.method and rec.url == base and (rec.params is None or rec.params == params):
                if not rec.repeat:
                    self.recordings.remove(rec)
                if isinstance(rec.response, Exception):
                    raise rec.response
                return rec.response
        raise AssertionError(f"no recording for {request.method} {base} {params}")

    def sent(self, url_part: str) -> list[Request]:
        return [r for r in self.requests if url_part in r.url]


def ok(body: bytes | str, status: int = 200, **headers: str) -> Response:
    return Response(status, body.encode() if isinstance(body, str) else body, dict(headers))


def fixture(name: str, status: int = 200) -> Response:
    return ok((FIXTURES / name).read_bytes(), status)


def with_login(player: Player, answer: str = "portal_login_ok.json") -> Player:
    """The portal's login exchange: two pages that set the session cookie, then the form."""
    player.add("GET", LOGIN_PAGE, ok("<html></html>", **{"Set-Cookie": "JSESSIONID=warm; Path=/"}))
    player.add("GET", LOGIN_FRAME, ok("<html></html>"))
    player.add("POST", LOGIN_URL, fixture(answer), params=None)
    return player


def cassette(path: Path) -> list[Recording]:
    """The interactions of a VCR cassette as recordings (real KRX answers)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in doc["interactions"]:
        req, resp = item["request"], item["response"]
        base, params = params_of(req["uri"], req.get("body") or "")
        body = resp["body"]["string"]
        out.append(Recording(req["method"], base, params, Response(resp["status"]["code"], body.encode() if isinstance(body, str) else body, {})))
    return out
