"""Faults: workers killed with SIGKILL while saving; a full disk under uploads, index, database.

The kill test serves the real app with gunicorn (the project's gunicorn.conf.py) and kills
its worker, and now and then the whole server, while a client saves posts through the
editor form. Each full-disk fault gets its own small tmpfs mount (tests/small_disks.py; root;
the tests skip loudly without it), filled to the last byte by a filler file and freed again.
A corrupt index is covered by tests/test_search.py
(``test_corrupt_index_degrades_and_rebuild_restores``) and tests/test_search_pages.py
(``test_corrupt_index_gives_503_and_rebuild_restores``).
"""

import http.client
import http.cookiejar
import io
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from editor_helpers import PASSWORD, csrf, make_user, post_fields, submit, token_from
from PIL import Image
from search_support import found_titles, run_flask
from small_disks import count, integrity, reads_work
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

from hlhr import create_app, diskfull, search
from hlhr.extensions import db
from hlhr.models import Media, Post, PostStatus, Revision, Role, SearchLog
from hlhr.publishing import save_post

# -- uploads ---------------------------------------------------------------------------------


def noise_png(size=(320, 240)) -> bytes:
    """A PNG that does not compress (so its size is known within a few percent)."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _upload(client, data):
    token = csrf(client, "/editor/media/upload")
    form = {"csrf_token": token, "alt_text": "Vigil outside the court",
            "file": (io.BytesIO(data), "vigil.png")}  # fmt: skip
    return client.post("/editor/media/upload", data=form, content_type="multipart/form-data")


@pytest.mark.parametrize("room", ["none", "original only"])
def test_full_upload_disk_says_so_and_leaves_no_file(full_app, disks, editor, room):
    data = noise_png()
    uploads = disks["uploads"]
    uploads.fill(leave=0 if room == "none" else len(data) + len(data) // 4)
    response = _upload(editor, data)
    assert response.status_code == 422
    assert "no disk space left for uploads" in response.text
    assert 'id="file"' in response.text  # the upload form, ready for another try
    assert uploads.files() == []
    assert count(Media) == 0
    reads_work(editor)
    uploads.empty()
    response = _upload(editor, data)
    assert response.status_code == 302, response.text[:2000]
    item = db.session.scalar(db.select(Media))
    assert {f"uploads/{item.stored_name}"} < set(uploads.files())


# -- the database ----------------------------------------------------------------------------


def _long_body(paragraphs=3000) -> str:
    """About 200 kB of typed text: more than the write-ahead log holds, so the disk must grow."""
    line = "witnesses describe the detention centre in detail."
    return "\n\n".join(f"Paragraph {n}: {line}" for n in range(paragraphs))


@pytest.mark.sqlite_only(reason="fills the disk under the SQLite file, not a database server's")
def test_full_database_disk_keeps_the_text_and_writes_nothing(full_app, disks, editor):
    before = (count(Post), count(Revision), count(SearchLog))
    body = _long_body()
    data = post_fields(title="Testimony from the detention centre", body_source=body,
                       status="published")  # fmt: skip
    disks["database"].fill()
    response = submit(editor, "/editor/posts/new", data)
    assert response.status_code == 507
    assert "The server's disk is full" in response.text and "Nothing was saved" in response.text
    assert body in response.text  # every word typed, ready to copy or send again
    asked_json = submit(editor, "/editor/posts/new", data, headers={"Accept": "application/json"})
    assert (asked_json.status_code, asked_json.json["error"]) == (507, "disk_full")
    assert (count(Post), count(Revision), count(SearchLog)) == before
    assert integrity(full_app) == "ok"
    reads_work(editor)
    disks["database"].empty()
    again = {"csrf_token": token_from(response.text), **data}  # the page's "Send again"
    response = editor.post("/editor/posts/new", data=again)
    assert response.status_code == 302
    assert count(Post) == before[0] + 1
    assert "Testimony from the detention centre" in editor.get("/search/?q=testimony").text


@pytest.mark.parametrize(
    ("original", "full"),
    [
        (sqlite3.OperationalError("database or disk is full"), True),
        (sqlite3.OperationalError("database is locked"), False),
        (type("DiskFull", (Exception,), {"sqlstate": "53100"})("could not extend file"), True),
        (type("QueryCanceled", (Exception,), {"sqlstate": "57014"})("canceled"), False),
    ],
)
def test_disk_full_is_told_apart_from_other_database_errors(original, full):
    assert diskfull.is_disk_full(OperationalError("INSERT ...", {}, original)) is full


# -- the search index ------------------------------------------------------------------------

# When creating a new index fails for lack of space, whoosh leaves its table-of-contents
# file open; garbage collection closes it later and the close fails again (nothing to flush
# into). Only that unraisable warning is ignored, only where a rebuild fails on a full disk.
WHOOSH_LEFT_OPEN = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <_io.FileIO name='.*/search-index/gen-"
    ":pytest.PytestUnraisableExceptionWarning"
)


def _pending() -> int:
    return search.stats()["pending"]


def _save_on_full_index(editor, disks):
    data = post_fields(title="Testimony from the detention centre", body_source=_long_body(),
                       status="published")  # fmt: skip
    index_files = disks["index"].files()
    disks["index"].fill()
    response = submit(editor, "/editor/posts/new", data)
    assert response.status_code == 302
    assert count(Post) == 2
    assert _pending() == 1
    assert disks["index"].files() == index_files  # the failed index write left nothing behind


def test_full_index_disk_saves_the_post_and_the_change_log_keeps_it(full_app, disks, editor):
    _save_on_full_index(editor, disks)
    reads_work(editor, search_too=False)
    disks["index"].empty()
    runner = full_app.test_cli_runner()
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert _pending() == 0
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "Testimony from the detention centre" in editor.get("/search/?q=testimony").text


def test_search_serves_the_index_it_has_while_its_disk_is_full(full_app, disks, editor):
    _save_on_full_index(editor, disks)
    reads_work(editor, search_too=True)  # the index as it was: the new post is not in it yet
    assert found_titles("testimony") == []
    suggested = editor.get("/search/suggest?q=deten", headers={"Accept": "application/json"})
    assert suggested.status_code == 200
    disks["index"].empty()
    data = post_fields(title="Detention review hearing set", status="published",
                       body_source="A review of the detention was set for next week.")  # fmt: skip
    assert submit(editor, "/editor/posts/new", data).status_code == 302
    assert _pending() == 0  # space returned: the next commit applied the whole change log
    assert found_titles("testimony") == ["Testimony from the detention centre"]
    assert "Detention review hearing set" in editor.get("/search/?q=review").text


def _cli(app, *args):
    """:return: exit code, exception type and output (not the exception: it holds whoosh's
    open files, which the fixture's teardown closes)."""
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, type(result.exception), result.output


def test_sync_on_a_full_index_disk_names_the_cause(full_app, disks, editor):
    _save_on_full_index(editor, disks)
    exit_code, raised, output = _cli(full_app, "search", "sync")
    assert (exit_code, raised) == (1, SystemExit)
    assert "no space left on the disk holding the search index" in output, output
    assert "Nothing is lost" in output and "rebuild" not in output
    disks["index"].empty()
    exit_code, raised, output = _cli(full_app, "search", "sync")
    assert exit_code == 0, output
    assert _pending() == 0


def _generations(disks) -> list[str]:
    return sorted(p.name for p in (disks["index"].path / "search-index").glob("gen-*"))


def _rebuild_on_full_disk(app, disks):
    disks["index"].fill()
    exit_code, raised, output = _cli(app, "search", "rebuild")
    assert exit_code != 0
    return raised, output


@WHOOSH_LEFT_OPEN
def test_rebuild_on_a_full_index_disk_fails_and_the_old_index_serves(full_app, disks, editor):
    live = (disks["index"].path / "search-index" / "CURRENT").read_text()
    _rebuild_on_full_disk(full_app, disks)
    assert (disks["index"].path / "search-index" / "CURRENT").read_text() == live
    reads_work(editor)
    disks["index"].empty()
    result = full_app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    reads_work(editor)
    assert full_app.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


@WHOOSH_LEFT_OPEN
def test_rebuild_on_a_full_index_disk_says_why_and_leaves_nothing(full_app, disks, editor):
    before = _generations(disks)
    raised, output = _rebuild_on_full_disk(full_app, disks)
    assert raised is SystemExit, raised  # a message, not a traceback
    assert "no space left on the disk holding the search index" in output
    assert "the old one still serves" in output
    assert _generations(disks) == before


@pytest.mark.parametrize("room", [0, 48 * 1024])
def test_rebuild_in_worker_processes_on_a_full_disk_says_why_and_leaves_nothing(
    full_app, disks, editor, room
):
    """With room left, the generation is made and the worker processes fail mid-segment."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("SKIPPED LOUDLY: a rebuild uses worker processes only with 2 or more CPUs")
    data = post_fields(title="Testimony from the detention centre", body_source=_long_body(),
                       status="published")  # fmt: skip
    assert submit(editor, "/editor/posts/new", data).status_code == 302
    index_files = disks["index"].files()
    disks["index"].fill(leave=room)
    result = run_flask(full_app, "search", "rebuild", SEARCH_REBUILD_PARALLEL_FROM=1)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no space left on the disk holding the search index" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert disks["index"].files() == index_files
    disks["index"].empty()
    result = run_flask(full_app, "search", "rebuild", SEARCH_REBUILD_PARALLEL_FROM=1)
    assert result.returncode == 0, result.stderr
    assert "Indexed 2 posts and pages" in result.stdout
    assert "Testimony from the detention centre" in editor.get("/search/?q=testimony").text


# -- SIGKILL while saving --------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"
FLASK = Path(sys.executable).parent / "flask"
KILL_SEED = 20240607
WORKER_KILLS = 18
SERVER_KILLS = (6, 12)  # at these kill numbers the master goes too, and is started again
_VERSION = re.compile(r'name="version"[^>]*value="(\d*)"')
_SAVED = re.compile(r"/editor/posts/(\d+)/edit$")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the acknowledgement we are looking for, not a page to fetch


class Browser:
    """A staff member's browser: cookies, forms with CSRF tokens, no redirects followed."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path, form=None):
        """:return: (status, location, text). :raise OSError, HTTPException: cut off."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base_url + path, data=data, timeout=20) as response:
                return response.status, None, response.read().decode()
        except urllib.error.HTTPError as answer:
            with answer:
                return answer.code, answer.headers.get("Location"), answer.read().decode()

    def sign_in(self, email):
        _status, _location, page = self.request("/editor/login")
        form = {"csrf_token": token_from(page), "email": email, "password": PASSWORD}
        status, _location, _page = self.request("/editor/login", form)
        assert status == 302


@dataclass
class SaveLog:
    """What the client sent and what the server acknowledged (a redirect to the saved post)."""

    attempted: list = field(default_factory=list)  # (kind, title), in the order sent
    acknowledged: list = field(default_factory=list)  # (kind, title)
    unanswered: int = 0  # saves sent whose answer never came (the worker died)
    cut_off: int = 0  # any request cut off or refused (also while the server restarts)
    answers: Counter = field(default_factory=Counter)
    posting: threading.Event = field(default_factory=threading.Event)

    def __str__(self):
        return (
            f"{len(self.attempted)} saves sent, {len(self.acknowledged)} acknowledged, "
            f"{self.unanswered} never answered, {self.cut_off} requests cut off or refused, "
            f"answers {dict(self.answers)}"
        )


def _save_one(browser, n, edited_id, log):
    """Open the editor (a new post, or every third time the edited one) and save it."""
    kind = "edit" if n % 3 == 0 else "new"
    form_path = f"/editor/posts/{edited_id}/edit" if kind == "edit" else "/editor/posts/new"
    status, _location, page = browser.request(form_path)
    if status != 200:
        log.answers[status] += 1
        return
    title = f"Kill test {kind} {n:05d}"
    fields = post_fields(title=title, status="published", body_source=f"Saved as number {n}.")
    fields["csrf_token"] = token_from(page)
    if kind == "edit":
        fields["version"] = _VERSION.search(page).group(1)
    log.attempted.append((kind, title))
    log.posting.set()
    try:
        status, location, _page = browser.request(form_path, fields)
    except (OSError, http.client.HTTPException):
        log.unanswered += 1
        raise
    finally:
        log.posting.clear()
    log.answers[status] += 1
    if status == 302 and _SAVED.search(location or ""):
        log.acknowledged.append((kind, title))


def _keep_saving(browser, edited_id, log, stop):
    n = 0
    while not stop.is_set():
        n += 1
        try:
            _save_one(browser, n, edited_id, log)
        except (OSError, http.client.HTTPException):
            log.cut_off += 1
            time.sleep(0.05)


class Server:
    """gunicorn with the project's config and one worker, in its own process group.

    ``--preload``: the master imports the app once, so a killed worker is replaced by a
    fork at once; without it every replacement imports the whole app again (1-3 s here),
    which would stretch this test past a minute without testing anything more.
    """

    def __init__(self, env, logs):
        self.env, self.logs = env, logs
        self.process = None

    def start(self):
        with (self.logs / "gunicorn.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", "gunicorn.conf.py", "--preload", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip

    def worker(self, deadline=30.0):
        """The pid of the current worker, once the master has one."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}")
            children = [pid for pid in _pids() if _parent(pid) == self.process.pid]
            if children:
                return children[0]
            time.sleep(0.02)
        pytest.fail("gunicorn started no worker")

    def log_tail(self, lines=60) -> str:
        text = (self.logs / "gunicorn.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def kill_all(self):
        os.killpg(self.process.pid, signal.SIGKILL)  # the group this test started
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill_all()


def _pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _parent(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path, database_url):
    """A database with an editor and one published post, its index, and gunicorn's settings."""
    paths = {
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
    }
    builder = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url}
                         | {k: v for k, v in paths.items() if k != "DATABASE_URL"})  # fmt: skip
    with builder.app_context():
        user = make_user("editor@example.org", Role.EDITOR)
        post = Post(title="Kill test edited post", body_source="First.", author=user,
                    status=PostStatus.PUBLISHED)  # fmt: skip
        post_id = save_post(post, user).id
        search.rebuild()
        builder.extensions["hlhr_search"].close()
        db.engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HLHR_", "FLASK_"))}
    env |= {f"HLHR_{k}": v for k, v in paths.items()}
    env |= {"HLHR_SECRET_KEY": "fault-test-secret-" + "x" * 32, "FLASK_APP": "wsgi",
            "HLHR_WORKERS": "1", "HLHR_LOG_LEVEL": "warning"}  # fmt: skip
    return {"env": env, "post_id": post_id, "database": make_url(database_url).database}


