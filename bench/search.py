"""Search benchmark (not a test): Whoosh vs WordPress-style LIKE vs SQLite FTS5.

    .venv/bin/python bench/search.py                 # 1,000, 10,000 and 50,000 articles
    .venv/bin/python bench/search.py --sizes 1000 10000

For each size it builds a generated archive (Zipf-distributed words, realistic lengths),
rebuilds the index, and prints p50/p99 for suggestions, the results-page query (search,
highlights, facets, 10 hits), a phrase and a filtered query, a mistyped word ("Did you
mean" and the corrected search); rebuild documents per second (wall clock, and per CPU
second of all its processes, with the load average: the machine is often shared);
commit-to-searchable for one post; the worst pathological query (wildcards, 50 OR-ed
terms, 40 made-up words); and the two baselines on the same rows.
"""

import argparse
import itertools
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from sqlalchemy import insert, text

from hlhr import create_app, search
from hlhr.database import MIGRATIONS_DIR
from hlhr.extensions import db
from hlhr.models import Category, Post, PostStatus, Tag, User, post_tags, utcnow
from hlhr.publishing import save_post

SEED = 20240531
TOPIC_TEXT = (
    "torture detention prison rights human refugees asylum court trial justice freedom "
    "expression press journalist election protest police violence women children minority "
    "discrimination health water housing migrants border camp report investigation witness "
    "evidence government army militia ceasefire civilians execution death penalty sentence "
    "judge lawyer appeal commission united nations council resolution sanctions genève "
    "amnesty defender activist arrest disappearance custody abuse impunity accountability"
)
TOPIC_WORDS = TOPIC_TEXT.split()
SECTIONS = ("News", "Research", "Campaigns", "Opinion", "Africa", "Middle East", "Asia")
RUNS = 200


def vocabulary(rng, size=20000):
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["tion", "ment", "ing"]
    words = set(TOPIC_WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    ranked = list(TOPIC_WORDS) + sorted(words - set(TOPIC_WORDS))
    rng.shuffle(ranked)
    weights = [1 / (rank + 1) ** 1.07 for rank in range(len(ranked))]
    # Cumulative weights once: ``choices`` would re-add all 20,000 weights on every call.
    return ranked, list(itertools.accumulate(weights))


def sentence(rng, words, weights, length):
    picked = rng.choices(words, cum_weights=weights, k=length)
    return " ".join(picked).capitalize() + "."


def article(rng, words, weights):
    title = " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(4, 9))).capitalize()
    paragraphs = [
        " ".join(sentence(rng, words, weights, rng.randint(8, 24)) for _ in range(4))
        for _ in range(rng.randint(3, 8))
    ]
    return title, "".join(f"<p>{p}</p>" for p in paragraphs)


def seed(size, rng):
    """Insert ``size`` published articles with Core (no ORM hooks: the rebuild indexes them)."""
    words, weights = vocabulary(rng)
    author = User(email="bench@example.org", display_name="Bench Writer", slug="bench")
    sections = [Category(name=s, slug=s.lower().replace(" ", "-")) for s in SECTIONS]
    tags = [Tag(name=w, slug=w) for w in TOPIC_WORDS[:40]]
    db.session.add_all([author, *sections, *tags])
    db.session.commit()
    now = utcnow()
    rows, links = [], []
    for n in range(1, size + 1):
        title, body = article(rng, words, weights)
        rows.append({
            "id": n, "kind": "post", "title": title, "slug": f"a-{n}", "excerpt": "",
            "body_source": body, "body_format": "html", "body_html": body,
            "status": PostStatus.PUBLISHED, "published_at": now - timedelta(hours=3 * n),
            "author_id": author.id, "category_id": rng.choice(sections).id,
            "created_at": now, "updated_at": now, "version": 1,
        })  # fmt: skip
        links += [{"post_id": n, "tag_id": t.id} for t in rng.sample(tags, rng.randint(1, 4))]
        if len(rows) == 2000:
            db.session.execute(insert(Post), rows)
            rows = []
    if rows:
        db.session.execute(insert(Post), rows)
    db.session.execute(insert(post_tags), links)
    db.session.commit()
    return words[:3000]


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the rebuild's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def percentiles(samples):
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


def timed(action, inputs):
    samples = []
    for item in inputs:
        started = time.perf_counter()
        action(item)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def queries(rng, common, count, terms=(1, 2)):
    mid = common[30:1500]
    return [" ".join(rng.sample(mid, rng.choice(terms))) for _ in range(count)]


def typos(rng, common, count):
    """Single words with one letter dropped, swapped or replaced: 'Did you mean' runs."""
    found = []
    for word in rng.sample(common[30:1500], count):
        at = rng.randrange(1, len(word) - 1)
        edits = (word[:at] + word[at + 1 :], word[:at] + word[at + 1] + word[at] + word[at + 2 :],
                 word[:at] + "q" + word[at + 1 :])  # fmt: skip
        found.append(rng.choice(edits))
    return found


def phrases(rng, count):
    bodies = db.session.scalars(text("SELECT body_html FROM posts ORDER BY random() LIMIT :n"),
                                {"n": count}).all()  # fmt: skip
    found = []
    for body in bodies:
        plain = body.replace("<p>", " ").replace("</p>", " ").replace(".", " ").split()
        start = rng.randrange(0, len(plain) - 3)
        found.append(f'"{plain[start]} {plain[start + 1]} {plain[start + 2]}"')
    return found


def like_search(terms):
    where = " AND ".join(f"(title LIKE :t{i} OR body_html LIKE :t{i})" for i in range(len(terms)))
    params = {f"t{i}": f"%{t}%" for i, t in enumerate(terms)}
    db.session.execute(
        text(f"SELECT id FROM posts WHERE {where} ORDER BY published_at DESC LIMIT 10"), params
    ).all()
    db.session.execute(text(f"SELECT count(*) FROM posts WHERE {where}"), params).scalar()


def build_fts():
    db.session.execute(text("CREATE VIRTUAL TABLE bench_fts USING fts5(title, body)"))
    db.session.execute(
        text("INSERT INTO bench_fts(rowid, title, body) SELECT id, title, body_html FROM posts")
    )
    db.session.commit()


def fts_search(query):
    match = " ".join(f'"{w}"' for w in query.split())
    db.session.execute(
        text("SELECT rowid, bm25(bench_fts, 4.0, 1.0) AS r FROM bench_fts WHERE bench_fts "
             "MATCH :q ORDER BY r LIMIT 10"), {"q": match}
    ).all()  # fmt: skip
    db.session.execute(
        text("SELECT count(*) FROM bench_fts WHERE bench_fts MATCH :q"), {"q": match}
    ).scalar()


def commit_to_searchable(rng, count=20):
    author = db.session.scalar(db.select(User))
    samples = []
    for n in range(count):
        word = f"zqx{n}marker{rng.randrange(10**6)}"
        post = Post(
            title=f"Bench {word}",
            body_source=f"Fresh text {word}.",
            author=author,
            status=PostStatus.PUBLISHED,
            published_at=utcnow() - timedelta(seconds=1),
        )
        started = time.perf_counter()
        save_post(post, author)
        while not search.search(word).hits:
            time.sleep(0.001)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def pathological():
    worst = 0.0
    made_up = " ".join(f"zq{word[::-1]}" for word in TOPIC_WORDS[:40])[:200]  # no match, 40 typos
    for query in ("*e*", "e* s* t*", " OR ".join(TOPIC_WORDS[:50]), made_up):
        started = time.perf_counter()
        search.search(query)
        worst = max(worst, time.perf_counter() - started)
    return worst * 1000


def run_size(size, rows):
    base = Path(tempfile.mkdtemp(prefix=f"hlhr-bench-{size}-"))
    config = {
        "TESTING": True, "SECRET_KEY": "bench", "SERVER_NAME": "bench.local",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'bench.sqlite3'}",
        "SEARCH_INDEX_DIR": str(base / "index"), "UPLOAD_DIR": str(base / "uploads"),
    }  # fmt: skip
    app = create_app(config)
    rng = random.Random(SEED + size)
    try:
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
            common = seed(size, rng)
            load, cpu = os.getloadavg()[0], cpu_seconds()
            report = search.rebuild()
            cpu = cpu_seconds() - cpu
            rows.append(("rebuild (articles/s)", size, report.rate, None, ">= 500 at 10k"))
            rows.append(("  per CPU-second, all procs", size, report.documents / cpu, None,
                         f"load average {load:.1f} before the rebuild"))  # fmt: skip
            measure(rng, common, size, rows)
            db.session.remove()
            db.engine.dispose()
    finally:
        app.extensions["hlhr_search"].close()
        shutil.rmtree(base, ignore_errors=True)


