"""POPULAR NEWS view counting: per post and day only, readers only, safe across processes."""

import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest
from conftest import database_text
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import OperationalError

from hlhr import popular
from hlhr.extensions import db
from hlhr.models import PostView, utcnow
from hlhr.site import clear_site_cache

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"}


def views(post_id=None):
    query = select(func.coalesce(func.sum(PostView.views), 0))
    if post_id is not None:
        query = query.where(PostView.post_id == post_id)
    db.session.expire_all()
    return db.session.scalar(query)


def read(client, post, times=1, **kwargs):
    headers = BROWSER | kwargs.pop("headers", {})
    for _ in range(times):
        assert client.get(f"/{post.slug}/", headers=headers, **kwargs).status_code == 200


def test_a_reader_view_adds_one_to_the_post_and_day(client, make_post):
    post = make_post()
    read(client, post, times=3)
    row = db.session.scalar(select(PostView))
    assert (row.post_id, row.day, row.views) == (post.id, utcnow().date(), 3)


def test_only_post_day_and_count_are_stored(client, make_post):
    post = make_post()
    read(client, post, headers={"User-Agent": "Mozilla/5.0 UniqueAgent/42"},
         environ_base={"REMOTE_ADDR": "203.0.113.99"})  # fmt: skip
    columns = {c["name"] for c in inspect(db.engine).get_columns("post_views")}
    assert columns == {"post_id", "day", "views"}
    dump = database_text()
    assert "UniqueAgent" not in dump and "203.0.113.99" not in dump


@pytest.mark.parametrize(
    "user_agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0",
        "",
    ],
)
def test_robots_are_not_counted(client, make_post, user_agent):
    post = make_post()
    read(client, post, headers={"User-Agent": user_agent})
    assert views() == 0


def test_head_previews_prefetches_and_errors_are_not_counted(client, make_post):
    post = make_post()
    assert client.head(f"/{post.slug}/", headers=BROWSER).status_code == 200
    read(client, post, query_string={"preview": "1"})
    read(client, post, headers={"Sec-Purpose": "prefetch"})
    client.get("/no-such-article/", headers=BROWSER)
    client.post(f"/{post.slug}/comments/", data={}, headers=BROWSER)
    assert views() == 0


def test_staff_are_not_counted(app, client, make_post, monkeypatch):
    import flask_login.utils

    post = make_post()

    class SignedIn:
        is_authenticated = True

    if getattr(app, "login_manager", None) is None:
        monkeypatch.setattr(app, "login_manager", object(), raising=False)
    monkeypatch.setattr(flask_login.utils, "_get_user", lambda: SignedIn())
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], "a-staff-session")
    read(client, post)
    assert views() == 0
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    read(client, post)  # the same browser signed out is a reader again
    assert views() == 1


def test_views_are_batched_by_count(app, client, make_post):
    app.config.update(VIEW_FLUSH_SECONDS=3600, VIEW_FLUSH_VIEWS=3)
    post = make_post()
    read(client, post, times=2)
    assert views() == 0 and app.extensions["hlhr_views"].pending() == 2
    read(client, post)
    assert views() == 3 and app.extensions["hlhr_views"].pending() == 0


def test_views_waiting_in_memory_are_written_within_seconds(app, client, make_post):
    app.config.update(VIEW_FLUSH_SECONDS=0.2, VIEW_FLUSH_VIEWS=1000)
    post = make_post()
    read(client, post, times=4)
    deadline = time.monotonic() + 5
    while views() < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert views() == 4


def test_a_failed_write_keeps_the_counts_for_the_next_flush(app, client, make_post, monkeypatch):
    post = make_post()
    real_write = popular.write_counts
    calls = []

    def failing_once(connection, batch):
        calls.append(dict(batch))
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        real_write(connection, batch)

    monkeypatch.setattr(popular, "write_counts", failing_once)
    app.config.update(VIEW_FLUSH_SECONDS=3600)
    read(client, post)
    app.extensions["hlhr_views"].flush()
    read(client, post)
    app.extensions["hlhr_views"].flush()
    assert views() == 2


def test_views_of_a_deleted_post_are_dropped_quietly(app, make_post):
    post = make_post()
    day = utcnow().date()
    with db.engine.begin() as connection:
        popular.write_counts(connection, {(post.id, day): 2, (987654, day): 5})
    assert views() == 2


def test_popular_news_ranks_the_week_and_falls_back_to_all_time(app, client, make_post):
    posts = [make_post(title=f"Story {n}", days_ago=n + 1) for n in range(7)]
    old_day = (utcnow() - timedelta(days=30)).date()
    today = utcnow().date()
    with db.engine.begin() as connection:
        popular.write_counts(connection, {(posts[6].id, today): 5, (posts[5].id, today): 9})
        popular.write_counts(connection, {(posts[0].id, old_day): 100})
    clear_site_cache()
    page = client.get("/", headers={"User-Agent": "curl/8"}).text
    sidebar = page[page.index('id="popular-heading"') :]
    order = [sidebar.index(f">Story {n}<") for n in (5, 6, 0)]
    assert order == sorted(order)  # week's most read first, then the all-time fallback
    app.config["POPULAR_WINDOW"] = "all"
    clear_site_cache()
    sidebar = client.get("/", headers={"User-Agent": "curl/8"}).text
    sidebar = sidebar[sidebar.index('id="popular-heading"') :]
    assert sidebar.index(">Story 0<") < sidebar.index(">Story 5<")


COUNTING_PROCESS = textwrap.dedent(
    """
    import sys
    from hlhr import create_app

    url, slug, n, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "SEARCH_INDEX_DIR": sys.argv[5],
        "VIEW_FLUSH_SECONDS": 30,
        "VIEW_FLUSH_VIEWS": batch,
    })
    client = app.test_client()
    agent = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
    for _ in range(n):
        assert client.get(f"/{slug}/", headers=agent).status_code == 200
    # the rest of the tally is written at exit, as a worker's is on a clean shutdown
    """
)


@pytest.mark.parametrize("batch", [1, 7])
def test_two_processes_count_without_losing_a_view(app, make_post, tmp_path, batch):
    post = make_post(title="Read by many")
    db.session.commit()
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    n = 120
    arguments = [database, post.slug, str(n), str(batch)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTING_PROCESS, *arguments, str(tmp_path / f"index-{i}")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err.decode()[-3000:]
    assert views(post.id) == 2 * n
