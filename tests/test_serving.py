"""Production serving: /healthz, ETags and 304s, fingerprinted static URLs, gunicorn."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import url_for
from search_support import index, live_generation  # noqa: F401  (fixture)

from hlhr import create_app, questions, search
from hlhr.extensions import db

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"

# -- /healthz --------------------------------------------------------------------------------


def test_healthz_ok_with_database_and_index(client, index, make_post):  # noqa: F811
    make_post("Torture report")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": {"status": "ok"},
        "search": {"status": "ok", "documents": 1, "pending": 0},
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert "ETag" not in response.headers


@pytest.mark.parametrize("damage", ["toc", "folder", "never-built"])
def test_healthz_503_when_the_index_is_corrupt_or_missing(app, client, make_post, damage):
    make_post("Torture report")
    if damage != "never-built":
        search.rebuild()
        path = live_generation(app)
        if damage == "toc":
            for toc in path.glob("*.toc"):
                toc.write_bytes(b"\x00garbage" * 10)
        else:
            shutil.rmtree(path)
        app.extensions["hlhr_search"].close()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {
        "status": "degraded",
        "database": {"status": "ok"},
        "search": {"status": "unavailable"},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_reports_a_broken_database(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("disk I/O error"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert response.json["database"] == {"status": "error"}


def test_healthz_tells_no_secrets_paths_or_versions(app, client, index, tmp_path):  # noqa: F811
    body = client.get("/healthz").text
    for secret in (app.config["SECRET_KEY"], str(tmp_path), "sqlite", "whoosh", "gen-"):
        assert secret not in body
    assert "/" not in body  # no path or URL of any kind
    assert not re.search(r"\d+\.\d+", body)  # no library or server versions


# -- ETags and conditional requests ----------------------------------------------------------


def _round_trip(client, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    changed = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200
    assert changed.data == first.data
    head = client.head(url, headers={"If-None-Match": etag})
    assert head.status_code == 304
    return first


def test_home_and_article_answer_conditional_requests(client, make_post):
    post = make_post("Torture report", comments_open=False)
    _round_trip(client, "/")
    article = _round_trip(client, f"/{post.slug}/")
    assert "Torture report" in article.text
    assert "Set-Cookie" not in article.headers


def test_a_page_keeps_its_etag_through_the_day(client, make_post, monkeypatch):
    """The header's date is a day, not a clock: seconds later the page is the same."""
    from datetime import UTC, datetime

    from hlhr import site

    post = make_post("Torture report", comments_open=False)
    monkeypatch.setattr(site, "today", lambda: datetime(2026, 11, 28, 9, 0, 1, tzinfo=UTC))
    morning = client.get(f"/{post.slug}/")
    monkeypatch.setattr(site, "today", lambda: datetime(2026, 11, 28, 9, 0, 7, tzinfo=UTC))
    later = client.get(f"/{post.slug}/", headers={"If-None-Match": morning.headers["ETag"]})
    assert later.status_code == 304
    assert '<time datetime="2026-11-28">Saturday, November 28, 2026</time>' in morning.text


def test_an_open_comment_form_is_answered_from_cache_within_its_window(
    client, make_post, monkeypatch
):
    """Every reader gets the same question per window (tests/test_caching.py: the next one)."""
    now = time.time()
    monkeypatch.setattr(questions, "wall_clock", lambda: now)
    post = make_post("Torture report")
    first = client.get(f"/{post.slug}/")
    assert "question_token" in first.text
    again = client.get(f"/{post.slug}/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_etag_changes_with_the_page(client, make_post):
    make_post("First report")
    before = client.get("/").headers["ETag"]
    make_post("Second report", days_ago=0)
    after = client.get("/")
    assert after.headers["ETag"] != before
    assert client.get("/", headers={"If-None-Match": before}).status_code == 200


def test_editor_pages_and_errors_get_no_etag(client):
    login = client.get("/editor/login")
    assert login.status_code == 200
    assert "ETag" not in login.headers
    assert login.headers["Cache-Control"] == "no-store"
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "ETag" not in missing.headers


# -- fingerprinted static URLs ---------------------------------------------------------------


def test_pages_link_static_files_with_a_content_version(client):
    page = client.get("/").text
    assert "/static/css/site.css?v=" in page
    version = page.split("/static/css/site.css?v=", 1)[1][:12]
    assert len(version) == 12 and int(version, 16) >= 0
    asset = client.get(f"/static/css/site.css?v={version}")
    assert asset.status_code == 200
    assert "max-age=31536000" in asset.headers["Cache-Control"]
    asset.close()


def test_static_version_follows_the_file_content(app, tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    style = static / "css" / "site.css"
    style.write_text("body { color: black }")
    app.static_folder = str(static)
    with app.test_request_context():
        first = url_for("static", filename="css/site.css")
        assert first.startswith("/static/css/site.css?v=")
        style.write_text("body { color: navy }")
        assert url_for("static", filename="css/site.css") == first  # once per process
        app.extensions["hlhr_static_versions"].clear()  # as a new process would
        second = url_for("static", filename="css/site.css")
        assert second.startswith("/static/css/site.css?v=") and second != first
        assert url_for("static", filename="css/missing.css") == "/static/css/missing.css"


# -- gunicorn --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_healthz(url: str, process, deadline: float):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer /healthz within 20 seconds")


def _get(url: str, headers: dict) -> int:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_gunicorn_logs_no_reader_details_and_starts_without_errors(tmp_path, database_url):
    """No client address, user agent, referrer or search words in the access log; no error
    at start with an unwritable HOME (gunicorn's control socket is off)."""
    paths = {
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
    }
    builder = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": paths["DATABASE_URL"]}
                         | {k: v for k, v in paths.items() if k != "DATABASE_URL"})  # fmt: skip
    with builder.app_context():
        search.rebuild()
        builder.extensions["hlhr_search"].close()
        db.engine.dispose()
    port = _free_port()
    home = tmp_path / "home-is-a-file"  # even root cannot create $HOME/.gunicorn in it
    home.touch()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HLHR_", "FLASK_")) and k != "XDG_RUNTIME_DIR"}  # fmt: skip
    env |= {f"HLHR_{k}": v for k, v in paths.items()}
    env |= {"HLHR_BIND": f"127.0.0.1:{port}", "HLHR_WORKERS": "1", "HOME": str(home),
            "HLHR_SECRET_KEY": "gunicorn-test-secret-" + "x" * 32}  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    reader = {"User-Agent": "WatchedReader/7.3", "Referer": "https://referrer.example/page"}
    out, err = tmp_path / "access.log", tmp_path / "error.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=env, stdout=stdout, stderr=stderr,
        )  # fmt: skip
        try:
            status, body = _wait_for_healthz(f"{base}/healthz", process, time.monotonic() + 20)
            searched = _get(f"{base}/search/?q=secretword", reader)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    errors = err.read_text()
    assert (status, body["status"], searched) == (200, "ok", 200), errors
    access = out.read_text()
    assert "GET /healthz HTTP/1.1" in access
    assert re.search(r'"GET /search/ HTTP/1\.1" 200 \d+ \d+ms$', access, re.MULTILINE), access
    for private in ("127.0.0.1", "WatchedReader", "referrer.example", "secretword", "q="):
        assert private not in access
    assert "[ERROR]" not in errors and "Control" not in errors, errors
    # the worker asked for its first pages itself, before any reader (hlhr/warmup.py)
    assert re.search(r"\[INFO\] Worker \d+ warmed up in \d+ ms \(answers 200 ", errors), errors
