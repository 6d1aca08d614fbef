"""Matched words wrapped in ``<mark>``, with every other character HTML-escaped."""

import re

from markupsafe import Markup, escape
from whoosh import highlight

from .schema import FOLD_MAP, STEMMED

SNIPPET_CHARS = 220
WINDOW_CHARS = 600
MAX_WINDOWS = 3
_SPACE = re.compile(r"\s+")


class MarkFormatter(highlight.Formatter):
    """Whoosh formatter whose output is safe HTML: escaped text, ``<mark>`` around hits."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


_FORMATTER = MarkFormatter()


def fold(text: str) -> str:
    return text.lower().translate(FOLD_MAP)


def mark_title(title: str, words: frozenset) -> Markup:
    """The whole title with matched words marked."""
    if words:
        marked = highlight.highlight(
            title, words, STEMMED, highlight.WholeFragmenter(), _FORMATTER, top=1
        )
        if marked:
            return Markup(marked)  # noqa: S704 - built only from escaped pieces
    return escape(title)


def snippet(text: str, words: frozenset, fallback: str = "") -> Markup:
    """Up to two short passages of ``text`` around matched words, or the start of ``fallback``.

    Only windows whose folded text contains a stem are analysed: running the analyzer over
    a whole long article for each hit would cost milliseconds per result.
    """
    passages = _candidate_windows(text, words)
    if passages:
        marked = highlight.highlight(
            passages,
            words,
            STEMMED,
            highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=70),
            _FORMATTER,
            top=2,
        )
        if marked:
            return Markup(marked)  # noqa: S704 - built only from escaped pieces
    return escape(_shorten(fallback or text))


def _candidate_windows(text: str, words: frozenset) -> str:
    if not words or not text:
        return ""
    found = []
    for start in range(0, len(text), WINDOW_CHARS):
        window = text[max(0, start - 40) : start + WINDOW_CHARS]
        if any(word in fold(window) for word in words):
            found.append(window)
            if len(found) == MAX_WINDOWS:
                break
    return " … ".join(found)


def _shorten(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
