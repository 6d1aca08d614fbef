"""Writing a whole new index fast: a segment whose postings are gathered in memory.

Whoosh's ``SegmentWriter`` analyses each field through chains of generators, pushes every
posting through an on-disk sorting pool and reads each document's length back from disk
per posting: measured here about 27 µs per posting, 14 ms for a 350-word article. For a
fresh index ``BulkWriter`` replaces just those parts: our analyzers run as the plain
functions of ``schema.fast_terms`` (the tests hold them equal), postings are kept per term
in compact arrays, and written term by term when the segment is committed. Documents,
stored fields, columns, the segment files and the TOC stay whoosh's own code, and later
updates use whoosh's ordinary writer.
"""

import zlib
from array import array
from collections import Counter, defaultdict
from itertools import chain
from operator import itemgetter, sub
from pickle import dumps

from whoosh import formats, writing
from whoosh.codec import whoosh3 as w3
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from .schema import fast_terms

# Flush a segment past this estimate of memory held (bytes): at most a few segments even
# for 50,000 articles, and a bounded footprint for bigger archives.
SEGMENT_BYTES = 192 * 1024 * 1024
_TERM_BYTES = 300  # a term's dictionary slot and its three arrays


class BulkWriter(writing.SegmentWriter):
    """Adds documents to a new segment of ``ix``; ``commit(merge=False)`` writes it."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"BulkWriter cannot write the vectors or spelling of {name!r}")
        self._texts: dict[str, dict[str, tuple]] = {}  # field -> term -> (docs, freqs, poss)
        self._others: dict[str, dict[bytes, tuple]] = {}  # field -> term -> (docs, w, values)
        self._lengths: dict[str, array] = {}  # field -> length of each document, as read back
        self._postings = 0
        self._positions = 0

    def full(self) -> bool:
        terms = sum(map(len, self._texts.values())) + sum(map(len, self._others.values()))
        held = 8 * self._postings + 4 * self._positions + _TERM_BYTES * terms
        return held > SEGMENT_BYTES

    def add_document(self, **fields):
        """Like ``SegmentWriter.add_document`` (no boosts, vectors or custom stored values)."""
        self._check_state()
        docnum, perdoc = self.docnum, self.perdocwriter
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = self.schema[name]
            length = self._index(name, field, value, docnum) if field.indexed else 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, name, field, value, docnum) -> int:
        kind = type(field.format)
        terms = fast_terms(getattr(field, "analyzer", None))
        if terms is None or kind not in (formats.Positions, formats.Frequency):
            length = self._index_other(name, field, value, docnum)
        elif kind is formats.Positions:
            words = terms(value)
            self._add_positions(self._texts.setdefault(name, {}), words, docnum)
            length = len(words)
        else:  # a text, or its words already counted (a vocabulary document)
            counts = Counter(terms(value)) if isinstance(value, str) else value
            length = self._add_counts(self._texts.setdefault(name, {}), counts, docnum)
        if not field.scorable:
            return 0
        lengths = self._lengths.setdefault(name, array("I"))
        lengths.extend(bytes(docnum + 1 - len(lengths)))  # zero for documents without it
        lengths[docnum] = byte_to_length(length_to_byte(length))  # as whoosh reads it back
        return length

    def _add_positions(self, table, words, docnum):
        where = defaultdict(list)
        for position, word in enumerate(words):
            where[word].append(position)
        for word, places in where.items():
            try:
                docs, freqs, positions = table[word]
            except KeyError:
                docs, freqs, positions = table[word] = (array("I"), array("I"), array("I"))
            docs.append(docnum)
            freqs.append(len(places))
            positions.extend(places)
        self._positions += len(words)
        self._postings += len(where)

    def _add_counts(self, table, counts, docnum) -> int:
        length = 0
        for word, freq in counts.items():
            if freq <= 0:
                continue
            try:
                docs, freqs, _positions = table[word]
            except KeyError:
                docs, freqs, _positions = table[word] = (array("I"), array("I"), array("I"))
            docs.append(docnum)
            freqs.append(freq)
            length += freq
        self._postings += len(counts)
        return length

    def _index_other(self, name, field, value, docnum) -> int:
        """IDs, keywords and anything else: through the field itself (a few terms each)."""
        table = self._others.setdefault(name, {})
        length = 0
        for tbytes, freq, weight, vbytes in field.index(value):
            length += freq
            postings = table.get(tbytes)
            if postings is None:
                postings = table[tbytes] = ([], [], [])
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(vbytes)
            self._postings += 1
        return length

    # -- committing ------------------------------------------------------------------------

    def _flush_segment(self):
        """Write every field's postings in field then term order (what the codec expects)."""
        self.perdocwriter.close()
        writer = self.fieldwriter
        for name in sorted(self._texts.keys() | self._others.keys()):
            field = self.schema[name]
            lengths = self._lengths.get(name)
            if self._texts.get(name):
                writer.start_field(name, field)
                self._write_texts(writer, field, self._texts[name], lengths)
                writer.finish_field()
            elif self._others.get(name):
                writer.start_field(name, field)
                self._write_others(writer, self._others[name], lengths)
                writer.finish_field()
        writer.close()

    @staticmethod
    def _write_texts(writer, field, table, lengths):
        boost = field.format.field_boost
        positional = type(field.format) is formats.Positions
        for word in sorted(table):
            docs, freqs, positions = table[word]
            weights = array("f", freqs if boost == 1.0 else [f * boost for f in freqs])
            if positional:
                values = _encoded_positions(freqs, positions)
            else:
                values = list(map(_FREQUENCIES.__getitem__, freqs))
            _write_term(writer, word.encode("utf-8"), docs, weights, values, lengths)

    @staticmethod
    def _write_others(writer, table, lengths):
        for tbytes in sorted(table):
            docs, weights, values = table[tbytes]
            values = [value or b"" for value in values]
            _write_term(writer, tbytes, array("I", docs), array("f", weights), values, lengths)


