"""What the index holds: analyzers, the schema, and a post turned into a document."""

import functools
import hashlib
import json
import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from whoosh import analysis, fields
from whoosh.support.charset import accent_map

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
SURFACE = analysis.RegexTokenizer(TOKEN_PATTERN) | analysis.LowercaseFilter()
EDGE_NGRAMS = WORDS | analysis.NgramFilter(minsize=1, maxsize=NGRAM_MAX, at="start")
INDEXED_STATUSES = (PostStatus.PUBLISHED, PostStatus.SCHEDULED)
NO_EXPIRY = 2**62
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
        published=fields.NUMERIC(int, bits=64, stored=True, sortable=True),
        expires=fields.NUMERIC(int, bits=64, sortable=True),
        title_edge=fields.TEXT(EDGE_NGRAMS, phrase=False),
        # Surface words once per document: the "did you mean" vocabulary. (Scorable only
        # because whoosh stats the disk per posting of a field without a length column.)
        spell=fields.TEXT(SURFACE, phrase=False),
        script=fields.ID(stored=True),
        fingerprint=fields.STORED(),
    )


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
    counts: dict[str, int] = {}
    for letter in SCRIPT_RE.findall(text[:1500]):
        name = _script_of(letter)
        counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else "none"


def surface_words(*texts: str) -> str:
    """Each lowercased word once, as the ``spell`` field wants them."""
    words = dict.fromkeys(w for t in texts for w in TOKEN_PATTERN.findall(t.lower()))
    return " ".join(words)


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
