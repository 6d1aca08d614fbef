"""Concurrency on SQLite: eight processes writing at once lose nothing, and a write lock held
past the busy timeout answers 503 with Retry-After and the user's text, never a silent loss.

Every test here checks SQLite itself (its file, its write lock, WAL), so a PostgreSQL run
skips them.
"""

import html
import json
import logging
import multiprocessing
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from editor_helpers import login, make_user, post_fields, token_from
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from hlhr import busy, create_app, search
from hlhr.extensions import db
from hlhr.models import Comment, Post, PostStatus, PostView, Revision, Role, SpentQuestion, Tag
from hlhr.publishing import ensure_category, save_post, tags_from_names

pytestmark = pytest.mark.sqlite_only(
    reason="SQLite's single write lock, BEGIN IMMEDIATE, WAL readers and busy timeout"
)

PROCESSES = 8
ITERATIONS = 10  # per process: one post saved, one comment sent, two article views
WORKER_BUSY_TIMEOUT_MS = 100  # short, so that writers really queue and some give up
HELD_BUSY_TIMEOUT_MS = 50
ARTICLES = 3
QUESTION_RE = re.compile(r'<span aria-hidden="true">(\d+) ([+−]) (\d+) =</span>')
QUESTION_TOKEN_RE = re.compile(r'name="question_token" value="([^"]*)"')

# Another process that takes SQLite's write lock, writes a row it never commits, says
# "locked", and holds on until told to stop on stdin.
HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO tags (name, slug) VALUES ('held', 'held-by-another-process')")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


def app_config(base: Path, database: Path, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SEARCH_INDEX_DIR": str(base / "search-index"),
        "UPLOAD_DIR": str(base / "uploads"),
        "SERVER_NAME": None,
        **overrides,
    }


@pytest.fixture
def database_file(tmp_path, migrated_db):
    """This test's own copy of the migrated SQLite file."""
    target = tmp_path / "hlhr.sqlite3"
    shutil.copy(migrated_db, target)
    return target


