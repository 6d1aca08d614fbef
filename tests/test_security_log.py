"""The hlhr.security log: every event through its real request path, escaped, UTC-stamped."""

import io
import logging
import os
import re
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from conftest import ROOT
from editor_helpers import PASSWORD, csrf, login, make_user, post_fields, signed_in, submit
from flask import abort
from flask_login import current_user

from hlhr import questions, security_log, throttle
from hlhr.editor import permissions
from hlhr.extensions import csrf as csrf_protection
from hlhr.extensions import db
from hlhr.models import Comment, CommentStatus, Post, Role, User

TOKEN = r'[a-z_]+=(?:"(?:[^"\\]|\\.)*"|[^\s"]+)'
LINE = re.compile(rf"{TOKEN}(?: {TOKEN})*")
FIELD = re.compile(r'([a-z_]+)=("(?:[^"\\]|\\.)*"|[^\s"]+)')
PSEUDONYM = re.compile(r"[0-9a-f]{16}")
HOSTILE = "report\r\nevent=sign-in user=1\x1b[31m\u2028\u2029\u202e\u2066\t\x00gpj.txt"
HOSTILE_LOGGED = (
    '"report\\x0d\\x0aevent=sign-in user=1\\x1b[31m\\u2028\\u2029\\u202e\\u2066\\x09\\x00gpj.txt"'
)


def parse(message: str) -> dict:
    """One log line as logfmt fields; fails unless the line is exactly ``key=value`` tokens."""
    assert "\n" not in message and "\r" not in message
    assert LINE.fullmatch(message), message
    pairs = FIELD.findall(message)
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), message
    assert keys[0] == "event", message
    return {key: value[1:-1] if value.startswith('"') else value for key, value in pairs}


@pytest.fixture
def events(caplog):
    """``events(name)``: the fields of every ``hlhr.security`` record of that event so far."""
    caplog.set_level(logging.INFO, logger=security_log.LOGGER_NAME)

    def read(name=None):
        records = [r for r in caplog.records if r.name == security_log.LOGGER_NAME]
        found = [(r, parse(r.getMessage())) for r in records]
        return [fields for r, fields in found if name in (None, fields["event"])]

    read.caplog = caplog
    return read


def only(events, name) -> dict:
    found = events(name)
    assert len(found) == 1, (name, events())
    return found[0]


# -- the line format -----------------------------------------------------------------


def test_hostile_value_stays_one_escaped_field():
    line = security_log.format_event("upload-rejected", {"user": 4, "name": HOSTILE})
    assert line == f"event=upload-rejected user=4 name={HOSTILE_LOGGED}"
    fields = parse(line)
    assert list(fields) == ["event", "user", "name"]
    assert fields["event"] == "upload-rejected"


@pytest.mark.parametrize(
    ("value", "logged"),
    [
        (None, "-"),
        ("", '""'),
        (True, "yes"),
        (Role.EDITOR, "editor"),
        ('say "hi"', '"say \\"hi\\""'),
        ("a=b", '"a=b"'),
        ("back\\x1b", "back\\\\x1b"),  # a typed backslash cannot pass for an escape
        (
            "nbsp\u00a0zero\u200bbom\ufeffnel\x85del\x7f",
            "nbsp\\xa0zero\\u200bbom\\ufeffnel\\x85del\\x7f",
        ),
        ("\U000e0041tag", "\\U000e0041tag"),
        ("Łódź, 東京, عربى", '"Łódź, 東京, عربى"'),
    ],
)
def test_values_are_escaped_and_quoted(value, logged):
    assert security_log.format_value(value) == logged


def test_long_values_are_cut():
    logged = security_log.format_value("x" * 5000)
    assert logged == "x" * security_log.MAX_VALUE + "...(+4800)"


def test_unknown_event_names_are_refused(app):
    with pytest.raises(ValueError, match="unknown security event"):
        security_log.event("sign_in", user=1)


