"""The search service of one app: answers searches, suggestions and related posts."""

import contextlib
import functools
import gc
import logging
import os
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import undefer
from whoosh import query

from .. import diskfull
from ..content import plain_text
from ..extensions import db
from ..models import Category, Post, PostKind, Tag, utcnow, visible_posts
from . import indexing, spelling
from .highlighting import mark_title, snippet
from .leaves import Leaves
from .params import SearchFilters
from .querying import allowed_docs, make_parser, parse, positive_words, run
from .schema import NGRAM_MAX, NO_EXPIRY, QUERY_FIELDS, WORDS, make_schema, stemmed
from .store import IndexBusy, IndexDiskFull, IndexStore, SearchUnavailable
from .suggesting import mark_prefixes

log = logging.getLogger(__name__)
FEW_RESULTS = 3
TAG_FACET_SIZE = 15
RELATED_CACHE_SIZE = 4096
DISK_FULL_RETRY_SECONDS = 30  # readers retry applying the change log after a full disk


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    active: bool


@dataclass(frozen=True)
class Hit:
    post: Post
    title: Markup
    snippet: Markup


@dataclass
class SearchResults:
    query: str
    filters: SearchFilters
    page: int
    per_page: int
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None  # "Did you mean …?" (the results shown are for ``query``)
    corrected_from: str | None = None  # nothing matched this, so ``query`` was searched
    cut_short: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Suggestion:
    post: Post
    parts: tuple[tuple[str, bool], ...]  # title pieces, True where the typed prefix matched


