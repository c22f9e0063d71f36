"""Site settings from ``content/site.toml``.

Every key is declared once below with its default and a docstring; the file is optional and
every key in it is optional. Loading collects every problem at once (wrong type, unknown
value) and names the key, so an editor fixes the file in one pass.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from generator.contract import is_ticker
from generator.errors import ContentError, Problem


@dataclass(frozen=True)
class SiteConfig:
    """The settings of one site. Defaults make an unconfigured site build."""

    title: str = "KOSPI Report"
    """Site name, shown in every page header and the feed."""
    description: str = "A daily report on the Korean stock market, written from the data."
    """One-line description for search engines, the feed and social cards."""
    base_url: str = "/"
    """Where the site is hosted: "/" for a domain root, "/sub/path/" or a full
    "https://example.org/report/". Page links are relative, so the site also works from disk;
    absolute URLs (canonical links, feed, sitemap) are built from this."""
    language: str = "en"
    """The report's language (the ``lang`` attribute); Korean names are marked ``ko``."""
    author: str = "Market desk"
    """Default author of reports and the feed."""
    headline_index: str = "KOSPI"
    """The index whose trading days define the report's days."""
    tracked_tickers: tuple[str, ...] = ()
    """Stocks the report follows; empty means every stock in stocks.csv."""
    milestone_step: int = 100
    """Round index levels that count as milestones (every this many points)."""
    color_convention: str = "western"
    """"western" (green up, red down) or "korean" (red up, blue down)."""
    sample_notice: str = ""
    """A visible note on every page, e.g. that the bundled data is synthetic; empty for none."""
    leaders_count: int = 3
    """How many top gainers and losers make a day's leading stocks (besides record highs)."""
    report_stocks: int = 30
    """The most stocks a report lists in its stock list and its lending table and chart; with
    more followed, the day's movers and records come first (generator/stock_lists.py)."""
    index_style: str = "caps"
    """How prose names indices: "caps" (KOSPI, KOSDAQ) or "title" (Kospi, Kosdaq)."""
    editions: tuple[str, ...] = ("en",)
    """The site's editions: ["en"], ["ko"] or ["en", "ko"]. The first is at the site root, each
    other under its language (/ko/), every page of one linked to the same page of the other."""
    color_convention_ko: str = "korean"
    """The Korean edition's colours: "korean" (red up, blue down) or "western"."""
    extra: dict = field(default_factory=dict)
    """Unknown keys, kept so that templates may use them; each one is warned about."""

    @property
    def site_root(self) -> str:
        """The path part of ``base_url``, always ending in "/"."""
        url = self.base_url
        if "://" in url:
            url = "/" + url.split("://", 1)[1].partition("/")[2]
        return url if url.endswith("/") else url + "/"

    def absolute(self, path: str) -> str:
        """An absolute URL (or root-relative path) for a site path like ``reports/2026-01-07/``."""
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return base + path.lstrip("/")


_CHOICES = {"color_convention": ("western", "korean"), "color_convention_ko": ("western", "korean"), "index_style": ("caps", "title")}
#: The languages an edition can be written in.
EDITION_LANGUAGES = ("en", "ko")


