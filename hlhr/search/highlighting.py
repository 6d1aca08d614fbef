"""Matched words wrapped in ``<mark>``, with every other character HTML-escaped.

Words are compared the way the index analysed them (lowercase, accents folded, stemmed),
so "Genève" is marked for "geneve" and "reports" for "report". This is a direct scan
rather than whoosh's fragment scorer: ten hits must cost well under a millisecond each.
"""

import re

from markupsafe import Markup, escape

from .schema import folded, stemmed, token_pattern

SNIPPET_CHARS = 240
LEAD_CHARS = 60
_SPACE = re.compile(r"\s+")


fold = folded
analysed = stemmed  # ``word`` as the STEMMED analyzer indexes it


def mark(text: str, words: frozenset) -> Markup:
    """``text`` escaped, with every word that matches one of ``words`` in ``<mark>``."""
    out, index = [], 0
    for token in token_pattern(text).finditer(text):
        if analysed(token.group()) in words:
            out.append(escape(text[index : token.start()]))
            out.append(Markup("<mark>%s</mark>") % token.group())
            index = token.end()
    out.append(escape(text[index:]))
    return Markup("").join(out)


def mark_title(title: str, words: frozenset) -> Markup:
    return mark(title, words)


def snippet(text: str, words: frozenset, fallback: str = "") -> Markup:
    """About 240 characters of ``text`` around its first matched word, marked; else the
    start of ``fallback`` (the excerpt)."""
    first = _first_match(text, words)
    if first is None:
        return escape(_shorten(fallback or text))
    start = 0 if first < LEAD_CHARS else text.rfind(" ", 0, first - LEAD_CHARS) + 1
    end = text.find(" ", start + SNIPPET_CHARS)
    end = len(text) if end == -1 else end
    piece = mark(_SPACE.sub(" ", text[start:end]).strip(), words)
    before = "… " if start > 0 else ""
    after = " …" if end < len(text) else ""
    return Markup("%s%s%s") % (before, piece, after)


def _first_match(text, words):
    if not words:
        return None
    for token in token_pattern(text).finditer(text):
        if analysed(token.group()) in words:
            return token.start()
    return None


def _shorten(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