class SearchService:
    def __init__(self, config):
        self.config = config
        self.store = IndexStore(config["SEARCH_INDEX_DIR"])
        parser = make_parser(make_schema())
        # Parsing costs about half a millisecond; whoosh queries are not changed by searching.
        self.parse = functools.lru_cache(maxsize=1024)(functools.partial(parse, parser))
        self._related: dict = {}
        self._related_lock = threading.Lock()  # also guards _label_cache
        self._label_cache: dict = {}
        self._disk_full_until = 0.0  # time.monotonic() before which readers skip catch_up

    @property
    def settings(self) -> indexing.Settings:
        return indexing.Settings(
            zone=ZoneInfo(self.config["SITE_TIMEZONE"]),
            lock_timeout=self.config["SEARCH_LOCK_TIMEOUT"],
            window=timedelta(seconds=self.config["SEARCH_LOG_WINDOW"]),
            processes=min(self.config["SEARCH_REBUILD_PROCESSES"], os.cpu_count() or 1),
            parallel_from=self.config["SEARCH_REBUILD_PARALLEL_FROM"],
        )

    # -- keeping up with the database ----------------------------------------------------

    def sync(self, lock_timeout: float | None = None) -> int:
        """Apply the change log; :raise IndexBusy, SearchUnavailable:."""
        settings = self.settings
        if lock_timeout is not None:
            settings = replace(settings, lock_timeout=lock_timeout)
        with self.index_errors("applying the change log"):
            return indexing.apply_search_log(self.store, settings)

    def catch_up(self) -> None:
        """Serve what was committed: apply new log rows first, unless another writer is busy
        or the index's disk is full (then the index serves what it holds, and readers stop
        retrying the write for a while; the change log keeps every change)."""
        if time.monotonic() < self._disk_full_until:
            return
        try:
            self.sync()
        except IndexBusy:
            log.info("search index busy; serving it slightly behind the change log")
        except IndexDiskFull:
            self._disk_full_until = time.monotonic() + DISK_FULL_RETRY_SECONDS

    @contextlib.contextmanager
    def index_errors(self, doing: str, damage: bool = True):
        """Any failure of the index while ``doing`` becomes :class:`SearchUnavailable`
        (:class:`IndexDiskFull` when it ran out of space). With ``damage=False`` only a full
        disk is: a rebuild writes a fresh folder, so its other errors are bugs to show.

        Database errors and a busy lock pass through. Whoosh leaves the files of damaged
        segments open when it raises; they close as the error is dropped here, so their
        ResourceWarning is expected and silenced.
        """
        failed = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                yield
            except (SearchUnavailable, IndexBusy, SQLAlchemyError):
                raise
            except Exception as error:  # whoosh raises many kinds for a damaged folder
                if not (damage or diskfull.is_out_of_space(error)):
                    raise
                failed = self._failure(error, doing)
                traceback.clear_frames(error.__traceback__)
            if failed:
                gc.collect()  # whoosh's leaked files sit in reference cycles
        if failed:
            raise failed  # not chained: a kept traceback would keep whoosh's leaked files open

    def _failure(self, error: Exception, doing: str) -> SearchUnavailable:
        """Log ``error`` and say what it means: a full disk, or a damaged index."""
        if diskfull.is_out_of_space(error):
            message = self._no_space(doing)
            log.error("%s; the change log keeps every change until space is freed", message)
            return IndexDiskFull(message)
        log.error("search index failure while %s:\n%s", doing, traceback.format_exc())
        self.store.forget_searcher()
        return SearchUnavailable(f"the search index failed while {doing}")

    def _no_space(self, doing: str) -> str:
        where = self.store.root
        return f"no space left on the disk holding the search index ({where}) while {doing}"

    def rebuild(self, progress=None) -> indexing.RebuildReport:
        """:raise IndexDiskFull: nothing of the new index is left; the old one still serves."""
        with self.index_errors("rebuilding", damage=False):
            report = indexing.rebuild(self.store, self.settings, progress)
        with self._related_lock:
            self._related.clear()
        return report

    # -- searching -----------------------------------------------------------------------

    def search(self, text: str, filters: SearchFilters, page: int = 1, now=None):
        """:raise SearchUnavailable: the index is missing or damaged."""
        now = now or utcnow()
        with self.index_errors("searching"):
            self.catch_up()
            return self._search(self.store.searcher(), text, filters, page, now)

    def _search(self, searcher, text, filters, page, now):
        per_page = self.config["SEARCH_PER_PAGE"]
        results = SearchResults(text, filters, page, per_page)
        parsed = self.parse(text)
        if parsed is None:
            return results
        leaves = Leaves(searcher)
        allow = allowed_docs(leaves, int(now.timestamp()), filters, self._bounds)
        matches = self._match(searcher, parsed, allow, page * per_page, filters)
        if len(matches.docs) < FEW_RESULTS:
            held = functools.partial(_held, searcher, allow)
            better = spelling.correct(searcher.reader(), text, held)
            retried = self._retry(searcher, better, allow, page * per_page, filters, matches)
            if retried is not None:
                results.corrected_from, results.query = text, better
                parsed, matches = retried
            else:
                results.suggestion = better
        results.total, results.cut_short = len(matches.docs), matches.cut_short
        start = (page - 1) * per_page
        chosen = [docnum for _score, docnum in matches.top[start : start + per_page]]
        results.hits = self._hits(searcher, chosen, positive_words(parsed), now)
        results.facets = self._facets(leaves, matches.docs, filters)
        return results

    def _match(self, searcher, parsed, allow, limit, filters):
        newest = filters.sort == "newest"
        return run(searcher, parsed, allow, limit, newest, self.config["SEARCH_TIME_LIMIT"])

    def _retry(self, searcher, better, allow, limit, filters, matches):
        """Search the corrected text when the original found nothing at all."""
        if better is None or matches.docs:
            return None
        parsed = self.parse(better)
        if parsed is None:
            return None
        retried = self._match(searcher, parsed, allow, limit, filters)
        return (parsed, retried) if retried.docs else None

    def _bounds(self, filters: SearchFilters):
        zone = ZoneInfo(self.config["SITE_TIMEZONE"])
        start, end = 0, NO_EXPIRY
        if filters.date_from:
            start = int(datetime.combine(filters.date_from, datetime.min.time(), zone).timestamp())
        if filters.date_to:
            day_after = filters.date_to + timedelta(days=1)
            end = int(datetime.combine(day_after, datetime.min.time(), zone).timestamp())
        return start, end

    def _hits(self, searcher, docnums, words, now) -> list[Hit]:
        stored = [searcher.stored_fields(d) for d in docnums]
        kinds = {PostKind(f["kind"]) for f in stored}
        posts = visible_by_id([int(f["id"]) for f in stored], now, kinds)
        hits = []
        for found in stored:
            post = posts.get(int(found["id"]))
            if post is not None:  # re-checked against the database: never show a hidden row
                body = snippet(plain_text(post.body_html or ""), words, post.excerpt or "")
                hits.append(Hit(post, mark_title(post.title, words), body))
        return hits

    def _facets(self, leaves, docs, filters) -> dict[str, list[FacetValue]]:
        if not docs:
            return {}
        sections = leaves.counts("section_slug", docs)
        tags = dict(leaves.counts("tag_slug", docs).most_common(TAG_FACET_SIZE))
        years = sorted(leaves.counts("year", docs).items(), reverse=True)
        return {
            "section": _facet(sections, self._labels(leaves, Category, sections), filters.section),
            "tag": _facet(tags, self._labels(leaves, Tag, tags), filters.tag),
            "year": [FacetValue(y, y, n, y == filters.year) for y, n in years],
        }

    def _labels(self, leaves, model, slugs) -> dict:
        """Names of section or tag slugs, remembered while the index stays the same (renaming
        one re-indexes its posts, so the index changes with it)."""
        key = (leaves.key, model.__name__)
        known = self._label_cache.get(key, {})
        missing = [slug for slug in slugs if slug not in known]
        if missing:
            rows = db.session.execute(select(model.slug, model.name).where(model.slug.in_(missing)))
            known = {**known, **dict.fromkeys(missing), **dict(rows.all())}
            with self._related_lock:
                if len(self._label_cache) > 8:
                    self._label_cache.clear()
                self._label_cache[key] = known
        return {slug: known[slug] for slug in slugs if known.get(slug)}

    # -- the live box --------------------------------------------------------------------

    def suggest(self, prefix: str, limit: int = 5, now=None) -> list[Suggestion]:
        """Up to ``limit`` visible posts whose title words start with the typed words.

        Uses the edge-n-gram title field: never a wildcard over article bodies.
        :raise SearchUnavailable: the index is missing or damaged.
        """
        words = [token.text[:NGRAM_MAX] for token in WORDS(prefix)][:8]
        if not words or len("".join(words)) < 2:
            return []
        now = now or utcnow()
        with self.index_errors("suggesting"):
            self.catch_up()
            return self._suggest(self.store.searcher(), words, limit, now)

    def _suggest(self, searcher, words, limit, now):
        parsed = query.And([query.Term("title_edge", word) for word in words])
        leaves = Leaves(searcher)
        allow = leaves.visible(int(now.timestamp()))
        matches = run(searcher, parsed, allow, limit * 2, False, self.config["SEARCH_TIME_LIMIT"])
        ranked = sorted(matches.top, key=lambda hit: (-round(hit[0], 4), -leaves.published(hit[1])))
        ids = [int(searcher.stored_fields(d)["id"]) for _score, d in ranked]
        posts = visible_by_id(ids, now)
        chosen = [posts[i] for i in ids if i in posts][:limit]
        return [Suggestion(post, mark_prefixes(post.title, words)) for post in chosen]

    # -- related posts ---------------------------------------------------------------------

    def related(self, post: Post, limit: int = 6, now=None) -> list[Post]:
        """Visible posts like ``post`` (same script), topped up with its section's newest.

        Never raises for index trouble: the article page must keep working.
        """
        now = now or utcnow()
        ids = []
        with contextlib.suppress(SearchUnavailable), self.index_errors("finding related posts"):
            ids = self._related_ids(post.id, limit, now)
        found = visible_by_id(ids, now, kinds=(PostKind.POST,))
        chosen = [found[i] for i in ids if i in found][:limit]
        if len(chosen) < limit and post.category_id is not None:
            seen = [post.id, *(p.id for p in chosen)]
            chosen += db.session.scalars(
                visible_posts(now)
                .where(Post.category_id == post.category_id, Post.id.not_in(seen))
                .limit(limit - len(chosen))
            )
        return chosen

    def _related_ids(self, post_id, limit, now):
        key = (post_id, limit)
        ttl = self.config["SEARCH_RELATED_CACHE_SECONDS"]
        cached = self._related.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        ids = self._more_like(post_id, limit * 2, now)
        with self._related_lock:
            if len(self._related) >= RELATED_CACHE_SIZE:
                self._related.pop(next(iter(self._related)))
            self._related[key] = (time.monotonic() + ttl, ids)
        return ids

    def _more_like(self, post_id, top, now):
        searcher = self.store.searcher()
        docnum = searcher.document_number(id=str(post_id))
        if docnum is None:
            return []
        stored = searcher.stored_fields(docnum)
        leaves = Leaves(searcher)
        allow = set(leaves.visible(int(now.timestamp())))
        allow &= leaves.group("kind", PostKind.POST.value)
        allow &= leaves.group("script", stored.get("script", ""))
        text = post_text(post_id)
        hits = searcher.more_like(docnum, "body", text=text, top=top, numterms=12, filter=allow)
        return [int(hit["id"]) for hit in hits]

    def close(self):
        self.store.close()


