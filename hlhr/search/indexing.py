"""Keeping the index equal to the database: apply the change log, rebuild, check, stats.

The cursor of a generation is ``{"floor": F, "applied": [ids > F]}``: every log row up to
F is in the index, and so are the listed younger ones. Rows younger than the re-scan
window stay listed instead of being folded into F, so a row that commits late with a
lower id (PostgreSQL sequences) is still found and applied. Applying a row re-reads its
post, so applying one twice is harmless.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload
from whoosh import index as whoosh_index

from ..extensions import db
from ..models import Post, SearchLog, utcnow
from . import rebuilding
from .schema import (
    INDEXED_STATUSES,
    VOCABULARY_KIND,
    document,
    is_indexed,
)
from .store import IndexStore, SearchUnavailable, cancel_quietly

log = logging.getLogger(__name__)
BATCH = 500
INDEXED = (Post.status.in_(INDEXED_STATUSES), Post.published_at.is_not(None))


@dataclass(frozen=True)
class Settings:
    zone: object
    lock_timeout: float
    window: timedelta
    processes: int = 1  # rebuild with this many processes ...
    parallel_from: int = 2000  # ... once there are this many rows


def _log_rows(session, floor):
    query = select(SearchLog.id, SearchLog.post_id, SearchLog.created_at).where(
        SearchLog.id > floor
    )
    return session.execute(query.order_by(SearchLog.id)).all()


def _unapplied(rows, state):
    applied = set(state["applied"])
    return [row for row in rows if row.id not in applied]


def _advanced(state, rows, window):
    """The cursor once every fetched row is applied (rows inside the window stay listed)."""
    cutoff = utcnow() - window
    floor = max([state["floor"], *(row.id for row in rows if row.created_at < cutoff)])
    return {"floor": floor, "applied": sorted(row.id for row in rows if row.id > floor)}


def pending_count(store: IndexStore) -> int:
    """How many log rows the live index has not applied yet (one indexed query)."""
    state = store.read_state(store.live_dir())
    with Session(db.engine) as session:
        return len(_unapplied(_log_rows(session, state["floor"]), state))


def apply_search_log(store: IndexStore, settings: Settings) -> int:
    """Apply every unapplied log row to the live index; return how many posts were re-read.

    :raise IndexBusy: another writer kept the lock past ``settings.lock_timeout`` (the rows
        stay in the log for the next request or ``flask search sync``).
    :raise SearchUnavailable: the index is missing or damaged.
    """
    path = store.live_dir()
    state = store.read_state(path)
    with Session(db.engine) as session:
        rows = _log_rows(session, state["floor"])
        if not _unapplied(rows, state) and _advanced(state, rows, settings.window) == state:
            return 0
    ix = store.open(path)
    with store.write_lock(ix, settings.lock_timeout), Session(db.engine) as session:
        # Re-read under the lock: another process may have applied some rows meanwhile.
        state = store.read_state(path)
        rows = _log_rows(session, state["floor"])
        post_ids = sorted({row.post_id for row in _unapplied(rows, state)})
        if post_ids:
            _write_posts(ix, session, post_ids, settings.zone, _reusable_searcher(store))
        store.write_state(path, _advanced(state, rows, settings.window))
    return len(post_ids)


def _load_posts(session, post_ids):
    query = select(Post).where(Post.id.in_(post_ids)).options(selectinload(Post.tags))
    return {post.id: post for post in session.scalars(query)}


def _write_posts(ix, session, post_ids, zone, searcher=None):
    writer = ix.writer(_lk=False)  # the caller holds WRITELOCK until the cursor is saved
    try:
        replace = _replacer(writer, searcher)
        for start in range(0, len(post_ids), BATCH):
            chunk = post_ids[start : start + BATCH]
            posts = _load_posts(session, chunk)
            for post_id in chunk:
                post = posts.get(post_id)
                replace(str(post_id), document(post, zone) if is_indexed(post) else None)
        writer.commit()
    except BaseException:
        _abandon(ix, writer)
        raise


def _abandon(ix, writer):
    """Undo a failed write: nothing of it may stay on disk (on a full disk, its files would
    hold the space a retry needs). The caller holds WRITELOCK."""
    cancel_quietly(writer)
    _remove_unlisted_files(ix)


def _remove_unlisted_files(ix):
    """Delete the files of the segment the failed commit was writing (whoosh's ``cancel``
    keeps them until some later commit): every segment file the live table of contents
    does not list."""
    try:
        toc = ix._read_toc()
        whoosh_index.clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
    except Exception as error:  # the commit's own error is the one to report
        log.warning("search index: files of a failed write not removed (%s)", error)


def _reusable_searcher(store):
    try:
        return store.searcher()
    except SearchUnavailable:
        return None


def _replacer(writer, searcher):
    """``replace(post_id, document or None)``: remove the post's old document, add the new.

    Whoosh's ``update_document`` opens a reader on every segment to find the old document,
    most of a one-post commit's cost. This thread's searcher has them open already, and
    its document numbers are the writer's when it reads the same segments (a newer
    deletion elsewhere only makes a deletion here redundant).
    """
    if searcher is not None and _segment_ids(searcher) == [s.segment_id() for s in writer.segments]:

        def replace(post_id, doc):
            for docnum in searcher.document_numbers(id=post_id):
                writer.delete_document(docnum)
            if doc is not None:
                writer.add_document(**doc)

    else:

        def replace(post_id, doc):
            if doc is None:
                writer.delete_by_term("id", post_id)
            else:
                writer.update_document(**doc)

    return replace


def _segment_ids(searcher) -> list:
    segments = [getattr(r, "segment", lambda: None)() for r, _ in searcher.reader().leaf_readers()]
    return [segment.segment_id() if segment else None for segment in segments]


def indexed_posts(session, part=None):
    """Every row the index should hold (or those of ``part``), in id order, in batches."""
    query = (
        select(Post)
        .where(*INDEXED)
        .order_by(Post.id)
        .options(selectinload(Post.tags))
        .execution_options(yield_per=BATCH)
    )
    if part is not None:
        query = query.where(Post.id.between(part.first, part.last))
    return session.scalars(query)


@dataclass
class RebuildReport:
    documents: int
    seconds: float
    path: Path

    @property
    def rate(self):
        return self.documents / self.seconds if self.seconds else 0.0


def count_indexed(session) -> int:
    return session.scalar(select(func.count(Post.id)).where(*INDEXED))


def rebuild(store: IndexStore, settings: Settings, progress=None) -> RebuildReport:
    """Build a complete index in a fresh folder, then make it live in one rename.

    The old generation keeps serving until the switch; ``progress(n)`` is called as
    documents are added. Big archives are indexed by several processes (rebuilding.py).
    """
    started = time.perf_counter()
    path, ix = store.new_generation()
    try:
        count = _fill(store, path, ix, settings, progress or _ignore)
        store.switch_to(path)
    except BaseException:
        if not store.is_live(path):  # e.g. Ctrl-C while old generations were being pruned
            store.discard(path)  # a failed build leaves nothing; the live one still serves
        raise
    return RebuildReport(count, time.perf_counter() - started, path)


def _fill(store, path, ix, settings, progress) -> int:
    with Session(db.engine) as session:
        # Every log row visible now is reflected in the posts read below (they are read
        # later); rows that commit late are not visible yet, so the next sync applies them.
        cutoff = utcnow() - settings.window
        floor = session.scalar(select(func.max(SearchLog.id)).where(SearchLog.created_at < cutoff))
        seen = session.scalars(select(SearchLog.id).where(SearchLog.id > (floor or 0)))
        applied = sorted(seen)
        ids = list(session.scalars(select(Post.id).where(*INDEXED).order_by(Post.id)))
    processes = settings.processes if len(ids) >= settings.parallel_from else 1
    parts = rebuilding.split(ids, processes)
    count = rebuilding.fill(ix, db.engine, settings.zone, parts, progress, indexed_posts)
    store.write_state(path, {"floor": floor or 0, "applied": applied})
    return count


def _ignore(_count):
    pass


@dataclass
class CheckReport:
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    pending: int = 0

    @property
    def ok(self):
        return not (self.missing or self.extra or self.stale)


def check(store: IndexStore, settings: Settings) -> CheckReport:
    """Compare every indexed row of the database with the live index, document by document."""
    with Session(db.engine) as session:
        expected = {
            post.id: document(post, settings.zone)["fingerprint"] for post in indexed_posts(session)
        }
    searcher = store.open().searcher()
    try:
        actual = {
            int(f["id"]): f.get("fingerprint") for f in searcher.all_stored_fields() if "id" in f
        }
    finally:
        searcher.close()
    return CheckReport(
        missing=sorted(expected.keys() - actual.keys()),
        extra=sorted(actual.keys() - expected.keys()),
        stale=sorted(i for i in expected.keys() & actual.keys() if expected[i] != actual[i]),
        pending=pending_count(store),
    )


def stats(store: IndexStore) -> dict:
    """Numbers an operator wants: documents, segments, size, cursor, log backlog."""
    path = store.live_dir()
    ix = store.open(path)
    state = store.read_state(path)
    with ix.reader() as reader, Session(db.engine) as session:
        newest = session.scalar(select(func.max(SearchLog.id)))
        return {
            "generation": path.name,
            "documents": reader.doc_count() - reader.doc_frequency("kind", VOCABULARY_KIND),
            "deleted": reader.doc_count_all() - reader.doc_count(),
            "segments": len(list(reader.leaf_readers())),
            "size_bytes": sum(p.stat().st_size for p in path.iterdir() if p.is_file()),
            "cursor_floor": state["floor"],
            "cursor_window": len(state["applied"]),
            "newest_log_id": newest or 0,
            "pending": pending_count(store),
        }


# -- pruning the change log ------------------------------------------------------------------

PRUNE_BATCH = 5000


@dataclass(frozen=True)
class PrunePlan:
    """Log rows to delete: those logged before ``cutoff`` that ``where`` selects."""

    cutoff: datetime
    where: tuple  # SQL conditions on SearchLog
    last: int  # no id above this one is deleted
    count: int
    has_index: bool


def plan_prune(store: IndexStore, retention: timedelta, now=None) -> PrunePlan:
    """Which change-log rows every node has had ``retention`` to apply.

    Kept whatever their age: rows this node's cursor has not applied, and the newest row
    (SQLite numbers a new row after the highest one left, so an emptied table would start
    again at 1, below every cursor, and such rows would never be applied). The log holds
    post ids and times only, nothing about readers.
    """
    cutoff = (now or utcnow()) - retention
    with Session(db.engine) as session:
        newest = session.scalar(select(func.max(SearchLog.id))) or 0
    where = [SearchLog.id < newest, SearchLog.created_at < cutoff]
    try:
        state = store.read_state(store.live_dir())
        where.append(or_(SearchLog.id <= state["floor"], SearchLog.id.in_(state["applied"])))
        last = min(newest - 1, max([state["floor"], *state["applied"]]))
    except SearchUnavailable:
        state, last = None, newest - 1  # no index: the next rebuild reads the database
    with Session(db.engine) as session:
        count = session.scalar(select(func.count(SearchLog.id)).where(*where))
    return PrunePlan(cutoff, tuple(where), last, count, state is not None)


def prune(plan: PrunePlan, progress=None) -> int:
    """Delete the planned rows in short transactions (each waits for the write lock on
    its own and holds it briefly); ``progress(n)`` after each. Return how many went."""
    deleted = 0
    with Session(db.engine) as session:
        start = session.scalar(select(func.min(SearchLog.id))) or 0
        session.commit()  # a write must begin its own transaction (database.py)
        for low in range(start, plan.last + 1, PRUNE_BATCH):
            batch = (SearchLog.id >= low, SearchLog.id < low + PRUNE_BATCH)
            gone = session.execute(delete(SearchLog).where(*batch, *plan.where)).rowcount
            session.commit()
            deleted += gone
            if progress is not None and gone:
                progress(gone)
    return deleted
