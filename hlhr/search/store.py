"""Where the index lives on disk: generations, the ``CURRENT`` pointer, the cursor, searchers.

Layout of ``SEARCH_INDEX_DIR``::

    CURRENT                 name of the live generation (replaced atomically by a rebuild)
    gen-<time>-<random>/    a complete Whoosh index plus ``search-state.json`` (its cursor)

Every reader of the index goes through :meth:`IndexStore.searcher`, which reuses one
searcher per thread and refreshes it when the index or the live generation changed.
"""

import contextlib
import gc
import json
import logging
import os
import secrets
import shutil
import threading
import time
import traceback
import warnings
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index, reading, searching
from whoosh.filedb.filestore import FileStorage

from .schema import make_schema

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
STATE_FILE = "search-state.json"
GENERATION_PREFIX = "gen-"
WRITELOCK_FILE = "MAIN_WRITELOCK"  # the file ``ix.lock("WRITELOCK")`` locks
KEEP_OLD_GENERATIONS = 1  # the previous one may still be open in another process


class SearchUnavailable(RuntimeError):
    """The index is missing, damaged or unreadable: search answers 503 until a rebuild."""


class IndexDiskFull(SearchUnavailable):
    """The disk under the index is full: the write failed and was undone. The live index
    still serves what it held; the change log keeps every change for when space returns."""


class IndexBusy(RuntimeError):
    """Another writer holds the index lock; the change log keeps the work for later."""


def _fresh_name() -> str:
    return f"{GENERATION_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def _guarded(action, verb):
    """Run ``action``; any failure of a damaged index becomes :class:`SearchUnavailable`.

    Whoosh leaves the file of a damaged TOC or segment open when it raises; the file is
    closed as the error is dropped here, so its ResourceWarning is expected and silenced.
    """
    problem = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return action()
        except SearchUnavailable:
            raise
        except Exception as error:  # whoosh raises many kinds for a damaged folder
            problem = f"{type(error).__name__}: {error}"
            traceback.clear_frames(error.__traceback__)
        gc.collect()  # whoosh's leaked files sit in reference cycles
    raise SearchUnavailable(f"the search index cannot be {verb} ({problem})")


def _abandoned(path: Path) -> bool:
    """Whether no process is building the unfinished generation at ``path``."""
    lock = FileStorage(str(path)).lock(WRITELOCK_FILE)
    if not lock.acquire(blocking=False):
        return False
    lock.release()
    return True


def _reader_reusing(ix, old):
    """A reader of ``ix`` that reuses the segment readers of ``old`` (which is given up)
    whose segments did not change; the rest of ``old`` is closed.

    Opening a 5,000-document segment's reader costs 10-20 ms here. whoosh-reloaded's own
    reuse (behind ``Searcher.refresh``) keeps the segments a merge removed and ignores
    deletions made since: measured, a refreshed searcher found 37 documents where the
    index held 16. A segment's deletions only grow, so an equal count means unchanged.
    """
    toc = ix._read_toc()
    reusable = {
        reader.segment().segment_id(): reader
        for reader, _offset in old.leaf_readers()
        if isinstance(reader, reading.SegmentReader)
    }
    readers = []
    for segment in toc.segments:
        reader = reusable.get(segment.segment_id())
        if reader is not None and reader.segment().deleted_count() == segment.deleted_count():
            del reusable[segment.segment_id()]
        else:
            reader = reading.SegmentReader(ix.storage, toc.schema, segment, toc.generation)
        readers.append(reader)
    for unused in reusable.values():
        unused.close()
    if not readers:
        return reading.EmptyReader(toc.schema)
    return readers[0] if len(readers) == 1 else reading.MultiReader(readers, toc.generation)


def cancel_quietly(writer) -> None:
    """Cancel a whoosh writer after a failure without hiding that failure: closing its files
    flushes them, which fails again on a full disk; its temporary folder goes regardless."""
    try:
        writer.cancel()
    except Exception:
        with contextlib.suppress(Exception):
            writer.pool.cleanup()
        with contextlib.suppress(Exception):
            writer._finish()  # removes the temporary folder, releases a lock it holds


