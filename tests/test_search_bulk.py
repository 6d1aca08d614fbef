"""The fast rebuild path: plain-function analyzers, BulkWriter, rebuilding in processes.

A rebuild writes segments without whoosh's writer, so these tests hold its output equal
to whoosh's own, term by term and block by block.
"""

import json
import os
import random
import threading

import pytest
from conftest import CORPORA
from search_support import found_titles, index, run_flask
from whoosh import analysis
from whoosh import index as whoosh_index

from hlhr import search
from hlhr.search import rebuilding, schema
from hlhr.search.bulk import BulkWriter

__all__ = ["index"]

TEXTS = [
    "", " ", "Torture in prisons: a report (2024).", "Genève, São Paulo and Zürich",
    "تقرير عن التعذيب في السجون", "گزارش درباره زندان و حقوق بشر", "حُقُوق الإنسان ـ",
    "वह रिपोर्ट", "İstanbul ΣΊΣΥΦΟΣ straße ǅ Ⅻ ½", "e.g. U.N. 3.14 a..b .x. www.example.org",
    "well-being co-operation", "ـــ \u200c\u200c", "a\u0301e\u0300 n\u0303", "x" * 40,
    "under_score 12_34 ١٢٣ ۱۲۳", "emoji 🏳️‍🌈 mixed١", "Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè",
]  # fmt: skip


def hostile_texts():
    path = CORPORA / "blns.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def analysed(analyzer, text):
    return [token.text for token in analyzer(text, mode="index")]


# -- the analyzers as plain functions -----------------------------------------------------


@pytest.mark.parametrize(
    ("analyzer", "terms"),
    [(schema.STEMMED, schema.stemmed_terms), (schema.EDGE_NGRAMS, schema.edge_ngram_terms),
     (schema.WORD_LIST, schema.word_list_terms)],
)  # fmt: skip
def test_fast_terms_equal_the_analyzers(analyzer, terms):
    texts = TEXTS + hostile_texts() + [" ".join(TEXTS)]
    assert len(texts) > 100 or not CORPORA.exists()
    for text in texts:
        assert terms(text) == analysed(analyzer, text), text
        assert list(schema.tokens(text)) == schema.TOKEN_PATTERN.findall(text), text
    assert schema.fast_terms(analyzer) is terms


def test_fast_terms_only_for_our_own_analyzers():
    assert schema.fast_terms(analysis.StandardAnalyzer()) is None
    assert schema.fast_terms(None) is None


# -- BulkWriter writes what whoosh's writer writes ----------------------------------------


def documents(count=420, seed=7):
    """Documents with words in many posts (multi-block, compressed posting lists), words
    repeated in one post, empty fields, other scripts, and a vocabulary document."""
    rng = random.Random(seed)
    words = ["torture", "prisons", "genève", "حقوق", "زندان", "report", "appeal", "witness"]
    words += [f"w{n}" for n in range(300)]
    docs = []
    for n in range(count):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
        docs.append({
            "id": str(n + 1), "kind": "post", "title": title, "excerpt": "" if n % 3 else body[:40],
            "body": body, "tag": "torture , water" if n % 2 else "", "section": "News",
            "author": "Ana Writer", "tag_slug": "torture,water" if n % 2 else "",
            "section_slug": "news" if n % 4 else "", "year": str(2000 + n % 7),
            "published": 1_700_000_000 + n, "expires": schema.NO_EXPIRY, "title_edge": title,
            "spell": schema.surface_words(title, body), "script": schema.dominant_script(body),
            "fingerprint": f"f{n}",
        })  # fmt: skip
    docs.append(schema.vocabulary_document({"torture": 40, "genève": 3, "w1": 1}))
    return docs


def build(path, writer_class, docs):
    path.mkdir()
    ix = whoosh_index.create_in(str(path), schema.make_schema())
    writer = writer_class(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit(merge=False)
    return ix


def postings(reader, fieldname, term):
    """Every posting with the statistics of the block it sits in."""
    matcher, found = reader.postings(fieldname, term), []
    while matcher.is_active():
        block = (matcher.block_min_length(), matcher.block_max_length(),
                 matcher.block_max_weight())  # fmt: skip
        found.append((matcher.id(), matcher.weight(), matcher.value(), block))
        matcher.next()
    return found


def index_contents(ix):
    with ix.reader() as reader:
        terms = {}
        for fieldname, term in reader.all_terms():
            info = reader.term_info(fieldname, term)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                     info.max_weight(), info.min_id(), info.max_id())  # fmt: skip
            terms[fieldname, term] = (stats, postings(reader, fieldname, term))
        names = [n for n in ix.schema.names() if ix.schema[n].scorable]
        every = range(reader.doc_count_all())
        lengths = [[reader.doc_field_length(d, n) for n in names] for d in every]
        totals = [(n, reader.field_length(n), reader.max_field_length(n)) for n in names]
        columns = {n: list(reader.column_reader(n)) for n in ("published", "expires")}
        stored = list(reader.all_stored_fields())
    return terms, lengths, totals, columns, stored


def test_bulk_writer_writes_what_whoosh_writes(tmp_path):
    docs = documents()
    ours = index_contents(build(tmp_path / "bulk", BulkWriter, docs))
    whooshs = index_contents(build(tmp_path / "whoosh", lambda ix: ix.writer(), docs))
    assert len(ours[0]) > 1000
    assert max(len(found) for _stats, found in ours[0].values()) > 300, "several blocks"
    for key in whooshs[0]:
        assert ours[0].get(key) == whooshs[0][key], key
    assert ours == whooshs


def test_bulk_writer_index_answers_searches(app, tmp_path):
    ix = build(tmp_path / "bulk", BulkWriter, documents())
    with ix.searcher() as searcher:
        assert searcher.document_number(id="7") is not None
        assert len(searcher.search(search.querying.make_parser(ix.schema).parse('"torture"'))) > 10


# -- rebuilding -----------------------------------------------------------------------------


def test_split_covers_every_id_once():
    ids = [2, 3, 5, 8, 13, 21, 34]
    parts = rebuilding.split(ids, 3)
    assert [(p.first, p.last, p.count) for p in parts] == [(2, 3, 2), (5, 8, 2), (13, 34, 3)]
    assert rebuilding.split([4], 2) == [rebuilding.Part(4, 4, 1)]
    assert rebuilding.split([], 2) == []


def test_flask_search_rebuild_in_worker_processes(app, index, make_post):
    for n in range(9):
        make_post(f"Prison report {n}", body=f"Findings on torture, part {n}.")
    make_post("Water rights", body="Clean water is a right.")
    result = run_flask(app, "search", "rebuild", SEARCH_REBUILD_PARALLEL_FROM=1)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Indexed 10 posts and pages" in result.stdout
    stats = search.stats()
    workers = min(2, os.cpu_count() or 1)  # SEARCH_REBUILD_PROCESSES, at most the cores
    assert stats["segments"] == workers, "a segment from each worker process"
    assert stats["documents"] == 10
    assert search.check().ok
    assert len(found_titles("torture")) == 9
    assert found_titles("water") == ["Water rights"]
    assert search.search("torure").corrected_from == "torure"


def test_a_threaded_process_rebuilds_in_itself(app, index, make_post):
    app.config.update(SEARCH_REBUILD_PROCESSES=2, SEARCH_REBUILD_PARALLEL_FROM=1)
    for n in range(4):
        make_post(f"Prison report {n}")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert search.rebuild().documents == 4
    finally:
        stop.set()
        other.join()
    assert search.stats()["segments"] == 1, "no fork while another thread runs"
    assert search.check().ok
