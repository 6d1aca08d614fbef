"""Article bodies: Markdown and staff HTML -> one sanitised HTML, excerpts, reading time.

This is the only module that sanitises HTML.
"""

import math
import re
from html import unescape

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
    "*": {"lang", "dir"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
WORDS_PER_MINUTE = 220

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")


def sanitise_html(html: str) -> str:
    """Reduce any HTML to the article allowlist (no script, style, svg, on*, javascript:)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    """Markdown -> sanitised HTML (raw HTML in Markdown is escaped, then sanitised anyway)."""
    return sanitise_html(_markdown.render(source))


def render_body(source: str, body_format: str) -> str:
    """The one pipeline for article bodies, used at save time and for previews."""
    if body_format == "html":
        return sanitise_html(source)
    return render_markdown(source)


def plain_text(html: str) -> str:
    """Visible text of sanitised HTML, with whitespace folded."""
    return _SPACE_RE.sub(" ", unescape(_TAG_RE.sub(" ", html))).strip()


def make_excerpt(html: str, limit: int = 240) -> str:
    """First ``limit`` characters of the text, cut at a word boundary."""
    text = plain_text(html)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.–—-")
    return cut + "…"


def reading_minutes(html: str) -> int:
    return max(1, math.ceil(len(plain_text(html).split()) / WORDS_PER_MINUTE))


def insert_after_paragraph(html: str, block: str, paragraph: int = 2) -> str:
    """Insert ``block`` after the ``paragraph``-th closing </p> (or at the end)."""
    position = 0
    for _ in range(paragraph):
        found = html.find("</p>", position)
        if found == -1:
            return html + block
        position = found + len("</p>")
    return html[:position] + block + html[position:]
