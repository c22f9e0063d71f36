"""Commentary and pages: Markdown to HTML, sanitised.

Editors write Markdown; readers must never run what an editor (or a compromised account)
pasted. Markdown is rendered with Python-Markdown, then cleaned by nh3 down to the tags below:
no script, no event-handler or style attributes, no javascript: or data: URLs (however they are
spelled: nh3 parses the URL as a browser would), no iframes, forms, SVG or MathML.

Two rules go beyond a tag list:

* every ``id`` is prefixed with ``note-`` (and ``#`` links follow), so a note cannot take the
  id of an element of the page (``main``, a chart's data block) and change what scripts find;
* images must come from the site itself (a relative address): an outside image would be blocked
  by the Content-Security-Policy and would tell another server who reads the report.

Documented in docs/content.md ("What Markdown may contain").
"""

from __future__ import annotations

import re

import markdown
import nh3

#: Tags a commentary or page may use after rendering.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
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
#: Prefix of every id in editor-written HTML (see the module docstring).
ID_PREFIX = "note-"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")

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
        attribute_filter=_filter_attribute,
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Prefix ids (and in-page links), and drop images from other sites."""
    if attribute == "id":
        return value if value.startswith(ID_PREFIX) else ID_PREFIX + value
    if attribute == "href" and value.startswith("#") and len(value) > 1:
        return value if value.startswith("#" + ID_PREFIX) else "#" + ID_PREFIX + value[1:]
    if tag == "img" and attribute == "src" and _SCHEME.match(value.strip()):
        return None
    return value
