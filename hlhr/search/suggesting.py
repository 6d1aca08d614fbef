"""The live box's title marking: which part of each title word the reader has typed."""

from .schema import TOKEN_PATTERN
from .schema import folded as fold


def mark_prefixes(title: str, words) -> tuple[tuple[str, bool], ...]:
    """``title`` cut into (text, matched) pieces; a word matches when it starts with one of
    the folded ``words`` ("gen" marks "Gen" in "Genève")."""
    spans = []
    for token in TOKEN_PATTERN.finditer(title):
        length = max((_prefix_length(token.group(), w) for w in words), default=0)
        if length:
            spans.append((token.start(), token.start() + length))
    parts, index = [], 0
    for start, end in spans:
        if start > index:
            parts.append((title[index:start], False))
        parts.append((title[start:end], True))
        index = end
    if index < len(title):
        parts.append((title[index:], False))
    return tuple(parts)


def _prefix_length(token: str, word: str) -> int:
    """How many characters of ``token`` spell ``word`` once folded (0 if they do not)."""
    folded = ""
    for count, char in enumerate(token, 1):
        folded += fold(char)
        if len(folded) >= len(word):
            return count if folded.startswith(word) else 0
        if not word.startswith(folded):
            return 0
    return 0