def _flask(env, *args):
    return subprocess.run([str(FLASK), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


def _stored(database, edited_id):
    """Titles of all posts, of all revisions, and the edited post's; integrity checked first."""
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        posts = {row[0] for row in connection.execute("SELECT title FROM posts")}
        revisions = {row[0] for row in connection.execute("SELECT title FROM revisions")}
        edited = connection.execute("SELECT title FROM posts WHERE id = ?", (edited_id,))
        return posts, revisions, edited.fetchone()[0]


def _kill_while_saving(server, log, rng):
    """Kill the worker (twice the whole server) once it saves again: half the time while a
    save is in flight, otherwise at a random moment of the save cycle."""
    for kill in range(1, WORKER_KILLS + 1):
        _wait_for_a_new_save(log, server)
        if kill % 2:
            log.posting.wait(timeout=10)
            time.sleep(rng.uniform(0.0, 0.05))  # the save's insert, commit or index write
        else:
            time.sleep(rng.uniform(0.0, 0.3))  # anywhere: the form, the save, the redirect
        if kill in SERVER_KILLS:
            server.kill_all()
            server.start()
        else:
            os.kill(server.worker(), signal.SIGKILL)
    _wait_for_a_new_save(log, server)


@pytest.mark.slow
@pytest.mark.sqlite_only(reason="checks the SQLite file a killed process was writing")
def test_sigkill_while_saving_loses_no_acknowledged_save(served, tmp_path):
    port = _free_port()
    server = Server(served["env"] | {"HLHR_BIND": f"127.0.0.1:{port}"}, tmp_path)
    browser, log, stop = Browser(f"http://127.0.0.1:{port}"), SaveLog(), threading.Event()
    client = threading.Thread(target=_keep_saving, args=(browser, served["post_id"], log, stop))
    server.start()
    try:
        server.worker()
        _retry(lambda: browser.sign_in("editor@example.org"))
        client.start()
        _kill_while_saving(server, log, random.Random(KILL_SEED))
    finally:
        stop.set()
        if client.is_alive():
            client.join(timeout=60)
        server.stop()
    posts, revisions, edited_title = _stored(served["database"], served["post_id"])
    stored = (posts | revisions) & {title for _kind, title in log.attempted}
    print(f"{WORKER_KILLS} kills ({len(SERVER_KILLS)} of the whole server): {log}; "
          f"{len(stored) - len(log.acknowledged)} stored without an acknowledgement")  # fmt: skip
    assert log.unanswered, str(log)  # some kills did land while a save was in flight
    assert not [code for code in log.answers if code >= 500], server.log_tail()
    acknowledged = {kind: [t for k, t in log.acknowledged if k == kind] for kind in ("new", "edit")}
    assert acknowledged["new"] and set(acknowledged["new"]) <= posts
    assert acknowledged["edit"] and set(acknowledged["edit"]) <= revisions
    edits = [title for kind, title in log.attempted if kind == "edit"]
    assert edited_title in edits[edits.index(acknowledged["edit"][-1]) :]  # the last save won
    for command in (("search", "sync"), ("search", "check")):
        result = _flask(served["env"], *command)
        assert result.returncode == 0, result.stdout + result.stderr


def _wait_for_a_new_save(log, server, deadline=30.0):
    """Kill only a worker that is serving saves (not one still starting up)."""
    seen, end = len(log.acknowledged), time.monotonic() + deadline
    while len(log.acknowledged) == seen:
        if time.monotonic() > end:
            pytest.fail(f"no save was acknowledged for {deadline} s: {log}")
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.process.returncode}")
        time.sleep(0.01)


def _retry(action, attempts=100):
    for _ in range(attempts - 1):
        try:
            return action()
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    return action()