def post_text(post_id) -> str:
    """Title (twice: it says most), excerpt and the start of the body, for "more like this"."""
    post = db.session.get(Post, post_id)
    if post is None:
        return ""
    body = plain_text(post.body_html or "")[:8000]
    return f"{post.title} {post.title} {post.excerpt or ''} {body}"


def visible_by_id(ids, now, kinds=(PostKind.POST, PostKind.PAGE)) -> dict[int, Post]:
    """The posts among ``ids`` readers may see at ``now``, loaded as ``visible_posts``
    loads them for cards. Looked up by primary key, then the one visibility rule is
    applied to each row: with the rule in SQL, SQLite scans its date index instead."""
    if not ids:
        return {}
    query = select(Post).where(Post.id.in_(ids)).options(undefer(Post.comment_count))
    rows = db.session.scalars(query)
    return {post.id: post for post in rows if post.kind in kinds and post.is_visible(now)}


def _held(searcher, allow, word) -> bool:
    """Whether a document in ``allow`` holds ``word`` in a field readers search."""
    reader, term = searcher.reader(), stemmed(word)
    return any(
        any(docnum in allow for docnum in reader.postings(name, term).all_ids())
        for name in QUERY_FIELDS
        if (name, term) in reader
    )


def _facet(counts, labels, active) -> list[FacetValue]:
    values = [FacetValue(s, labels.get(s, s), n, s == active) for s, n in counts.items()]
    return sorted(values, key=lambda v: (-v.count, v.label.lower()))