def load_config(content_dir: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read ``site.toml`` (if present). Returns the settings and the warnings;
    raises ContentError listing every error."""
    from generator.load import decode_text, read_bytes  # late: load imports pandas, settings need not

    path = content_dir / "site.toml"
    if not path.exists():
        return SiteConfig(), []
    text = decode_text(read_bytes(path), path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, reason = _toml_error(str(exc), text)
        raise ContentError.single(
            path, line, None, f'is not valid TOML ({reason}), expected lines like title = "My report"'
        ) from None
    return _from_mapping(raw, path, text)


def _toml_error(message: str, text: str) -> tuple[int | None, str]:
    """Line and reason of a TOML error (Python 3.11 keeps the position only in the message)."""
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        return int(found.group(1)), f"{message[: found.start()].lower()} at column {found.group(2)}"
    reason = re.sub(r"\s*\(at end of document\)$", "", message).lower()
    return text.count("\n") + (0 if text.endswith("\n") else 1), f"{reason} at the end of the file"


#: A BCP 47 language tag (en, ko, ko-KR, zh-Hant-TW): it becomes the pages' ``lang`` and so
#: reaches the search indexer, which names files after it.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}")
#: Indicator pages other than the headline index's, whose addresses it must not take.
_OTHER_INDICATORS = ("investor-flows", "margin-loans", "stock-lending")
#: The longest headline index name: it becomes a folder name (/indicators/<slug>/).
MAX_INDEX_NAME = 40


def index_slug(name: str) -> str:
    """The headline index's page slug (``kospi`` for KOSPI), as generator.site.indicators makes it."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _language_problem(value: str) -> str | None:
    if not _LANGUAGE.fullmatch(value):
        return "expected a language tag such as en, ko or ko-KR (letters, then hyphen-separated letters or digits)"
    return None


def _headline_problem(value: str) -> str | None:
    """Why ``value`` cannot name the headline index: its name becomes the indicator page's address."""
    slug = index_slug(value)
    if len(value) > MAX_INDEX_NAME:
        return f"expected an index name of at most {MAX_INDEX_NAME} characters, as in index_daily.csv"
    if not slug:
        return "expected an index name with Latin letters or digits (it names the page /indicators/<name>/), such as KOSPI"
    if slug in _OTHER_INDICATORS:
        return f"expected an index name whose page /indicators/{slug}/ is not another indicator's page"
    return None


#: Settings that reach page paths or outside tools, with the check of their values.
_CHECKS = {"language": _language_problem, "headline_index": _headline_problem}
_KIND_NAMES = {str: "text in quotes", bool: "true or false"}


def _from_mapping(raw: dict, path: Path, text: str) -> tuple[SiteConfig, list[Problem]]:
    errors: list[Problem] = []
    warnings: list[Problem] = []
    known = {f.name: f for f in fields(SiteConfig) if f.name != "extra"}
    values: dict = {}
    extra: dict = {}
    defaults = SiteConfig()
    for key, value in raw.items():
        line = line_of(path, key, text)
        if key not in known:
            extra[key] = value
            warnings.append(
                Problem(
                    str(path), line, key, "unknown setting (ignored), expected one of those listed in docs/content.md", "warning"
                )
            )
            continue
        expected = type(getattr(defaults, key))
        if expected is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(Problem(str(path), line, key, f'expected a list of strings such as ["005930"], got {value!r}'))
                continue
            value = tuple(value)
        elif expected is int:
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                errors.append(Problem(str(path), line, key, f"expected a positive whole number, got {value!r}"))
                continue
        elif not isinstance(value, expected):
            errors.append(
                Problem(str(path), line, key, f"expected {_KIND_NAMES.get(expected, expected.__name__)}, got {value!r}")
            )
            continue
        if key in _CHOICES and value not in _CHOICES[key]:
            choices = ", ".join(_CHOICES[key])
            errors.append(Problem(str(path), line, key, f"expected one of {choices}, got {value!r}"))
            continue
        if key == "editions":
            bad = [v for v in value if v not in EDITION_LANGUAGES]
            if not value or bad or len(set(value)) != len(value):
                what = f"got {bad[0]!r}" if bad else f"got {list(value)!r}"
                errors.append(Problem(str(path), line, key, f'expected a list of different languages out of "en" and "ko" such as ["en", "ko"], {what}'))
                continue
        if key in _CHECKS and (why := _CHECKS[key](value)):
            shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}… ({len(value)} characters)"
            errors.append(Problem(str(path), line, key, f"{why}, got {shown}"))
            continue
        if key == "tracked_tickers":
            bad = [t for t in value if not is_ticker(t)]
            if bad:
                errors.append(
                    Problem(
                        str(path), line, key, f'expected tickers of 6 digits or capital letters such as "005930", got {bad[0]!r}'
                    )
                )
                continue
        values[key] = value
    if errors:
        raise ContentError(errors + warnings)
    return SiteConfig(**values, extra=extra), warnings


def line_of(path: Path, key: str, text: str | None = None) -> int | None:
    """The line where ``key`` is set, for messages (TOML parsers do not keep positions)."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
    for n, line in enumerate(text.splitlines(), 1):
        if line.split("=", 1)[0].strip().strip('"').strip("'") == key:
            return n
    return None
