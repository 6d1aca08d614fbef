"""A gunicorn worker warms itself up before taking requests (hlhr/warmup.py)."""

import threading

from search_support import index  # noqa: F401  (fixture)
from sqlalchemy import func, select

from hlhr import warmup
from hlhr.extensions import db
from hlhr.models import PostView


def _views() -> int:
    return db.session.scalar(select(func.coalesce(func.sum(PostView.views), 0)))


def test_warm_up_asks_for_the_pages_readers_ask_for_first(app, index, make_post):  # noqa: F811
    make_post("Court hears detention appeal", body="The appeal was heard today.")
    line = warmup.warm_up(app)
    assert line.startswith("warmed up in ") and line.endswith("(answers 200 200 200 200)"), line
    # the search index is open for this thread (the one that serves requests in a sync worker)
    assert threading.get_ident() in index.store._searchers
    views = app.extensions["hlhr_views"]
    views.flush()
    assert (views.pending(), _views()) == (0, 0)  # a robot: no page view counted


def test_warm_up_uses_a_trusted_host(app, index, make_post):  # noqa: F811
    make_post("Court hears detention appeal")
    app.config["TRUSTED_HOSTS"] = [".news.example.org"]
    assert warmup.warm_up(app).endswith("(answers 200 200 200 200)")


def test_a_worker_without_a_search_index_still_starts(app, make_post):
    make_post("Court hears detention appeal")
    line = warmup.warm_up(app)  # never built: search answers 503, the rest works
    assert line.endswith("(answers 200 503 503 200)"), line


def test_a_worker_whose_database_is_down_still_starts(app, monkeypatch):
    def down(_app):
        raise ConnectionRefusedError("database server not reachable")

    monkeypatch.setattr(warmup, "_newest_article", down)
    assert warmup.warm_up(app) == "warm-up failed (ConnectionRefusedError); serving cold"