class _Encodings(dict):
    """``encode(key)`` remembered: most postings share a handful of small values."""

    def __init__(self, encode):
        super().__init__()
        self.encode = encode

    def __missing__(self, key):
        value = self[key] = self.encode(key)
        return value


_FREQUENCIES = _Encodings(pack_uint)
# Positions.encode of a word seen once, at position p: the count 1, then pickled [p].
_SINGLE_POSITIONS = _Encodings(lambda p: pack_uint(1) + dumps([p], 2))


def _encoded_positions(freqs, positions) -> list[bytes]:
    """``formats.Positions.encode`` of each posting: the count, then pickled deltas."""
    values, start = [], 0
    for freq in freqs:
        if freq == 1:
            values.append(_SINGLE_POSITIONS[positions[start]])
        else:
            places = positions[start : start + freq]
            deltas = [places[0], *map(sub, places[1:], places)]
            values.append(pack_uint(freq) + dumps(deltas, 2))
        start += freq
    return values


# Blocks shorter than this are stored uncompressed (the reader checks each block's flag):
# zlib costs tens of µs a call and gains nothing on a few bytes.
_COMPRESS_FROM = 16
_LEVEL = 1  # recorded in the block; whoosh's reader only asks whether it is compressed


def _compressed(data: bytes) -> bytes:
    """zlib with a 4 KiB window and small hash table: blocks are a few KiB, and setting up
    zlib's default 32 KiB window cost more than compressing (measured 96 -> 40 µs a block,
    same size). ``zlib.decompress`` reads it like any other stream."""
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, 12, 4)
    return packer.compress(data) + packer.flush()


def _write_term(writer, tbytes, docs, weights, values, lengths):
    """One term's postings in whoosh's own format, written in one piece.

    This is ``W3PostingsWriter``'s block format and ``W3FieldWriter.finish_term``'s term
    info, built from whole arrays instead of one ``add_posting`` call (~9 µs) per posting;
    a test compares every term, block and posting with what whoosh's writer produces.
    """
    codec, postfile = writer._codec, writer._postfile
    size, fixed = codec._blocklimit, writer._format.fixed_value_size()
    total, blocks = 0.0, [w3.WHOOSH3_HEADER_MAGIC]
    minlength, maxlength, maxweight = None, 0, 0
    for start in range(0, len(docs), size):
        ids, block_weights = docs[start : start + size], weights[start : start + size]
        spans = itemgetter(*ids)(lengths) if lengths else None
        spans = (spans,) if isinstance(spans, int) else spans
        low, high = (min(spans), max(spans)) if spans else (None, 0)
        top = max(0, max(block_weights))
        comp = _LEVEL if len(ids) >= _COMPRESS_FROM else 0
        data = dumps((_deltas(ids), _mini_weights(block_weights),
                      _mini_values(values[start : start + size], fixed)), 2)  # fmt: skip
        if comp:
            data = _compressed(data)
        info = dumps((len(ids), ids[-1], top, comp, length_to_byte(low), length_to_byte(high)), 2)
        last = start + size >= len(docs)
        blocks.append(pack_int(-(len(info) + len(data)) if last else len(info) + len(data)))
        blocks += (info, data)
        total += sum(block_weights)
        if low is not None:
            minlength = low if minlength is None else min(minlength, low)
        maxlength, maxweight = max(maxlength, high), max(maxweight, top)
    offset = postfile.tell()
    postfile.write(b"".join(blocks))
    info = w3.W3TermInfo(total, len(docs), minlength, maxlength, maxweight, docs[0], docs[-1])
    info.set_extent(offset, postfile.tell() - offset)
    writer._tindex.add(pack_ushort(writer._fieldid) + tbytes, info.to_bytes())


def _deltas(ids) -> tuple:
    return tuple(map(sub, ids, chain((0,), ids)))


def _mini_weights(weights):
    if weights.count(1.0) == len(weights):
        return None
    if weights.count(weights[0]) == len(weights):
        return weights[0]
    return tuple(weights)


def _mini_values(values, fixed):
    if fixed is None:
        return tuple(values)
    return None if fixed == 0 else b"".join(values)