@pytest.fixture
def busy_app(tmp_path, database_file):
    """An app that waits only HELD_BUSY_TIMEOUT_MS for the write lock."""
    app = create_app(
        app_config(tmp_path, database_file, SQLITE_BUSY_TIMEOUT_MS=HELD_BUSY_TIMEOUT_MS)
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@contextmanager
def write_lock_held_elsewhere(database: Path):
    """Another OS process holds the write lock (BEGIN IMMEDIATE) while the block runs."""
    command = [sys.executable, "-c", HOLDER, str(database)]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout.readline().strip() == "locked"
            yield
        finally:
            holder.stdin.write("release\n")
            holder.stdin.flush()
            assert holder.wait(timeout=30) == 0


def solve_question(page: str) -> tuple[str, str]:
    """What a reader does: read the comment form's question and answer it."""
    left, operator, right = QUESTION_RE.search(page).groups()
    answer = int(left) + int(right) if operator == "+" else int(left) - int(right)
    return QUESTION_TOKEN_RE.search(page).group(1), str(answer)


def comment_fields(page: str, name: str, email: str, body: str) -> dict:
    token, answer = solve_question(page)
    return {
        "author": name,
        "email": email,
        "url": "",
        "comment": body,
        "comment_parent": "",
        "question_token": token,
        "question_answer": answer,
        "address": "",
    }


class ResendForm(HTMLParser):
    """The busy page's form as a browser would send it: action, and (name, value) pairs."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.action, self.fields, self.shown, self._textarea = None, [], {}, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs["action"]
        elif tag == "input" and attrs.get("type") == "hidden":
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            name, value = self._textarea
            value = value[1:] if value.startswith("\n") else value  # as HTML parsers do
            self.fields.append((name, value))
            self.shown[name] = value
            self._textarea = None

    def data(self) -> dict:
        values: dict = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        return values


def publish_articles(count: int, author) -> list[Post]:
    section = ensure_category("NEWS", on_home=True)
    articles = []
    for n in range(count):
        post = Post(
            title=f"Shared article {n}",
            body_source="A paragraph.\n\nAnother one.",
            status=PostStatus.PUBLISHED,
            author=author,
            category=section,
            tags=tags_from_names(["shared"]),
        )
        articles.append(save_post(post, author))
    return articles


@contextmanager
def statements():
    """The SQL statements this app's engine runs inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        words = statement.split()
        seen.append(" ".join(words[:2]) if words[:2] == ["BEGIN", "IMMEDIATE"] else words[0])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


# -- how every connection is set up ---------------------------------------------------------


def test_every_connection_has_wal_the_busy_timeout_and_durable_commits(busy_app):
    pragmas = ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")
    for _ in range(2):  # the first connection and a fresh one after the pool let go
        with db.engine.connect() as connection:
            ask = connection.exec_driver_sql
            found = {name: ask(f"PRAGMA {name}").scalar() for name in pragmas}
        assert found == {
            "journal_mode": "wal",
            "busy_timeout": busy_app.config["SQLITE_BUSY_TIMEOUT_MS"],
            "synchronous": 2,  # FULL: a commit is on disk before it is acknowledged
            "foreign_keys": 1,
        }
        db.engine.dispose()


# -- which transactions take the write lock -------------------------------------------------


def test_a_writing_request_takes_the_write_lock_before_its_first_read(busy_app, database_file):
    author = make_user("editor@example.org", Role.EDITOR)
    slug = publish_articles(1, author)[0].slug
    client = busy_app.test_client()
    page = client.get(f"/{slug}/").text
    db.session.remove()
    with statements() as seen:
        client.get(f"/{slug}/")
    assert "BEGIN IMMEDIATE" not in seen, "a reader's GET never takes the write lock"
    db.session.remove()  # as at the end of a served request (here the test's context stays)
    fields = comment_fields(page, "Amina", "amina@example.org", "First.")
    with statements() as seen:
        response = client.post(f"/{slug}/comments/", data=fields)
    assert response.status_code == 303
    assert seen[0] == "BEGIN IMMEDIATE", seen[:3]
    assert seen.count("BEGIN IMMEDIATE") == 1, "after its commit, a request only reads"


def test_the_lock_is_let_go_when_the_response_exists_even_without_a_commit(busy_app):
    author = make_user("editor@example.org", Role.EDITOR)
    client = busy_app.test_client()
    assert login(client, author.email).status_code == 302
    token = token_from(client.get("/editor/posts/new").text)
    db.session.remove()  # a served request starts with a fresh session
    # The fixture's app context outlives the request, so only the release ends its transaction.
    response = client.post("/editor/posts/new", data=post_fields(csrf_token=token, title=""))
    assert response.status_code == 422
    other = sqlite3.connect(busy_app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///") :])
    other.execute("PRAGMA busy_timeout=0")
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if the request still held it
    other.execute("ROLLBACK")
    other.close()


def test_savepoints_work_inside_a_write_transaction(busy_app):
    with busy_app.test_request_context("/", method="POST"):
        db.session.add(Tag(name="Kept", slug="kept"))
        savepoint = db.session.begin_nested()
        db.session.add(Tag(name="Undone", slug="undone"))
        db.session.flush()
        savepoint.rollback()
        db.session.commit()
    assert db.session.scalars(select(Tag.slug)).all() == ["kept"]


def test_cli_commands_that_write_take_the_write_lock(busy_app):
    runner = busy_app.test_cli_runner()
    with statements() as seen:
        result = runner.invoke(args=["create-user", "--email", "new@example.org"])
    assert result.exit_code == 0, result.output
    assert seen[0] == "BEGIN IMMEDIATE"


def test_busy_means_sqlite_locked_and_nothing_else(tmp_path):
    path = tmp_path / "x.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        waiter.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.OperationalError) as missing:
        waiter.execute("SELECT * FROM no_such_table")
    holder.execute("ROLLBACK")
    holder.close()
    waiter.close()
    for error, expected in ((locked.value, True), (missing.value, False)):
        assert busy.is_busy(OperationalError("SQL", {}, error)) is expected, error
    assert busy.is_busy(ValueError("database is locked")) is False


# -- a lock held past the busy timeout ------------------------------------------------------


def test_reads_go_on_while_another_process_holds_the_write_lock(busy_app, database_file):
    author = make_user("editor@example.org", Role.EDITOR)
    slug = publish_articles(1, author)[0].slug
    search.rebuild()
    client = busy_app.test_client()
    db.session.remove()
    with write_lock_held_elsewhere(database_file):
        assert client.get("/").status_code == 200
        page = client.get(f"/{slug}/")
        assert page.status_code == 200 and "Shared article 0" in page.text
        found = client.get("/search/?q=article")
        assert found.status_code == 200 and "Shared article 0" in found.text
        # The holder's uncommitted row is not visible to readers.
        assert db.session.scalar(select(Tag).where(Tag.slug == "held-by-another-process")) is None
        db.session.remove()
    assert db.session.scalar(select(Tag).where(Tag.slug == "held-by-another-process")) is None


def test_an_editor_save_refused_while_busy_keeps_the_text_and_can_be_sent_again(
    busy_app, database_file
):
    author = make_user("editor@example.org", Role.EDITOR)
    client = busy_app.test_client()
    assert login(client, author.email).status_code == 302
    token = token_from(client.get("/editor/posts/new").text)
    title = "Witness <b>statement</b> & notes — شهادة"
    body = "\nFirst line kept as typed.\n\n<script>alert(1)</script>\n\nسطر بالعربية"
    sent = post_fields(csrf_token=token, title=title, body_source=body, tags="Detention, Gaza")
    before = db.session.scalar(select(func.count(Post.id)))
    db.session.remove()
    with write_lock_held_elsewhere(database_file):
        response = client.post("/editor/posts/new", data=sent)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert response.headers["Cache-Control"] == "no-store"
        page = response.text
        assert "Nothing was saved" in page
        assert html.escape(title, quote=False) in page and "<b>statement</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
        assert db.session.scalar(select(func.count(Post.id))) == before
        db.session.remove()
    form = ResendForm(page)
    assert form.action == "/editor/posts/new"
    assert form.shown["title"] == title and form.shown["body_source"] == body
    assert "csrf_token" not in form.shown
    again = client.post(form.action, data=form.data())
    assert again.status_code == 302, again.text[:500]
    saved = db.session.scalar(select(Post).where(Post.title == title))
    assert saved is not None and saved.body_source == body
    assert db.session.scalar(select(func.count(Post.id))) == before + 1


def test_a_comment_refused_while_busy_keeps_the_text_and_can_be_sent_again(busy_app, database_file):
    author = make_user("editor@example.org", Role.EDITOR)
    slug = publish_articles(1, author)[0].slug
    client = busy_app.test_client()
    body = "I was there.\n\nThe <i>names</i> & dates are below — ما حدث"
    fields = comment_fields(client.get(f"/{slug}/").text, "Rami", "rami@example.org", body)
    db.session.remove()
    with write_lock_held_elsewhere(database_file):
        response = client.post(f"/{slug}/comments/", data=fields)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert html.escape(body, quote=False) in response.text
        assert "Set-Cookie" not in response.headers
        assert db.session.scalar(select(func.count(Comment.id))) == 0
        db.session.remove()
    form = ResendForm(response.text)
    assert form.shown["comment"] == body and form.shown["author"] == "Rami"
    again = client.post(form.action, data=form.data())
    assert again.status_code == 303, again.text[:500]
    stored = db.session.scalar(select(Comment))
    assert stored.body == body and stored.author_email == "rami@example.org"
    assert db.session.scalar(select(func.count(SpentQuestion.nonce))) == 1


def test_a_json_client_gets_json_and_the_log_says_why(busy_app, database_file, caplog):
    author = make_user("editor@example.org", Role.EDITOR)
    slug = publish_articles(1, author)[0].slug
    client = busy_app.test_client()
    fields = comment_fields(client.get(f"/{slug}/").text, "Rami", "r@example.org", "Hi")
    db.session.remove()
    with write_lock_held_elsewhere(database_file), caplog.at_level(logging.WARNING, "hlhr.busy"):
        response = client.post(
            f"/{slug}/comments/", data=fields, headers={"Accept": "application/json"}
        )
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert response.json["error"] == "database_busy" and response.json["retry_after"] == 1
    assert any(f"/{slug}/comments/" in r.getMessage() for r in caplog.records)


# -- eight processes at once ----------------------------------------------------------------


def writer_process(spec: dict) -> None:
    """One OS process: save posts, send comments and read articles as fast as it can.

    Records what the site acknowledged: a post is saved when the editor redirects, a
    comment when the form redirects, a view when the article answered 200. A 503 is
    not an acknowledgement; the writer sends the same form again, as a person would.
    """
    app = create_app(
        app_config(
            Path(spec["base"]),
            Path(spec["database"]),
            SQLITE_BUSY_TIMEOUT_MS=WORKER_BUSY_TIMEOUT_MS,
            VIEW_FLUSH_VIEWS=1,  # flush in the request that counted the view...
            VIEW_FLUSH_SECONDS=3600,  # ...and never from a timer thread
        )
    )
    flush_failures = FailureCount()
    logging.getLogger("hlhr.popular").addHandler(flush_failures)
    editor, reader = app.test_client(), app.test_client()
    seen = {"posts": [], "comments": [], "views": Counter(), "busy": 0, "other": []}
    for _ in range(100):  # the eight sign-ins (writes) contend too
        if login(editor, spec["email"]).status_code != 503:
            break
        seen["busy"] += 1
    token = token_from(editor.get("/editor/posts/new").text)
    spec["barrier"].wait(timeout=120)  # all start writing together
    for n in range(ITERATIONS):
        title = f"Concurrent post {spec['number']}-{n}"
        # Every process creates the same new tags at once: only serialized writes survive that.
        tags = f"load, batch {n}"
        fields = post_fields(csrf_token=token, title=title, status="published", tags=tags)
        if _until_not_busy(seen, editor, "/editor/posts/new", data=fields) == 302:
            seen["posts"].append(title)
        slug = spec["slugs"][n % len(spec["slugs"])]
        page = _view(reader, slug, seen)
        _view(reader, slug, seen)
        body = f"Comment {spec['number']}-{n}"
        email = f"reader{spec['number']}x{n}@example.org"
        data = comment_fields(page, f"Reader {spec['number']}", email, body)
        address = {"REMOTE_ADDR": f"10.0.{spec['number']}.{n + 1}"}
        url = f"/{slug}/comments/"
        if _until_not_busy(seen, reader, url, data=data, environ_base=address) == 303:
            seen["comments"].append(body)
    counter = app.extensions["hlhr_views"]
    for _ in range(200):  # views kept after a failed flush are written now
        counter.flush()
        if counter.pending() == 0:
            break
    seen["views_unwritten"] = counter.pending()
    seen["flush_failures"] = flush_failures.count
    Path(spec["out"]).write_text(json.dumps(seen), encoding="utf-8")


def _view(client, slug, seen) -> str:
    response = client.get(f"/{slug}/")
    if response.status_code == 200:
        seen["views"][slug] += 1
    else:
        seen["other"].append(f"GET {slug}: {response.status_code}")
    return response.text


def _until_not_busy(seen, client, url, attempts=100, **request) -> int:
    """POST until the answer is not 503, as a person pressing "Send again" would."""
    for _ in range(attempts):
        response = client.post(url, **request)
        if response.status_code != 503:
            if response.status_code not in (302, 303):
                seen["other"].append(f"{response.status_code}: {response.text[:300]}")
            return response.status_code
        seen["busy"] += 1
    return 503


class FailureCount(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


def test_eight_processes_writing_at_once_lose_nothing(tmp_path, database_file, capsys):
    app = create_app(app_config(tmp_path, database_file))
    with app.app_context():
        writers = [
            make_user(f"writer{n}@example.org", Role.EDITOR, name=f"Writer {n}")
            for n in range(PROCESSES)
        ]
        slugs = [post.slug for post in publish_articles(ARTICLES, writers[0])]
        search.rebuild()  # the writers share one index, as the workers of one machine do
        emails = [user.email for user in writers]
        db.engine.dispose()
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(PROCESSES)
    specs = [
        {
            "number": n,
            "email": emails[n],
            "slugs": slugs,
            "base": str(tmp_path),
            "database": str(database_file),
            "out": str(tmp_path / f"writer-{n}.json"),
            "barrier": barrier,
        }
        for n in range(PROCESSES)
    ]
    processes = [spawn.Process(target=writer_process, args=(spec,)) for spec in specs]
    started = time.monotonic()
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=400)
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join()
    elapsed = time.monotonic() - started
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    results = [json.loads(Path(spec["out"]).read_text(encoding="utf-8")) for spec in specs]

    with app.app_context():
        assert [r["other"] for r in results] == [[]] * PROCESSES
        assert [r["views_unwritten"] for r in results] == [0] * PROCESSES
        acknowledged_posts = sorted(t for r in results for t in r["posts"])
        stored_posts = db.session.scalars(
            select(Post.title).where(Post.title.startswith("Concurrent post")).order_by(Post.title)
        ).all()
        assert stored_posts == acknowledged_posts, "a saved post is missing, or a 503 saved one"
        # Writers re-send after a 503 until acknowledged: every one of them got through.
        assert len(acknowledged_posts) == PROCESSES * ITERATIONS
        revisions = db.session.scalar(
            select(func.count(Revision.id))
            .join(Post, Revision.post_id == Post.id)
            .where(Post.title.startswith("Concurrent post"))
        )
        assert revisions == len(acknowledged_posts)
        acknowledged_comments = sorted(b for r in results for b in r["comments"])
        stored_comments = db.session.scalars(select(Comment.body).order_by(Comment.body)).all()
        assert stored_comments == acknowledged_comments
        assert len(acknowledged_comments) == PROCESSES * ITERATIONS
        assert db.session.scalar(select(func.count(SpentQuestion.nonce))) == len(stored_comments)
        expected_views = sum((Counter(r["views"]) for r in results), Counter())
        stored_views = dict(
            db.session.execute(
                select(Post.slug, func.sum(PostView.views))
                .join(Post, PostView.post_id == Post.id)
                .group_by(Post.slug)
            ).all()
        )
        assert stored_views == dict(expected_views), "page views were lost or counted twice"
        assert db.session.execute(db.text("PRAGMA integrity_check")).scalar() == "ok"
        db.session.remove()
        db.engine.dispose()
    with capsys.disabled():
        print(
            f"\n{PROCESSES} processes x {ITERATIONS} iterations in {elapsed:.1f} s, busy timeout "
            f"{WORKER_BUSY_TIMEOUT_MS} ms: {len(acknowledged_posts)} posts, "
            f"{len(acknowledged_comments)} comments, {sum(expected_views.values())} views; "
            f"503 answers {sum(r['busy'] for r in results)}, "
            f"view flushes retried {sum(r['flush_failures'] for r in results)}"
        )
