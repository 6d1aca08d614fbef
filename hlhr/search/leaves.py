"""Per-segment data reused across searches: who is visible when, facet groups, dates.

Whoosh segments never change once written (deletions only hide documents, and hidden
documents never match), so what is derived from one segment is cached per process and
shared by every searcher that still contains it. Document numbers are global (segment
offset added), ready to intersect with the documents a query matched.
"""

import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import chain

from .schema import NO_EXPIRY

GROUP_FIELDS = ("section_slug", "tag_slug", "year", "script", "kind")
FACET_FIELDS = ("section_slug", "tag_slug", "year")
MAX_CACHED = 256
_cache: dict = {}
_cache_lock = threading.Lock()


class Leaf:
    """What one segment holds, by global document number."""

    def __init__(self, reader, offset, key):
        self.key = key
        count = reader.doc_count_all()
        published = list(reader.column_reader("published")) if count else []
        expires = list(reader.column_reader("expires")) if count else []
        self.offset, self.times = offset, published
        self.published = sorted((t, d + offset) for d, t in enumerate(published))
        self.expiring = sorted((t, d + offset) for d, t in enumerate(expires) if t < NO_EXPIRY)
        self.groups = {name: _groups(reader, name, offset) for name in GROUP_FIELDS}
        # Each document's values of a facet field, by local number (for counting matches).
        self.values = {name: _values(self.groups[name], offset, count) for name in FACET_FIELDS}
        self._visible = (0, -1, frozenset())

    def visible(self, now: int) -> frozenset:
        """Documents published at or before ``now`` and not expired (cached until a change)."""
        since, until, docs = self._visible
        if since <= now < until:
            return docs
        cut = bisect_right(self.published, (now, float("inf")))
        gone = {d for t, d in self.expiring if t <= now}
        docs = frozenset(d for _, d in self.published[:cut]) - gone
        changes = [t for t, _ in self.expiring if t > now]
        if cut < len(self.published):
            changes.append(self.published[cut][0])
        self._visible = (now, min(changes, default=NO_EXPIRY), docs)
        return docs

    def published_between(self, start: int, end: int) -> set:
        low = bisect_left(self.published, (start, -1))
        high = bisect_left(self.published, (end, -1))
        return {d for _, d in self.published[low:high]}


def _groups(reader, fieldname, offset):
    groups = {}
    if fieldname not in reader.schema or not reader.doc_count_all():
        return groups
    for term in reader.lexicon(fieldname):
        ids = reader.postings(fieldname, term).all_ids()
        groups[term.decode("utf-8")] = frozenset(d + offset for d in ids)
    return groups


def _values(groups, offset, count) -> list[tuple]:
    values: list[tuple] = [()] * count
    for value, members in groups.items():
        for docnum in members:
            values[docnum - offset] += (value,)
    return values


def _leaf(reader, offset) -> Leaf:
    segment = reader.segment() if hasattr(reader, "segment") else None
    key = (segment.segment_id() if segment else id(reader), offset, reader.doc_count_all())
    leaf = _cache.get(key)
    if leaf is None:
        leaf = Leaf(reader, offset, key)
        with _cache_lock:
            if len(_cache) >= MAX_CACHED:
                _cache.pop(next(iter(_cache)))
            _cache[key] = leaf
    return leaf


_combined: dict = {}


def _remembered(key, make):
    """What ``make()`` returns for ``key``, kept for the next searches of the same index
    (a few keys: the live index changes rarely)."""
    found = _combined.get(key)
    if found is None:
        found = make()
        with _cache_lock:
            if len(_combined) >= 32:
                _combined.pop(next(iter(_combined)))
            _combined[key] = found
    return found


class Leaves:
    """All segments of one searcher."""

    def __init__(self, searcher):
        self.leaves = [_leaf(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self.offsets = [leaf.offset for leaf in self.leaves]
        self.key = tuple(leaf.key for leaf in self.leaves)  # changes with any index change

    def published(self, docnum: int) -> int:
        """When a document was (or will be) published, in epoch seconds."""
        leaf = self.leaves[bisect_right(self.offsets, docnum) - 1]
        return leaf.times[docnum - leaf.offset]

    def visible(self, now: int) -> frozenset:
        parts = [leaf.visible(now) for leaf in self.leaves]
        if len(parts) == 1:
            return parts[0]
        # Each part stays the same object until its segment's visibility changes; kept with
        # the union, so no other set can take its id while the entry lives.
        key = (self.key, *map(id, parts))
        return _remembered(key, lambda: (parts, frozenset().union(*parts)))[1]

    def group(self, fieldname: str, value: str) -> set:
        return set().union(*(leaf.groups[fieldname].get(value, ()) for leaf in self.leaves))

    def published_between(self, start: int, end: int) -> set:
        return set().union(*(leaf.published_between(start, end) for leaf in self.leaves))

    def counts(self, fieldname: str, docs) -> Counter:
        """How many of ``docs`` have each value of a facet field."""
        if len(self.leaves) == 1:
            values = self.leaves[0].values[fieldname]
        else:  # global document numbers run through the segments in order
            leaves = self.leaves
            values = _remembered(
                (self.key, fieldname),
                lambda: list(chain.from_iterable(leaf.values[fieldname] for leaf in leaves)),
            )
        found = Counter(chain.from_iterable(map(values.__getitem__, docs)))
        found.pop("", None)  # no section, no tags
        return found
