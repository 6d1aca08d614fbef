"""Filling a fresh index with every indexed row, in this process or in a few at once.

Whoosh is pure Python, so one process indexes about as fast as one core allows. A big
rebuild is split into contiguous ranges of post ids; forked worker processes each write
their range as segments of the new index (``BulkWriter``), and this process lists them
all in the index's table of contents at the end. Small rebuilds (tests, a new site) stay
in this process. Nothing here touches the live index: it is a fresh folder that becomes
live only after everything succeeded.
"""

import itertools
import multiprocessing
import os
import queue
import threading
import traceback
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .. import diskfull
from .bulk import BulkWriter
from .schema import document, vocabulary_document
from .store import cancel_quietly

PROGRESS_EVERY = 50


@dataclass(frozen=True)
class Part:
    """The rows with ids ``first`` ..``last`` (``count`` of them)."""

    first: int
    last: int
    count: int


def split(ids: list[int], parts: int) -> list[Part]:
    """``ids`` (sorted) cut into at most ``parts`` contiguous ranges of similar size."""
    parts = max(1, min(parts, len(ids)))
    bounds = [len(ids) * n // parts for n in range(parts + 1)]
    return [
        Part(ids[start], ids[end - 1], end - start)
        for start, end in itertools.pairwise(bounds)
        if end > start
    ]


def fill(ix, engine, zone, parts: list[Part], progress, rows) -> int:
    """Index ``parts`` (one worker process each when more than one and forking is safe)
    and commit the table of contents; return how many documents were added.

    ``rows(session, part)`` yields the posts of a part. :raise RuntimeError: a worker failed.
    """
    toc = ix.writer()  # holds the new index's lock until its table of contents is written
    try:
        if len(parts) > 1 and _can_fork():
            segments = _in_workers(ix, engine, zone, parts, progress, rows)
        elif parts:  # all in this process, as one part: fewer segments search faster
            whole = Part(parts[0].first, parts[-1].last, sum(part.count for part in parts))
            segments = _part_segments(ix, engine, zone, whole, progress, rows)
        else:
            segments = []
        toc._close_segment()  # its own segment stays empty
        toc._commit_toc(segments)
        toc._finish()
    except BaseException:
        cancel_quietly(toc)
        raise
    return sum(part.count for part in parts)


def _can_fork() -> bool:
    """Forking is safe only while this process runs one thread (the CLI); a thread holding
    a lock at the fork would leave it locked forever in the child."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _part_segments(ix, engine, zone, part, progress, rows) -> list:
    """Write the posts of ``part`` as finished (not yet listed) segments of ``ix``."""
    segments, writer, words, added = [], BulkWriter(ix, _lk=False), Counter(), 0
    try:
        with Session(engine) as session:
            for post in rows(session, part):
                if writer.full():
                    segments.append(_finish(writer, words))
                    writer, words = BulkWriter(ix, _lk=False), Counter()
                doc = document(post, zone)
                words.update(doc.pop("spell").split(" "))
                writer.add_document(**doc)
                added += 1
                if added % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
        segments.append(_finish(writer, words))
    except BaseException:
        cancel_quietly(writer)
        raise
    progress(added % PROGRESS_EVERY)
    return segments


def _finish(writer, words):
    """The segment with its vocabulary document (every surface word with its post count)."""
    words.pop("", None)
    if words:
        writer.add_document(**vocabulary_document(words))
    # Not ``commit()``: the table of contents lists every part's segments at the end, and
    # the writers' shared temporary folder is removed with the last one (``fill``).
    return writer._finalize_segment()


# -- worker processes ---------------------------------------------------------------------


def _in_workers(ix, engine, zone, parts, progress, rows) -> list:
    context = multiprocessing.get_context("fork")  # inherits the app; nothing to re-import
    results = context.Queue()
    workers = [
        context.Process(
            target=_work,
            args=(n, ix, engine, zone, part, rows, results, os.getpid()),
            daemon=True,
        )
        for n, part in enumerate(parts)
    ]
    try:
        for worker in workers:
            worker.start()
        found = _collect(workers, results, progress)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
    return [segment for n in range(len(parts)) for segment in found[n]]


def _work(n, ix, engine, zone, part, rows, results, parent):
    """Worker process: index one part, send its segments (or the error) back."""
    engine.dispose(close=False)  # the parent's connections stay the parent's

    def report(count):
        if os.getppid() != parent:
            raise SystemExit("the rebuilding process is gone")
        results.put(("progress", n, count))

    try:
        results.put(("done", n, _part_segments(ix, engine, zone, part, report, rows)))
    except BaseException as error:
        full = diskfull.out_of_space_error(error)
        code = full.errno if full else (error.errno if isinstance(error, OSError) else None)
        results.put(("error", n, (traceback.format_exc(), code)))
        raise SystemExit(1) from None  # the parent reports it (an int: no second traceback)


def _collect(workers, results, progress) -> dict:
    found = {}
    while len(found) < len(workers):
        message = _next_message(workers, results, found)
        if message is None:
            continue
        kind, n, value = message
        if kind == "progress":
            progress(value)
        elif kind == "done":
            found[n] = value
        else:
            raise _worker_error(*value)
    return found


def _worker_error(text, code) -> Exception:
    """The error a worker reported: an OSError keeps its errno (a full disk stays a full disk
    for the caller), with the worker's traceback as its cause."""
    cause = RuntimeError(f"an indexing process failed:\n{text}")
    if code is None:
        return cause
    error = OSError(code, f"{os.strerror(code)} (in an indexing process)")
    error.__cause__ = cause
    return error


def _next_message(workers, results, found):
    """The next message, or None after a quiet second. :raise RuntimeError: a worker died."""
    try:
        return results.get(timeout=1.0)
    except queue.Empty:
        pass
    # A worker that finished flushed its message before exiting; one that was killed did not.
    dead = [w for n, w in enumerate(workers) if n not in found and w.exitcode not in (None, 0)]
    if dead:
        raise RuntimeError(f"an indexing process stopped (exit code {dead[0].exitcode})")
    return None
