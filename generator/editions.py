"""Editions: the same site in English and in Korean, from the same snapshots.

The site setting ``editions`` (``["en"]``, ``["ko"]`` or ``["en", "ko"]``) lists them; the first
is at the site root, each other under its language (``/ko/``). Every page family writes its
pages once per edition, with the edition's renderer (its gettext catalogue, its number and date
filters, its colours) and the edition's stories (generator/story/english.py or korean.py); the
files the editions share are written once, by the first: the data downloads and snapshots
(``data/``, except the data page itself), the assets, the favicon and the search bundle. So a
Korean page links ``../../assets/site.css`` at the root, and its snapshot at ``/data/``.

Templates are translated with gettext catalogues (``templates/locale/<lang>/LC_MESSAGES/site.po``,
compiled when the build starts, so a fresh clone builds without compiled files); strings the
page families pass from Python (a page's title) go through the same catalogue.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: Site paths the first edition writes for every edition: links to them from any edition go
#: to the root. ``data/`` is shared except the data page itself (``data/`` and its index.html).
SHARED = ("assets/", "pagefind/", "favicon.ico", "data/", "robots.txt", "sitemap.xml")
#: Pages of the data folder that each edition has in its own language.
OWN_DATA_PAGES = ("data/", "data/index.html")
#: What each language is called in the language switch (in its own language) and its
#: ``hreflang`` code.
NAMES = {"en": "English", "ko": "한국어"}


@dataclass(frozen=True)
class Edition:
    """One language edition: where it is served and how it looks."""

    lang: str
    #: "" for the edition at the site root, else "ko/"
    prefix: str
    #: "western" (green up) or "korean" (red up)
    color_convention: str

    @property
    def name(self) -> str:
        return NAMES[self.lang]


def editions(config) -> list[Edition]:
    """The site's editions, the root one first."""
    out = []
    for n, lang in enumerate(config.editions):
        colours = config.color_convention_ko if lang == "ko" else config.color_convention
        out.append(Edition(lang, "" if n == 0 else f"{lang}/", colours))
    return out


def edition_data(data, edition: Edition):
    """The dataset as an edition reads it: the Korean edition's notes are the ``.ko.md`` files."""
    if edition.lang != "ko":
        return data
    from dataclasses import replace

    return replace(data, commentary=data.commentary_ko)


def shared(target: str) -> bool:
    """Whether ``target`` (a site path) is one file for every edition."""
    if target in OWN_DATA_PAGES:
        return False
    return target.startswith(SHARED)


def locale_dir() -> Path:
    from generator.render import templates_dir

    return templates_dir() / "locale"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English, the source language, needs none)."""
    if lang == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = locale_dir() / lang / "LC_MESSAGES" / "site.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class EditionStaging:
    """The staging folder as an edition's page families see it: their paths under the
    edition's prefix, and the shared files (written by the first edition) left alone."""

    def __init__(self, staging, prefix: str):
        self._staging = staging
        self.prefix = prefix

    def __getattr__(self, name: str):
        return getattr(self._staging, name)

    def add(self, relpath: str, data: bytes | str) -> None:
        if not shared(relpath):
            self._staging.add(self.prefix + relpath, data)

    def keep(self, relpath: str) -> bool:
        if shared(relpath):
            return True
        return self._staging.keep(self.prefix + relpath)

    def forget(self, relpath: str) -> None:
        if not shared(relpath):
            self._staging.forget(self.prefix + relpath)


class EditionKeys:
    """The build's page keys as an edition sees them: a page's key and files are kept under
    its edition's path, so the English and Korean report of one day are carried over apart."""

    def __init__(self, keys, prefix: str):
        self._keys = keys
        self.prefix = prefix

    def __getattr__(self, name: str):
        return getattr(self._keys, name)

    def reuse(self, staging, page: str, key: str, files: list[str] | None = None, *, counted: bool = True) -> bool:
        return self._keys.reuse(staging, self.prefix + page, key, files, counted=counted)

    def record(self, page: str, files: list[str]) -> None:
        self._keys.record(self.prefix + page, files)