def _write_atomically(temp: Path, target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` in one rename; a failed write leaves no temp file."""
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class IndexStore:
    """One index folder: the live generation, its cursor state and per-thread searchers."""

    def __init__(self, root):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._searchers: dict[int, tuple[Path, object]] = {}

    # -- the live generation -------------------------------------------------------------

    def live_dir(self) -> Path:
        """:raise SearchUnavailable: when there is no live index (never built, or removed)."""
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SearchUnavailable("no search index has been built") from error
        path = self.root / name
        if not name.startswith(GENERATION_PREFIX) or not path.is_dir():
            raise SearchUnavailable(f"the live search index {name!r} is missing")
        return path

    def is_live(self, path: Path) -> bool:
        try:
            return self.live_dir() == path
        except SearchUnavailable:
            return False

    def open(self, path: Path | None = None):
        """The Whoosh index of the live generation.

        :raise SearchUnavailable: when it cannot be opened.
        """
        path = path or self.live_dir()
        return _guarded(lambda: index.open_dir(str(path)), "opened")

    def new_generation(self):
        """Create an empty index in a fresh folder (not live until :meth:`switch_to`)."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / _fresh_name()
        path.mkdir()
        try:
            return path, index.create_in(str(path), make_schema())
        except BaseException:
            self.discard(path)
            raise

    def discard(self, path: Path) -> None:
        """Remove an unfinished generation (a failed build: it must not keep its space)."""
        shutil.rmtree(path, ignore_errors=True)

    def switch_to(self, path: Path) -> None:
        """Make ``path`` the live generation in one rename, then prune old generations.

        :raise OSError: before the switch only (the old generation stays live).
        """
        pointer = self.root / f".{CURRENT}.{secrets.token_hex(4)}"
        _write_atomically(pointer, self.root / CURRENT, path.name + "\n")
        try:
            self._prune(keep={path.name})
        except OSError as error:  # another process pruned at the same time; the next rebuild will
            log.warning("search index: old generations not pruned (%s)", error)

    def _prune(self, keep: set[str]) -> None:
        """Remove the generations nobody needs: all but the newest finished old one (it may
        still be open in another process), and builds that were abandoned (killed before
        they wrote their cursor, and no rebuild holds their lock any more)."""
        olds = sorted(
            (p for p in self.root.glob(f"{GENERATION_PREFIX}*") if p.name not in keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        finished = [p for p in olds if (p / STATE_FILE).exists()]
        for old in finished[KEEP_OLD_GENERATIONS:]:
            shutil.rmtree(old, ignore_errors=True)
        for old in olds:
            if old not in finished and _abandoned(old):
                shutil.rmtree(old, ignore_errors=True)

    # -- the cursor ------------------------------------------------------------------------

    @staticmethod
    def read_state(path: Path) -> dict:
        """The cursor of a generation: ``floor`` and the ``applied`` log ids above it."""
        try:
            data = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
            return {"floor": int(data["floor"]), "applied": [int(i) for i in data["applied"]]}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SearchUnavailable("the search index cursor is missing or damaged") from error

    @staticmethod
    def write_state(path: Path, state: dict) -> None:
        """Replace the cursor atomically (written while holding the index write lock)."""
        temp = path / f".{STATE_FILE}.{secrets.token_hex(4)}"
        _write_atomically(temp, path / STATE_FILE, json.dumps(state))

    # -- writing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, ix, timeout: float):
        """Hold Whoosh's own WRITELOCK (shared with every process) for up to ``timeout``.

        :raise IndexBusy: when another writer keeps it longer.
        """
        lock = ix.lock("WRITELOCK")
        deadline = time.monotonic() + timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise IndexBusy("the search index is being written by another process")
            time.sleep(0.02)
        try:
            yield
        finally:
            lock.release()

    # -- reading -------------------------------------------------------------------------------

    def searcher(self):
        """This thread's searcher on the live generation, refreshed when the index changed.

        :raise SearchUnavailable: when the index cannot be read.
        """
        path = self.live_dir()
        key = threading.get_ident()
        with self._lock:
            held = self._searchers.get(key)
        searcher = _guarded(lambda: self._fresh_searcher(held, path), "read")
        with self._lock:
            self._searchers[key] = (path, searcher)
        return searcher

    def _fresh_searcher(self, held, path):
        if held is not None and held[0] == path:
            if held[1].up_to_date():
                return held[1]
            ix = index.open_dir(str(path))
            return searching.Searcher(_reader_reusing(ix, held[1].reader()), fromindex=ix)
        if held is not None:
            held[1].close()
        return index.open_dir(str(path)).searcher()

    def forget_searcher(self) -> None:
        """Drop this thread's searcher (after it failed), so the next call reopens."""
        with self._lock:
            held = self._searchers.pop(threading.get_ident(), None)
        if held is not None:
            with contextlib.suppress(Exception):
                held[1].close()

    def close(self) -> None:
        """Close every searcher this store opened (app teardown, tests)."""
        with self._lock:
            held, self._searchers = list(self._searchers.values()), {}
        for _path, searcher in held:
            with contextlib.suppress(Exception):
                searcher.close()
