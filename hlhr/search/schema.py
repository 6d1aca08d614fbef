"""What the index holds: analyzers, the schema, and a post turned into a document."""

import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from whoosh import analysis, columns, fields
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from ..content import plain_text
from ..models import Post, PostStatus


def _marks(categories) -> list[int]:
    """Code points of the combining marks (BMP scripts) in the Unicode ``categories``."""
    blocks = (range(0x0300, 0x2100), range(0xFE20, 0xFE30))
    return [c for block in blocks for c in block if unicodedata.category(chr(c)) in categories]


def _char_class(points: list[int]) -> str:
    ranges, start = [], points[0]
    for prev, cur in zip(points, [*points[1:], None], strict=True):
        if cur != prev + 1:
            ranges.append(f"\\u{start:04x}-\\u{prev:04x}")
            start = cur
    return "".join(ranges)


# Words keep their combining marks (Arabic harakat, Hindi vowel signs, decomposed accents)
# and Persian's zero-width non-joiner, instead of being cut apart at them.
WORD_CHAR = f"[\\w\\u200c{_char_class(_marks(('Mn', 'Mc', 'Me')))}]"
TOKEN_PATTERN = re.compile(f"{WORD_CHAR}+(?:\\.?{WORD_CHAR}+)*")
# Accent folding ("Genève" == "geneve"); non-spacing marks, tatweel and ZWNJ dropped, so
# vowelled and unvowelled spellings meet.
FOLD_MAP = dict(accent_map) | dict.fromkeys(_marks(("Mn",))) | {0x0640: None, 0x200C: None}
NGRAM_MAX = 20
# No stop words: "WHO" is an organisation here, and phrases must keep every word.
WORDS = (
    analysis.RegexTokenizer(TOKEN_PATTERN)
    | analysis.LowercaseFilter()
    | analysis.CharsetFilter(FOLD_MAP)
)
STEMMED = WORDS | analysis.StemFilter()
# The ``spell`` value is already a list of surface words (``surface_words``), one space apart.
WORD_LIST = analysis.RegexTokenizer(r"[^ ]+")
EDGE_NGRAMS = WORDS | analysis.NgramFilter(minsize=1, maxsize=NGRAM_MAX, at="start")
INDEXED_STATUSES = (PostStatus.PUBLISHED, PostStatus.SCHEDULED)
NO_EXPIRY = 2**62
VOCABULARY_KIND = "vocabulary"
SCRIPT_RE = re.compile(r"[^\W\d_]")
# Fields a reader may name in a query (``tag:torture``), all analysed like the body.
QUERY_FIELDS = ("title", "excerpt", "body", "tag", "section", "author")
# Query-time weights: BM25 saturates term frequency, so index-time field boosts barely
# count; these multiply each field's score. Excerpts often repeat the body's opening.
FIELD_WEIGHTS = {"title": 4.0, "tag": 2.0, "section": 1.0, "author": 1.0, "excerpt": 0.5}


def make_schema() -> fields.Schema:
    """Only what filters, sorting and ``check`` need is stored: texts are read from the
    database for the ten hits shown, which keeps rebuilds and the index small."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(stored=True),
        title=fields.TEXT(STEMMED),
        excerpt=fields.TEXT(STEMMED),
        body=fields.TEXT(STEMMED),
        tag=fields.TEXT(STEMMED),
        section=fields.TEXT(STEMMED),
        author=fields.TEXT(STEMMED),
        tag_slug=fields.KEYWORD(commas=True),
        section_slug=fields.ID(),
        year=fields.ID(),
        # Columns only: visibility, date filters and sorting read them per segment (leaves.py);
        # no query ever needs their terms (a 64-bit NUMERIC indexes 16 terms per document).
        published=fields.COLUMN(columns.NumericColumn("q")),
        expires=fields.COLUMN(columns.NumericColumn("q", default=NO_EXPIRY)),
        title_edge=fields.TEXT(EDGE_NGRAMS, phrase=False),
        # The "did you mean" vocabulary: surface words (spelling.py). (Scorable only because
        # whoosh stats the disk per posting of a field without a length column.)
        spell=Vocabulary(),
        script=fields.ID(stored=True),
        fingerprint=fields.STORED(),
    )


class Vocabulary(fields.TEXT):
    """Surface words with how many documents use them: a post's words (a string, each
    word counted once) or, for a rebuild, one vocabulary document holding every word with
    its count (a mapping) instead of a posting per word per post."""

    def __init__(self):
        super().__init__(WORD_LIST, phrase=False)

    def index(self, value, **kwargs):
        if isinstance(value, str):
            return super().index(value, **kwargs)
        return ((w.encode("utf-8"), n, float(n), pack_uint(n)) for w, n in value.items() if n > 0)


def vocabulary_document(counts) -> dict:
    """The index document carrying a rebuild's vocabulary: no id, never visible."""
    return {"kind": VOCABULARY_KIND, "spell": counts, "published": NO_EXPIRY}