@pytest.fixture
def kathmandu(monkeypatch):
    """A local zone 5:45 ahead of UTC, so local time cannot pass for UTC."""
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_formatter_stamps_utc_on_one_line(kathmandu):
    record = logging.LogRecord(
        security_log.LOGGER_NAME, logging.WARNING, __file__, 1, "event=x\nforged", None, None
    )
    record.created = datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC).timestamp()
    line = security_log.SecurityFormatter().format(record)
    assert line == "2024-01-02T03:04:05.678+00:00 WARNING hlhr.security event=x\\x0aforged"


SCRIPT = textwrap.dedent(
    """
    import logging, sys
    from hlhr import create_app, security_log
    if sys.argv[1] == "operator":
        logging.basicConfig(format="OPERATOR %(name)s %(message)s")
    folder = sys.argv[2]
    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 32,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SEARCH_INDEX_DIR": folder + "/index", "UPLOAD_DIR": folder + "/uploads"})
    app.logger.warning("the app logger has its own handler now")
    with app.test_request_context("/editor/login"):
        security_log.event("sign-in-failed", reason="wrong-password")
    """
)


def _run(mode, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TZ": "Asia/Kathmandu"}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT, mode, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stderr.splitlines() if "event=" in line]


def test_without_logging_config_lines_go_to_stderr_once_in_utc(tmp_path):
    (line,) = _run("default", tmp_path)
    stamp, rest = line.split(" ", 1)
    assert (
        rest
        == "WARNING hlhr.security event=sign-in-failed reason=wrong-password path=/editor/login"
    )
    when = datetime.fromisoformat(stamp)
    assert stamp.endswith("+00:00")
    assert abs(datetime.now(UTC) - when) < timedelta(minutes=30)  # not local time (+05:45)


def test_an_operators_logging_config_is_left_alone(tmp_path):
    lines = _run("operator", tmp_path)
    assert lines == [
        "OPERATOR hlhr.security event=sign-in-failed reason=wrong-password path=/editor/login"
    ]


# -- sign-in, throttling, password ---------------------------------------------------


def _client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_sign_in_success_and_failures(app, events):
    user = make_user("ana@example.org", Role.EDITOR)
    assert login(_client_at(app, "192.0.2.10"), "ana@example.org").status_code == 302
    assert only(events, "sign-in") == {
        "event": "sign-in",
        "user": str(user.id),
        "role": "editor",
        "path": "/editor/login",
    }
    login(_client_at(app, "192.0.2.10"), "ana@example.org", "wrong-password-xx")
    login(_client_at(app, "192.0.2.10"), "nobody@example.org", "wrong-password-xx")
    user.active = False
    db.session.commit()
    login(_client_at(app, "192.0.2.10"), "ana@example.org")
    failed = events("sign-in-failed")
    assert [(f["user"], f["reason"]) for f in failed] == [
        (str(user.id), "wrong-password"),
        ("-", "unknown-account"),
        (str(user.id), "inactive"),
    ]
    assert failed[0]["client"] == throttle.client_hash("192.0.2.10")[:16]
    assert failed[0]["account"] == throttle.client_hash("ana@example.org")[:16]
    assert failed[1]["account"] != failed[0]["account"]
    text = events.caplog.text
    for secret in (PASSWORD, "wrong-password-xx", "ana@example.org", "nobody@", "192.0.2.10"):
        assert secret not in text


def test_sign_in_throttling_is_logged(app, events):
    make_user("ana@example.org")
    for _ in range(5):
        login(_client_at(app, "192.0.2.20"), "ana@example.org", "wrong-password-xx")
    assert login(_client_at(app, "198.51.100.1"), "ana@example.org").status_code == 429
    throttled = only(events, "throttled")
    assert throttled["scope"] == "login-account"
    assert 0 < int(throttled["wait"]) <= 15 * 60
    assert throttled["client"] == throttle.client_hash("198.51.100.1")[:16]
    assert len(events("sign-in-failed")) == 5


def test_own_password_change_and_sign_out(app, events):
    client, user = signed_in(app, Role.AUTHOR)
    wrong = {"current": "not-my-password", "new": "Another-long-pass-9", "confirm": "x"}
    wrong["confirm"] = wrong["new"]
    submit(client, "/editor/password", wrong)
    refused = only(events, "password-change-refused")
    assert (refused["user"], refused["reason"]) == (str(user.id), "wrong-current")
    right = {**wrong, "current": PASSWORD}
    assert submit(client, "/editor/password", right).status_code == 302
    assert only(events, "password-changed")["user"] == str(user.id)
    client.post("/editor/logout", data={"csrf_token": csrf(client)})
    assert only(events, "sign-out")["user"] == str(user.id)
    assert "Another-long-pass-9" not in events.caplog.text


# -- 403 and CSRF ----------------------------------------------------------------------


def test_contributor_on_an_admin_page_is_403_logged_once(app, events):
    client, user = signed_in(app, Role.CONTRIBUTOR)
    assert client.get("/editor/users/").status_code == 403
    assert only(events, "forbidden") == {
        "event": "forbidden",
        "user": str(user.id),
        "role": "contributor",
        "action": "users.manage",
        "target": "-",
        "path": "/editor/users/",
    }


def test_author_on_another_authors_post_names_the_target(app, events, make_post):
    post = make_post(title="Someone else's report")
    client, _ = signed_in(app, Role.AUTHOR)
    assert client.get(f"/editor/posts/{post.id}/edit").status_code == 403
    forbidden = only(events, "forbidden")
    assert (forbidden["action"], forbidden["target"]) == ("post.edit", f"Post:{post.id}")


def test_any_403_outside_the_editor_is_logged_once(app, events):
    @app.get("/probe/abort")
    def probe_abort():
        abort(403)

    @app.get("/probe/require")
    def probe_require():
        permissions.require(current_user, "users.manage")

    reader = _client_at(app, "203.0.113.5")
    assert reader.get("/probe/abort").status_code == 403
    assert reader.get("/probe/require").status_code == 403
    plain, refused = events("forbidden")
    assert plain == {
        "event": "forbidden",
        "user": "-",
        "client": throttle.client_hash("203.0.113.5")[:16],
        "path": "/probe/abort",
    }
    assert (refused["action"], refused["path"]) == ("users.manage", "/probe/require")


def test_csrf_failure_on_an_editor_form(app, events):
    client, user = signed_in(app, Role.EDITOR)
    assert client.post("/editor/tags/", data={"name": "Refugees"}).status_code == 400
    bad = {"name": "Refugees", "csrf_token": "IjEyMyI.AAAAAA.bad"}
    assert client.post("/editor/tags/", data=bad).status_code == 400
    missing, invalid = events("csrf-failed")
    assert missing["user"] == str(user.id)
    assert missing["reason"] == "The CSRF token is missing."
    assert missing["path"] == "/editor/tags/"
    assert invalid["reason"] == "The CSRF token is invalid."
    assert "IjEyMyI" not in events.caplog.text  # tokens are never logged


def test_csrf_failure_on_the_sign_in_form_has_no_user(app, events):
    make_user("ana@example.org")
    client = _client_at(app, "192.0.2.30")
    data = {"email": "ana@example.org", "password": PASSWORD}
    assert client.post("/editor/login", data=data).status_code == 400
    failed = only(events, "csrf-failed")
    assert failed["user"] == "-"
    assert failed["client"] == throttle.client_hash("192.0.2.30")[:16]
    assert events("sign-in") == [] and PASSWORD not in events.caplog.text


def test_csrf_failure_outside_the_editor(app, events):
    @app.post("/probe/csrf")
    def probe_csrf():
        csrf_protection.protect()
        return "unreachable"

    assert _client_at(app, "192.0.2.40").post("/probe/csrf").status_code == 400
    failed = only(events, "csrf-failed")
    assert (failed["reason"], failed["path"]) == ("The CSRF token is missing.", "/probe/csrf")


# -- reader comments -------------------------------------------------------------------

QUESTION_RE = re.compile(r'<span aria-hidden="true">(\d+) ([+−]) (\d+) =</span>')
QUESTION_TOKEN_RE = re.compile(r'name="question_token" value="([^"]*)"')
TESTIMONY = "I saw the arrest at the market."


def send_comment(client, post, page=None, **fields):
    """What a reader does: read the question, answer it and send the form."""
    page = page if page is not None else client.get(f"/{post.slug}/").text
    left, operator, right = QUESTION_RE.search(page).groups()
    answer = int(left) + int(right) if operator == "+" else int(left) - int(right)
    data = {
        "author": "Witness",
        "email": "witness@example.org",
        "comment": TESTIMONY,
        "question_token": QUESTION_TOKEN_RE.search(page).group(1),
        "question_answer": str(answer),
        **fields,
    }
    return client.post(f"/{post.slug}/comments/", data=data)


@pytest.fixture
def article(make_post):
    return make_post(title="Detention report")


@pytest.fixture
def reader(app):
    return _client_at(app, "203.0.113.9")


def test_closed_comments_are_a_logged_403(app, events, make_post, reader):
    post = make_post(title="Closed report", comments_open=False)
    assert reader.post(f"/{post.slug}/comments/", data={"comment": TESTIMONY}).status_code == 403
    forbidden = only(events, "forbidden")
    assert (forbidden["reason"], forbidden["post"]) == ("closed", str(post.id))
    assert forbidden["client"] == throttle.client_hash("203.0.113.9")[:16]


def test_bad_question_token_is_a_comment_csrf_failure(app, events, article, reader):
    page = reader.get(f"/{article.slug}/").text
    refused = send_comment(reader, article, page=page, question_token="forged")
    assert refused.status_code == 400
    assert send_comment(reader, article, page=refused.text).status_code == 303  # its question
    replayed = send_comment(reader, article, page=refused.text, comment="Again")
    assert replayed.status_code == 400
    assert [f["reason"] for f in events("csrf-failed")] == ["forged", "replayed"]
    assert {f["path"] for f in events("csrf-failed")} == {f"/{article.slug}/comments/"}


def test_answering_the_hours_question_again_is_no_security_event(app, events, article, reader):
    """A second comment within the hour, or a neighbour behind the same address."""
    page = reader.get(f"/{article.slug}/").text
    assert send_comment(reader, article, page=page).status_code == 303
    again = send_comment(reader, article, page=page, comment="Second thought")
    assert again.status_code == 400
    assert "You already answered this question" in again.text
    assert events("csrf-failed") == []


def test_comment_flood_honeypot_and_wrong_answer_are_logged(app, events, article, reader):
    assert send_comment(reader, article).status_code == 303
    # the page asks one question per hour and this reader answered it: take a fresh one
    fresh = questions.new_question(article.id)
    second = {"question_token": fresh.token, "question_answer": str(fresh.answer)}
    assert send_comment(reader, article, comment="Second thought", **second).status_code == 429
    throttled = only(events, "throttled")
    assert (throttled["scope"], throttled["reason"]) == ("comment", "flood")
    other = _client_at(app, "198.51.100.77")
    assert send_comment(other, article, address="http://spam.example").status_code == 400
    assert send_comment(other, article, question_answer="999").status_code == 400
    assert [f["reason"] for f in events("comment-refused")] == ["honeypot", "wrong"]
    text = events.caplog.text
    assert TESTIMONY not in text and "witness@example.org" not in text
    assert "203.0.113.9" not in text and "198.51.100.77" not in text


def test_typos_in_the_comment_form_are_not_security_events(app, events, article, reader):
    assert send_comment(reader, article, email="not-an-address").status_code == 400
    assert events() == []


# -- moderation ------------------------------------------------------------------------


def _comment(post, body):
    comment = Comment(post_id=post.id, author_name="Reader", author_email="r@example.org",
                      body=body, status=CommentStatus.PENDING)  # fmt: skip
    db.session.add(comment)
    db.session.commit()
    return comment


def test_comment_moderation_decisions(app, events, article):
    editor, me = signed_in(app, Role.EDITOR)
    first, second, third = (_comment(article, f"{TESTIMONY} {n}") for n in range(3))
    token = csrf(editor)
    editor.post(f"/editor/comments/{first.id}/approved", data={"csrf_token": token})
    editor.post(f"/editor/comments/{second.id}/spam", data={"csrf_token": token})
    bulk = {"csrf_token": token, "ids": [third.id], "action": "trash"}
    editor.post("/editor/comments/bulk", data=bulk)
    editor.post(f"/editor/comments/{second.id}/delete", data={"csrf_token": token})
    moderated = events("comment-moderated")
    assert [(f["comment"], f["old_status"], f["new_status"], f["how"]) for f in moderated] == [
        (str(first.id), "pending", "approved", "single"),
        (str(second.id), "pending", "spam", "single"),
        (str(third.id), "pending", "trash", "bulk"),
    ]
    assert {(f["post"], f["by"]) for f in moderated} == {(str(article.id), str(me.id))}
    deleted = only(events, "comment-deleted")
    assert (deleted["comment"], deleted["old_status"]) == (str(second.id), "spam")
    assert TESTIMONY not in events.caplog.text and "r@example.org" not in events.caplog.text


def test_reply_approves_and_edit_is_logged(app, events, article):
    editor, _ = signed_in(app, Role.EDITOR)
    comment = _comment(article, TESTIMONY)
    submit(editor, f"/editor/comments/{comment.id}/reply", {"body": "Thank you."})
    assert only(events, "comment-moderated")["how"] == "reply"
    edit = f"/editor/comments/{comment.id}/edit"
    assert submit(editor, edit, {"author_name": "R.", "body": "Edited."}).status_code == 302
    assert only(events, "comment-edited")["comment"] == str(comment.id)


def test_publishing_trashing_and_deleting_posts(app, events):
    editor, me = signed_in(app, Role.EDITOR)
    assert submit(editor, "/editor/posts/new", post_fields(title="Draft")).status_code == 302
    assert events("post-status-changed") == []  # a new draft is not a decision
    published = post_fields(title="Out now", status="published")
    assert submit(editor, "/editor/posts/new", published).status_code == 302
    post = db.session.scalar(db.select(Post).where(Post.title == "Out now"))
    token = csrf(editor)
    editor.post(f"/editor/posts/{post.id}/trash", data={"csrf_token": token})
    editor.post(f"/editor/posts/{post.id}/delete", data={"csrf_token": token})
    changes = events("post-status-changed")
    assert [(f["old_status"], f["new_status"]) for f in changes] == [
        ("-", "published"),
        ("published", "trash"),
    ]
    assert {(f["post"], f["kind"], f["by"]) for f in changes} == {
        (str(post.id), "post", str(me.id))
    }
    assert only(events, "post-deleted")["post"] == str(post.id)


# -- uploads ---------------------------------------------------------------------------


def test_a_non_image_upload_is_logged(app, events):
    author, me = signed_in(app, Role.AUTHOR)
    form = {
        "csrf_token": csrf(author, "/editor/media/upload"),
        "alt_text": "Notes",
        "file": (io.BytesIO(b"#!/bin/sh\necho not an image\n"), "notes.png"),
    }
    response = author.post("/editor/media/upload", data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert only(events, "upload-rejected") == {
        "event": "upload-rejected",
        "user": str(me.id),
        "reason": "The file is not a readable image.",
        "name": "notes.png",
        "size": "28",
        "path": "/editor/media/upload",
    }


def test_a_hostile_file_name_is_escaped_on_one_line(app, events):
    """RFC 2231 ``filename*`` lets a client put CR, LF and ESC into the name we log."""
    author, _ = signed_in(app, Role.AUTHOR)
    token = csrf(author, "/editor/media/upload")
    boundary = "hlhr-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="alt_text"\r\n\r\nAlt\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f"filename*=UTF-8''{quote(HOSTILE, safe='')}\r\nContent-Type: image/png\r\n\r\n"
    )
    body = head.encode() + b"not an image" + f"\r\n--{boundary}--\r\n".encode()
    response = author.post(
        "/editor/media/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    (record,) = [r for r in events.caplog.records if "upload-rejected" in r.getMessage()]
    message = record.getMessage()
    assert f" name={HOSTILE_LOGGED} " in message
    fields = parse(message)
    assert list(fields) == ["event", "user", "reason", "name", "size", "path"]
    assert fields["event"] == "upload-rejected"
    formatted = security_log.SecurityFormatter().format(record)
    assert len(formatted.splitlines()) == 1
    assert not any(ch in formatted for ch in "\r\n\x1b\u2028\u2029\u202e\u2066\t\x00")
    assert formatted.count("event=") == 2  # ours, and the escaped text inside the quotes


def test_a_too_large_request_is_logged(app, events):
    author, me = signed_in(app, Role.AUTHOR)
    token = csrf(author, "/editor/media/upload")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    form = {"csrf_token": token, "file": (io.BytesIO(b"x" * 4096), "big.png")}
    response = author.post("/editor/media/upload", data=form, content_type="multipart/form-data")
    assert response.status_code == 413
    too_large = only(events, "request-too-large")
    assert (too_large["user"], too_large["limit"]) == (str(me.id), "1024")


# -- staff accounts --------------------------------------------------------------------


def test_account_changes_by_an_admin(app, events):
    admin, me = signed_in(app, Role.ADMIN)
    new = {"email": "sam@example.org", "display_name": "Sam Reporter", "role": "author",
           "password": "A-long-enough-passphrase"}  # fmt: skip
    assert submit(admin, "/editor/users/", new).status_code == 302
    sam = db.session.scalar(db.select(User).where(User.email == "sam@example.org"))
    assert only(events, "user-created") == {
        "event": "user-created",
        "user": str(sam.id),
        "role": "author",
        "by": str(me.id),
        "path": "/editor/users/",
    }
    url = f"/editor/users/{sam.id}"
    fields = {"display_name": "Samira Reporter", "email": "samira@example.org", "role": "editor"}
    assert submit(admin, url, fields).status_code == 302  # active unticked: deactivated
    changed = only(events, "user-changed")
    assert (changed["user"], changed["fields"]) == (str(sam.id), "display_name,email")
    role = only(events, "role-changed")
    assert (role["old_role"], role["new_role"], role["by"]) == ("author", "editor", str(me.id))
    assert only(events, "user-deactivated")["user"] == str(sam.id)
    assert submit(admin, url, {**fields, "active": "y"}).status_code == 302
    assert only(events, "user-reactivated")["user"] == str(sam.id)
    secret = "Fresh-granite-pass-31"
    reset = {"password": secret, "confirm": secret}
    assert submit(admin, f"{url}/password", reset, form_url=url).status_code == 302
    assert only(events, "password-reset") == {
        "event": "password-reset",
        "user": str(sam.id),
        "by": str(me.id),
        "path": f"/editor/users/{sam.id}/password",
    }
    text = events.caplog.text
    for private in (secret, "A-long-enough-passphrase", "sam@example.org", "Samira"):
        assert private not in text


def test_every_event_name_is_written_somewhere():
    """The registry lists what the code writes: no name without a caller."""
    sources = "\n".join(p.read_text() for p in (ROOT / "hlhr").rglob("*.py"))
    for name in security_log.EVENTS:
        assert f'"{name}"' in sources.replace(f'"{name}": ', ""), name
