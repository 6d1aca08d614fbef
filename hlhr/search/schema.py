"""What the index holds: analyzers, the schema, and a post turned into a document."""

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

# Accent folding ("Genève" == "geneve") plus Arabic harakat and tatweel, so vowelled and
# unvowelled spellings of an Arabic word meet.
FOLD_MAP = dict(accent_map) | {cp: None for cp in (*range(0x064B, 0x0653), 0x0670, 0x0640)}
NGRAM_MAX = 20
# No stop words: "WHO" is an organisation here, and phrases must keep every word.
WORDS = analysis.RegexTokenizer() | analysis.LowercaseFilter() | analysis.CharsetFilter(FOLD_MAP)
STEMMED = WORDS | analysis.StemFilter()
SURFACE = analysis.RegexTokenizer() | analysis.LowercaseFilter()
EDGE_NGRAMS = WORDS | analysis.NgramFilter(minsize=1, maxsize=NGRAM_MAX, at="start")
INDEXED_STATUSES = (PostStatus.PUBLISHED, PostStatus.SCHEDULED)
NO_EXPIRY = 2**62
SCRIPT_RE = re.compile(r"[^\W\d_]")
# Fields a reader may name in a query (``tag:torture``), all analysed like the body.
QUERY_FIELDS = ("title", "excerpt", "body", "tag", "section", "author")


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(stored=True),
        title=fields.TEXT(STEMMED, stored=True, field_boost=3.0),
        excerpt=fields.TEXT(STEMMED, stored=True, field_boost=1.5),
        body=fields.TEXT(STEMMED, stored=True),
        tag=fields.TEXT(STEMMED, field_boost=2.0),
        section=fields.TEXT(STEMMED, stored=True),
        author=fields.TEXT(STEMMED),
        tag_slug=fields.KEYWORD(commas=True, stored=True),
        section_slug=fields.ID(stored=True),
        year=fields.ID(stored=True),
        published=fields.NUMERIC(int, bits=64, stored=True, sortable=True),
        expires=fields.NUMERIC(int, bits=64, stored=True, sortable=True),
        title_edge=fields.TEXT(EDGE_NGRAMS, phrase=False),
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


def dominant_script(text: str) -> str:
    """'latin', 'arabic', ...: the script most letters belong to (for same-language lists)."""
    counts: dict[str, int] = {}
    for letter in SCRIPT_RE.findall(text[:4000]):
        name = unicodedata.name(letter, "UNKNOWN").split(" ", 1)[0].lower()
        counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else "none"


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
        "spell": " ".join((post.title, post.excerpt or "", body, tag_names)),
        "script": dominant_script(f"{post.title} {body}"),
    }
    doc["fingerprint"] = fingerprint(doc)
    return doc


def fingerprint(doc: dict) -> str:
    """A digest of everything indexed, so ``check`` notices any drift from the database."""
    data = json.dumps({k: v for k, v in doc.items() if k != "fingerprint"}, sort_keys=True)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=12).hexdigest()
