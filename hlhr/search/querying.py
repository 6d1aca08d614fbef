"""Running a reader's query: a restricted parser, a time limit, filters and facet counts.

The parser has no wildcard, range, boost or match-everything syntax (measured: the default
parser let ``*e*`` run for 53 s); what remains is words, ``"phrases"``, ``-exclude``,
``OR``/``AND``/``NOT``, brackets and ``tag:``/``section:``/``author:``/``title:``.
Every query runs under a time limit and answers with what it found in time.
"""

import logging
import time
from dataclasses import dataclass

from whoosh import collectors, fields, qparser, query, sorting

from .leaves import Leaves
from .schema import FIELD_WEIGHTS, QUERY_FIELDS

log = logging.getLogger(__name__)
REMOVED_PLUGINS = (
    qparser.WildcardPlugin,
    qparser.RangePlugin,
    qparser.BoostPlugin,
    qparser.EveryPlugin,
)
# A "-" starts an exclusion only at the start of a word: "well-being" stays one search.
MINUS = r"(?<![^\s(])-(?=\S)"
FIELD_ALIASES = {"tag": ["tags"], "section": ["category", "categories"], "title": ["headline"]}


def make_parser(schema) -> qparser.QueryParser:
    reader_fields = fields.Schema(**{name: schema[name] for name in QUERY_FIELDS})
    parser = qparser.MultifieldParser(
        list(QUERY_FIELDS), reader_fields, fieldboosts=FIELD_WEIGHTS, group=qparser.AndGroup
    )
    for plugin in REMOVED_PLUGINS:
        parser.remove_plugin_class(plugin)
    parser.add_plugin(qparser.PlusMinusPlugin(minusexpr=MINUS))
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    return parser


def parse(parser, text: str):
    """A whoosh query for ``text`` (None when nothing searchable is left).

    Whoosh's parser is forgiving, but a malformed query must never become a 500: if it
    fails, the words alone are searched.
    """
    try:
        parsed = parser.parse(text)
    except Exception as error:  # any parser failure falls back to plain words
        # The kind of failure only: what readers search for never goes to the logs.
        log.info("query parser failed (%s); searching the words only", type(error).__name__)
        parsed = parser.parse(" ".join(qparser_words(text)))
    if parsed is None or parsed is query.NullQuery or isinstance(parsed, query.Not):
        return None
    return parsed


def qparser_words(text: str) -> list[str]:
    return ["".join(ch for ch in part if ch.isalnum()) for part in text.split()]


def positive_words(parsed) -> frozenset:
    """The analysed words a hit may contain (excluded words are never highlighted)."""
    words = set()
    _collect(parsed, words)
    return frozenset(words)


def _collect(node, words):
    if node is None or isinstance(node, query.Not):
        return
    if isinstance(node, query.AndNot):
        _collect(node.a, words)
        return
    if node.is_leaf():
        words.update(text for _field, text in node.terms(phrases=True) if isinstance(text, str))
        return
    for child in node.children():
        _collect(child, words)


class _Deadline(collectors.WrappingCollector):
    """Stops at the first matching document found after ``seconds`` (then ``TimeLimit``).

    What whoosh's ``TimeLimitCollector`` does without SIGALRM, with a clock read per
    document instead of a timer thread started per search; a limit of 0 cuts every search
    with a match short, deterministically (tests)."""

    def __init__(self, child, seconds: float):
        super().__init__(child)
        self.seconds = seconds
        self.deadline = 0.0

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.deadline = time.monotonic() + self.seconds

    def collect_matches(self):
        child, deadline = self.child, self.deadline
        for sub_docnum in child.matches():
            if time.monotonic() >= deadline:
                raise collectors.TimeLimit
            child.collect(sub_docnum)


class _Gather(collectors.WrappingCollector):
    """Keeps only allowed documents and remembers every one it kept (for facet counts)."""

    def __init__(self, child, allow):
        super().__init__(child)
        self.allow = allow
        self.docs = set()

    def collect(self, sub_docnum):
        docnum = self.offset + sub_docnum
        if self.allow is None or docnum in self.allow:
            self.docs.add(docnum)
            return self.child.collect(sub_docnum)
        return None


@dataclass
class Matches:
    top: list  # (score or sort key, global document number), best first
    docs: set  # every matching, allowed document
    cut_short: bool


def run(searcher, parsed, allow, limit: int, newest: bool, seconds: float) -> Matches:
    """Match ``parsed`` among ``allow``; ``top`` holds the best ``limit`` in order."""
    if newest:
        inner = collectors.SortingCollector(
            sorting.FieldFacet("published", reverse=True), limit=limit
        )
    else:
        inner = collectors.TopCollector(limit=limit, usequality=False)
    gather = _Gather(inner, allow)
    # No SIGALRM: requests run in worker threads, where signals cannot be installed.
    timed = _Deadline(gather, seconds)
    cut_short = False
    try:
        searcher.search_with_collector(parsed, timed)
    except collectors.TimeLimit:
        cut_short = True
    results = timed.results()
    return Matches(list(results.top_n), gather.docs, cut_short)


def allowed_docs(leaves: Leaves, now: int, filters, zone_bounds):
    """Documents readers may see at ``now`` that pass the reader's filters."""
    allow = leaves.visible(now)
    narrowing = []
    if filters.section:
        narrowing.append(leaves.group("section_slug", filters.section))
    if filters.tag:
        narrowing.append(leaves.group("tag_slug", filters.tag))
    if filters.year:
        narrowing.append(leaves.group("year", filters.year))
    if filters.date_from or filters.date_to:
        narrowing.append(leaves.published_between(*zone_bounds(filters)))
    for subset in narrowing:
        allow = allow & subset
    return allow
