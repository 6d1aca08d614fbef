"""Full-text search (the only package that imports whoosh), DESIGN.md section 6.

Views call this facade; each function works on the current app's index::

    search(query, filters, page)  -> SearchResults      suggest(prefix)   -> [Suggestion]
    related(post, limit)          -> [Post]             rebuild()         -> RebuildReport
    sync()                        -> posts re-read      check()           -> CheckReport
    plan_prune(days), prune(plan) -> change-log rows deleted (``flask search prune``)

Indexing policy: a change reaches the index through the change log only, so an index
failure never fails the database write. Search pages answer 503 (``SearchUnavailable``)
while the index is missing or damaged; everything else keeps working.
"""

import logging
import traceback
import weakref
from datetime import timedelta

from flask import current_app, has_app_context

from . import changelog, indexing
from .params import SearchFilters, SearchRequest, clean_text, parse_request
from .service import FacetValue, Hit, SearchResults, SearchService, Suggestion
from .store import IndexBusy, IndexDiskFull, SearchUnavailable

__all__ = [
    "FacetValue",
    "Hit",
    "IndexBusy",
    "IndexDiskFull",
    "SearchFilters",
    "SearchRequest",
    "SearchResults",
    "SearchUnavailable",
    "Suggestion",
    "check",
    "clean_text",
    "init_app",
    "parse_request",
    "plan_prune",
    "prune",
    "rebuild",
    "related",
    "search",
    "stats",
    "suggest",
    "sync",
]
log = logging.getLogger(__name__)
DEFAULTS = {
    "SEARCH_LOCK_TIMEOUT": 0.5,  # seconds a request waits for the index write lock
    "SEARCH_TIME_LIMIT": 0.2,  # seconds a query may run before answering with what it has
    "SEARCH_MAX_QUERY_LENGTH": 200,
    "SEARCH_PER_PAGE": 10,
    "SEARCH_LOG_WINDOW": 60,  # seconds behind the cursor re-scanned for late commits
    "SEARCH_RELATED_CACHE_SECONDS": 600,
    "SEARCH_LOG_RETENTION_DAYS": 7,  # `flask search prune` keeps change-log rows this long
    "SEARCH_REBUILD_PROCESSES": 2,  # at most the machine's cores
    "SEARCH_REBUILD_PARALLEL_FROM": 2000,  # rows; fewer are indexed in the calling process
}


def init_app(app):
    """Attach the search service, the change-log hooks and ``flask search``."""
    from .cli import search_group

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    service = SearchService(app.config)
    app.extensions["hlhr_search"] = service
    weakref.finalize(app, service.close)  # closes searchers with the app, never mid-request
    changelog.install(_apply_after_commit)
    app.cli.add_command(search_group)


def _service() -> SearchService:
    return current_app.extensions["hlhr_search"]


def _apply_after_commit(_session):
    """Best effort after each commit that logged changes: the log keeps whatever fails."""
    if not has_app_context() or "hlhr_search" not in current_app.extensions:
        return
    try:
        _service().sync()
    except (IndexBusy, SearchUnavailable) as error:
        log.info("search index not updated after commit (%s); the change log keeps it", error)
    except Exception:  # a commit already succeeded; never fail the caller
        log.error("search index update failed; the log keeps it:\n%s", traceback.format_exc())


def search(query: str, filters: SearchFilters | None = None, page: int = 1, now=None):
    """Visible posts and pages matching ``query``. :raise SearchUnavailable:"""
    return _service().search(query, filters or SearchFilters(), page, now)


def suggest(prefix: str, limit: int = 5, now=None):
    """Live-box suggestions from the title edge-n-grams. :raise SearchUnavailable:"""
    return _service().suggest(prefix, limit, now)


def related(post, limit: int = 6, now=None):
    """Visible posts like ``post`` for READ ALSO and Related Posts; never raises for the index."""
    return _service().related(post, limit, now)


def rebuild(progress=None):
    """Build a fresh index from the database and switch to it atomically."""
    return _service().rebuild(progress)


def sync(lock_timeout: float | None = None) -> int:
    """Apply the change log now. :raise IndexBusy, SearchUnavailable:"""
    return _service().sync(lock_timeout)


def check():
    """Compare the database with the index document by document."""
    service = _service()
    with service.index_errors("checking"):
        return indexing.check(service.store, service.settings)


def plan_prune(days: int | None = None, now=None) -> indexing.PrunePlan:
    """Change-log rows older than ``days`` (default SEARCH_LOG_RETENTION_DAYS) that this
    node has applied: what ``prune`` would delete."""
    days = current_app.config["SEARCH_LOG_RETENTION_DAYS"] if days is None else days
    return indexing.plan_prune(_service().store, timedelta(days=days), now)


def prune(plan: indexing.PrunePlan, progress=None) -> int:
    """Delete the rows of ``plan``; return how many were deleted."""
    return indexing.prune(plan, progress)


def stats() -> dict:
    service = _service()
    with service.index_errors("reading statistics"):
        return indexing.stats(service.store)