def measure(rng, common, size, rows):
    plain = queries(rng, common, RUNS)
    prefixes = [w[: rng.randint(3, 5)] for w in rng.sample(common[:1500], RUNS)]
    year = str(datetime.now(UTC).year)
    section = search.SearchFilters(section="news")
    dated = search.SearchFilters(year=year, tag=TOPIC_WORDS[0])
    for q in plain[:20]:  # warm the searcher and per-segment caches
        search.search(q)
    rows.append(("suggest", size, *timed(search.suggest, prefixes), "p99 <= 15 ms at 10k"))
    rows.append(("results page query", size, *timed(search.search, plain),
                 "p50 <= 15, p99 <= 60 ms at 10k; p99 < 150 at 50k"))  # fmt: skip
    rows.append(("phrase query", size, *timed(search.search, phrases(rng, RUNS)), ""))
    rows.append(("filtered query (section)", size,
                 *timed(lambda q: search.search(q, section), plain), ""))  # fmt: skip
    rows.append(("filtered query (year+tag)", size,
                 *timed(lambda q: search.search(q, dated), plain), ""))  # fmt: skip
    rows.append(("pathological worst (ms)", size, pathological(), None, "< 500 ms"))
    rows.append(("commit to searchable", size, *commit_to_searchable(rng), "p50 <= 100 ms"))
    rows.append(("typo query (did you mean)", size,
                 *timed(search.search, typos(rng, common, RUNS)), ""))  # fmt: skip
    rows.append(("baseline LIKE %t%", size,
                 *timed(lambda q: like_search(q.split()), plain), ""))  # fmt: skip
    build_fts()
    rows.append(("baseline SQLite FTS5 bm25", size, *timed(fts_search, plain), ""))


def print_table(rows):
    print(f"\n{'measure':<28} {'articles':>9} {'p50 / value':>12} {'p99':>9}  target")
    print("-" * 96)
    for name, size, first, second, target in rows:
        p99 = "" if second is None else f"{second:9.1f}"
        print(f"{name:<28} {size:>9,} {first:12.1f} {p99:>9}  {target}")
    print("\nTimes in milliseconds; rebuild in articles per second (wall clock, then per CPU")
    print("second of all its processes: what one core does; compare runs by it on a busy machine).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", default=["1000", "10000", "50000"], help="corpus sizes"
    )
    given = ",".join(parser.parse_args().sizes)
    sizes = [int(s) for s in given.split(",") if s.strip()]
    rows = []
    for size in sizes:
        print(f"Building and measuring {size:,} articles…", file=sys.stderr, flush=True)
        run_size(size, rows)
    print_table(rows)


if __name__ == "__main__":
    main()
