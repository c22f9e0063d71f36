"""Commentary and pages: Markdown to HTML, sanitised.

Editors write Markdown; readers must never run what an editor (or a compromised account)
pasted. Markdown is rendered with Python-Markdown, then cleaned by nh3 down to the tags below:
no script, no event-handler attributes, no javascript: URLs, no iframes or forms.
Documented in docs/content.md.
"""

from __future__ import annotations

import markdown
import nh3

#: Tags a commentary or page may use after rendering.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt",
        "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)
#: Attributes allowed per tag ("*" for every tag).
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "title", "id"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_EXTENSIONS = ["extra", "sane_lists", "smarty"]


def render_markdown(text: str) -> str:
    """Markdown to safe HTML. Headings start at h2 (the page owns h1)."""
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return sanitise(html)


def sanitise(html: str) -> str:
    """Keep only the allowed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
