"""Reader page speed: in-process time of real pages as a ratio to a minimal Flask page.

Seeds a throwaway site with the demo plus generated articles (10,000 by default), then
times home, an article, a section archive and a 404 against a one-template Flask app in
the same process, interleaving them so machine noise hits all alike. Not a test.

    .venv/bin/python bench/pages.py [--posts 10000] [--rounds 300]
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from flask import Flask, render_template_string
from flask_migrate import upgrade
from sqlalchemy import event

from hlhr import create_app
from hlhr.database import MIGRATIONS_DIR
from hlhr.extensions import db

TARGETS = {"home": 15, "article": 10, "category": 10, "404": 10}
QUERY_BUDGET = 12
MINIMAL_TEMPLATE = "<!doctype html><title>{{ title }}</title><p>{{ text }}</p>"


def build_site(folder: Path, posts: int):
    app = create_app(
        {
            "SECRET_KEY": "bench-only-secret-key-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
            "UPLOAD_DIR": str(folder / "uploads"),
        }
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        result = app.test_cli_runner().invoke(args=["demo", "--posts", str(max(0, posts - 35))])
    if result.exit_code != 0:
        raise SystemExit(f"seeding failed: {result.output} {result.exception!r}")
    return app


def minimal_app():
    app = Flask("minimal")

    @app.get("/")
    def index():
        return render_template_string(MINIMAL_TEMPLATE, title="Minimal", text="Hello")

    return app


def pick_paths(client):
    home = client.get("/").text
    article = home.split('<h2 class="lead-title" dir="auto"><a href="', 1)[1].split('"', 1)[0]
    return {"home": "/", "article": article, "category": "/category/news/", "404": "/nope/"}


def count_queries(app, client, path):
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listener)
        client.get(path)
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def time_rounds(clients, rounds):
    """Interleaved timings in ms: {name: [ms, ...]}."""
    timings = {name: [] for name in clients}
    for _ in range(rounds):
        for name, (client, path) in clients.items():
            start = time.perf_counter()
            response = client.get(path)
            timings[name].append((time.perf_counter() - start) * 1000)
            assert response.status_code in (200, 404), (name, response.status_code)
    return timings


def p99(values):
    return statistics.quantiles(values, n=100)[98]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        app = build_site(Path(folder), args.posts)
        print(f"seeded {args.posts} articles in {time.perf_counter() - started:.0f} s")
        client = app.test_client()
        paths = pick_paths(client)
        for path in paths.values():
            client.get(path)  # warm caches as a running server would be
        queries = {name: count_queries(app, client, path) for name, path in paths.items()}
        clients = {name: (client, path) for name, path in paths.items()}
        clients["minimal"] = (minimal_app().test_client(), "/")
        timings = time_rounds(clients, args.rounds)
    report(timings, queries)


def report(timings, queries):
    base = statistics.median(timings["minimal"])
    base_p99 = p99(timings["minimal"])
    print(f"\nminimal Flask page: median {base:.3f} ms, p99 {base_p99:.3f} ms\n")
    header = f"{'page':<10}{'median ms':>10}{'p99 ms':>9}{'x median':>10}{'x p99':>8}"
    print(header + f"{'target':>8}{'queries':>9}{'ok':>5}")
    for name, target in TARGETS.items():
        median, tail = statistics.median(timings[name]), p99(timings[name])
        ratio = median / base
        ok = ratio <= target and queries[name] <= QUERY_BUDGET
        print(
            f"{name:<10}{median:>10.2f}{tail:>9.2f}{ratio:>10.1f}{tail / base_p99:>8.1f}"
            f"{'<=' + str(target):>8}{queries[name]:>9}{'yes' if ok else 'NO':>5}"
        )


if __name__ == "__main__":
    main()