def is_indexed(post: Post | None) -> bool:
    """Rows the index holds: published or scheduled; the clock is applied at query time."""
    return post is not None and post.status in INDEXED_STATUSES and post.published_at is not None


def epoch(moment: datetime | None) -> int:
    return NO_EXPIRY if moment is None else int(moment.timestamp())


def from_epoch(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


@functools.lru_cache(maxsize=4096)
def _script_of(letter: str) -> str:
    return unicodedata.name(letter, "UNKNOWN").split(" ", 1)[0].lower()


def dominant_script(text: str) -> str:
    """'latin', 'arabic', ...: the script most letters belong to (for same-language lists)."""
    sample = text[:1500]
    if sample.isascii():  # every ASCII letter is Latin
        return "latin" if SCRIPT_RE.search(sample) else "none"
    counts: dict[str, int] = {}
    for letter, times in Counter(SCRIPT_RE.findall(sample)).items():
        name = _script_of(letter)
        counts[name] = counts.get(name, 0) + times
    return max(counts, key=counts.get) if counts else "none"


# -- the analyzers above as plain functions, for building a whole index fast (bulk.py) ------
# Each returns the terms its analyzer yields, in token order; tests hold them equal.


# TOKEN_PATTERN on ASCII text, where it matches exactly this (and a third faster).
_ASCII_TOKEN = re.compile(r"\w+(?:\.\w+)*", re.ASCII)


def token_pattern(text: str) -> re.Pattern:
    """TOKEN_PATTERN, or its faster ASCII equal when ``text`` is ASCII."""
    return _ASCII_TOKEN if text.isascii() else TOKEN_PATTERN


@functools.lru_cache(maxsize=8)
def tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the analyzers cut them (kept for the next field or two
    that analyse the same text)."""
    return tuple(token_pattern(text).findall(text))


@functools.lru_cache(maxsize=200_000)
def folded(token: str) -> str:
    return token.lower().translate(FOLD_MAP)


@functools.lru_cache(maxsize=200_000)
def stemmed(token: str) -> str:
    """A token as STEMMED indexes it (also how highlighting compares words)."""
    return stem(folded(token))


def stemmed_terms(text: str) -> list[str]:
    return list(map(stemmed, tokens(text)))


def word_list_terms(text: str) -> list[str]:
    return [word for word in text.split(" ") if word]


def edge_ngram_terms(text: str) -> list[str]:
    return [
        word[:size]
        for word in map(folded, tokens(text))
        for size in range(1, min(NGRAM_MAX, len(word)) + 1)
    ]


FAST_TERMS = (
    (STEMMED, stemmed_terms),
    (WORD_LIST, word_list_terms),
    (EDGE_NGRAMS, edge_ngram_terms),
)


def fast_terms(analyzer):
    """The plain function equal to ``analyzer`` (one of ours), else None."""
    return next((terms for known, terms in FAST_TERMS if known is analyzer), None)


def surface_words(*texts: str) -> str:
    """Each lowercased word once, as the ``spell`` field wants them."""
    return " ".join(dict.fromkeys(token.lower() for text in texts for token in tokens(text)))


def document(post: Post, zone: ZoneInfo) -> dict:
    """The index document of an indexed post (tags, category and author loaded)."""
    body = plain_text(post.body_html or "")
    tag_names = " , ".join(t.name for t in post.tags)
    doc = {
        "id": str(post.id),
        "kind": str(post.kind),
        "title": post.title,
        "excerpt": post.excerpt or "",
        "body": body,
        "tag": tag_names,
        "section": post.category.name if post.category else "",
        "author": post.author.display_name if post.author else "",
        "tag_slug": ",".join(t.slug for t in post.tags),
        "section_slug": post.category.slug if post.category else "",
        "year": str(post.published_at.astimezone(zone).year),
        "published": epoch(post.published_at),
        "expires": epoch(post.expires_at),
        "title_edge": post.title,
        "spell": surface_words(post.title, post.excerpt or "", body, tag_names),
        "script": dominant_script(f"{post.title} {body}"),
    }
    doc["fingerprint"] = fingerprint(doc)
    return doc


def fingerprint(doc: dict) -> str:
    """A digest of everything indexed, so ``check`` notices any drift from the database."""
    data = json.dumps({k: v for k, v in doc.items() if k != "fingerprint"}, sort_keys=True)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=12).hexdigest()
