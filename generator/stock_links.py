"""Stock names (and glossary terms) in prose as links to their pages.

A reader who meets "Hyundai AutoEver" in a lede or an editor's note expects to click through to
the stock's page. The first mention of each tracked stock in a passage becomes a link; text
already inside a link, a heading or code is left alone, and names are matched whole and
longest first ("Hyundai Motor" never swallows part of "Hyundai Motor Group").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from markupsafe import Markup, escape

#: Elements whose text is never linked.
_SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "caption", "th"}
_TAG = re.compile(r"(<[^>]+>)")
_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")


def link_stocks(text: str, names: Mapping[str, str], href: Callable[[str], str]) -> Markup:
    """``text`` (plain text, or ``Markup`` that is already HTML) with the first mention of each
    name in ``names`` (ticker -> name) linked to ``href(ticker)``."""
    return link_mentions(text, {name: href(ticker) for ticker, name in names.items() if name}, "stock-link")


def link_mentions(text: str, targets: Mapping[str, str], css: str) -> Markup:
    """``text`` with the first mention of each name in ``targets`` (name -> URL) linked, the
    link marked with class ``css``. Glossary terms in a lede use the same rules as stock names."""
    html = str(text) if isinstance(text, Markup) else str(escape(text))
    by_name = {str(escape(name)): url for name, url in targets.items() if name}
    if not by_name:
        return Markup(html)
    # A Korean particle follows a name without a space (삼성전자가): Hangul after a name still ends it.
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)) + r")(?!(?![가-힣])[\w-])")
    done: set[str] = set()
    depth: dict[str, int] = {}
    out: list[str] = []

    def swap(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in done:
            return name
        done.add(name)
        return f'<a class="{css}" href="{escape(by_name[name])}">{name}</a>'

    for part in _TAG.split(html):
        if part.startswith("<"):
            tag = _NAME.match(part)
            if tag and tag.group(1).lower() in _SKIP and not part.endswith("/>"):
                key = tag.group(1).lower()
                depth[key] = depth.get(key, 0) + (-1 if part.startswith("</") else 1)
            out.append(part)
        elif any(v > 0 for v in depth.values()):
            out.append(part)
        else:
            out.append(pattern.sub(swap, part))
    return Markup("".join(out))
