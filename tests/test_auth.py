"""Staff sign-in: sessions, replay after logout, throttling, safe next=, CSRF, cookies."""

import logging
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, corpus_lines
from editor_helpers import PASSWORD, csrf, login, make_user, signed_in, submit

from hlhr import auth
from hlhr.extensions import db
from hlhr.models import Role, Tag, ThrottleEvent, User, utcnow

COOKIE = "hlhr_staff"


def test_sign_in_and_out(app):
    make_user("ana@example.org")
    client = app.test_client()
    assert client.get("/editor/").headers["Location"].startswith("/editor/login")
    response = login(client, "ANA@example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/editor/"
    page = client.get("/editor/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get("/editor/logout").status_code == 405  # POST only
    token = csrf(client)
    assert client.post("/editor/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/editor/").status_code == 302


def test_wrong_password_and_unknown_account_look_the_same(app):
    make_user("ana@example.org")
    client = app.test_client()
    wrong = login(client, "ana@example.org", "not-the-password")
    unknown = login(client, "nobody@example.org", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert auth.GENERIC_FAILURE.replace("'", "&#39;") in wrong.get_data(as_text=True)
    assert auth.GENERIC_FAILURE.replace("'", "&#39;") in unknown.get_data(as_text=True)


def test_inactive_account_cannot_sign_in(app):
    user = make_user("gone@example.org")
    user.active = False
    db.session.commit()
    assert login(app.test_client(), "gone@example.org").status_code == 200


def _cookie(client):
    return client.get_cookie(COOKIE).value


def _replay(app, value):
    other = app.test_client()
    other.set_cookie(COOKIE, value)
    return other.get("/editor/")


def test_cookie_replayed_after_logout_is_refused(app, caplog):
    make_user("ana@example.org")
    client = app.test_client()
    login(client, "ana@example.org")
    captured = _cookie(client)
    assert _replay(app, captured).status_code == 200  # the captured cookie works now
    with caplog.at_level(logging.INFO, logger="hlhr.security"):
        client.post("/editor/logout", data={"csrf_token": csrf(client)})
    assert "sign-out" in caplog.text
    response = _replay(app, captured)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/editor/login")


def test_password_change_ends_other_sessions_but_keeps_this_one(app):
    make_user("ana@example.org", name="Ana Lopez")
    client = app.test_client()
    login(client, "ana@example.org")
    other = app.test_client()
    login(other, "ana@example.org")
    form = {"current": PASSWORD, "new": "Another-long-passphrase-9", "confirm": ""}
    form["confirm"] = form["new"]
    response = submit(client, "/editor/password", form)
    assert response.status_code == 302
    assert client.get("/editor/").status_code == 200
    assert other.get("/editor/").status_code == 302
    fresh = app.test_client()
    assert login(fresh, "ana@example.org", "Another-long-passphrase-9").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("wrong-current-password", "Another-long-passphrase-9", "current password is not"),
        (PASSWORD, "short", "at least 12"),
        (PASSWORD, "ana-lopez-2024-secret", "name or e-mail"),
        (PASSWORD, "my lopez password!", "name or e-mail"),
    ],
)
def test_password_rules(app, current, new, message):
    make_user("ana-lopez@example.org", name="Ana Lopez")
    client = app.test_client()
    login(client, "ana-lopez@example.org")
    response = submit(client, "/editor/password", {"current": current, "new": new, "confirm": new})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User)).check_password(PASSWORD)


def test_deactivation_signs_the_user_out(app):
    admin_client, _ = signed_in(app, Role.ADMIN)
    victim = make_user("leaver@example.org")
    client = app.test_client()
    login(client, "leaver@example.org")
    assert client.get("/editor/").status_code == 200
    url = f"/editor/users/{victim.id}"
    data = {"display_name": victim.display_name, "email": victim.email, "role": "author"}
    assert submit(admin_client, url, data).status_code == 302  # active unticked
    assert client.get("/editor/").status_code == 302


def _client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _fail(client, email, times):
    return [login(client, email, "wrong-password-xx").status_code for _ in range(times)]


def test_five_failures_per_account_lock_it_for_15_minutes(app, caplog):
    make_user("ana@example.org")
    client = app.test_client()
    assert _fail(client, "ana@example.org", 5) == [200] * 5
    with caplog.at_level(logging.INFO, logger="hlhr.security"):
        response = login(client, "ana@example.org")  # even the right password
    assert response.status_code == 429
    text = response.get_data(as_text=True)
    assert "try again in 15 minutes" in text
    assert int(response.headers["Retry-After"]) > 14 * 60
    assert "throttled" in caplog.text
    assert client.get("/editor/").status_code == 302


def test_throttle_message_does_not_reveal_accounts(app):
    make_user("ana@example.org")
    known, unknown = app.test_client(), app.test_client()
    _fail(known, "ana@example.org", 5)
    db.session.execute(db.delete(ThrottleEvent).where(ThrottleEvent.scope == auth.SCOPE_CLIENT))
    db.session.commit()
    _fail(unknown, "nobody@example.org", 5)
    db.session.execute(db.delete(ThrottleEvent).where(ThrottleEvent.scope == auth.SCOPE_CLIENT))
    db.session.commit()
    a = login(known, "ana@example.org", "x")
    b = login(unknown, "nobody@example.org", "x")
    assert a.status_code == b.status_code == 429
    assert a.get_data(as_text=True).count("Too many") == b.get_data(as_text=True).count("Too many")


def test_five_failures_per_client_lock_every_account_from_it(app):
    make_user("ana@example.org")
    client = app.test_client()
    for n in range(5):
        login(client, f"guess{n}@example.org", "wrong-password-xx")
    assert login(client, "ana@example.org").status_code == 429
    elsewhere = _client_at(app, "10.9.8.7")
    assert login(elsewhere, "ana@example.org").status_code == 302


def test_throttle_window_expires(app):
    make_user("ana@example.org")
    client = app.test_client()
    _fail(client, "ana@example.org", 5)
    old = utcnow() - timedelta(minutes=16)
    db.session.execute(db.update(ThrottleEvent).values(created_at=old))
    db.session.commit()
    assert login(client, "ana@example.org").status_code == 302


def test_no_raw_address_or_email_is_stored(app):
    client = _client_at(app, "203.0.113.9")
    _fail(client, "ana@example.org", 2)
    rows = db.session.scalars(db.select(ThrottleEvent)).all()
    assert len(rows) == 4
    assert all("203.0.113" not in r.key_hash and "@" not in r.key_hash for r in rows)


FAIL_IN_OTHER_PROCESS = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[2])
    from hlhr import create_app
    from editor_helpers import login
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
    with app.app_context():
        client = app.test_client()
        codes = [login(client, "ana@example.org", "wrong-password-xx").status_code
                 for _ in range(3)]
    print(codes)
    """
)


def test_throttling_holds_across_processes(app):
    """Failures counted by another worker process (sharing the database) count here too."""
    make_user("ana@example.org")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", FAIL_IN_OTHER_PROCESS, url, str(ROOT / "tests")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[200, 200, 200]"
    client = app.test_client()
    assert _fail(client, "ana@example.org", 2) == [200, 200]
    assert login(client, "ana@example.org").status_code == 429


def _lands_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        not parts.scheme
        and not parts.netloc
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and "\\" not in location
    )


def test_next_never_leaves_the_site(app):
    make_user("ana@example.org")
    client = app.test_client()
    login(client, "ana@example.org")
    for target in corpus_lines("patt/open_redirect.txt"):
        form_page = client.get("/editor/login", query_string={"next": target})
        assert form_page.status_code == 302
        assert _lands_on_site(form_page.headers["Location"]), target
    fresh = app.test_client()
    for target in corpus_lines("patt/open_redirect.txt")[:40]:
        db.session.execute(db.delete(ThrottleEvent))
        db.session.commit()
        response = login(fresh, "ana@example.org", next_=target)
        assert response.status_code == 302
        assert _lands_on_site(response.headers["Location"]), target
        fresh.post("/editor/logout", data={"csrf_token": csrf(fresh)})


def test_next_keeps_a_local_path(app):
    make_user("ana@example.org")
    client = app.test_client()
    wanted = client.get("/editor/posts/?status=draft")
    assert wanted.headers["Location"] == "/editor/login?next=/editor/posts/?status%3Ddraft"
    response = login(client, "ana@example.org", next_="/editor/posts/?status=draft")
    assert response.headers["Location"] == "/editor/posts/?status=draft"


@pytest.mark.parametrize("token", [None, "", "not-a-token", "IjEyMyI.AAAAAA.bad"])
def test_missing_or_wrong_csrf_is_400_and_writes_nothing(app, token, caplog):
    client, _ = signed_in(app, Role.EDITOR)
    data = {"name": "Refugees", "slug": ""}
    if token is not None:
        data["csrf_token"] = token
    with caplog.at_level(logging.INFO, logger="hlhr.security"):
        response = client.post("/editor/tags/", data=data)
    assert response.status_code == 400
    assert "event=csrf-failed" in caplog.text
    assert db.session.scalar(db.select(db.func.count(Tag.id))) == 0


def test_expired_csrf_is_400(app):
    client, _ = signed_in(app, Role.EDITOR)
    token = csrf(client)
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is now older than the limit
    response = client.post("/editor/tags/", data={"csrf_token": token, "name": "Refugees"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Tag.id))) == 0


def test_login_form_needs_csrf(app):
    make_user("ana@example.org")
    response = app.test_client().post(
        "/editor/login", data={"email": "ana@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_session_cookie_flags(app):
    make_user("ana@example.org")
    client = app.test_client()
    response = login(client, "ana@example.org")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


def test_session_cookie_secure_when_site_is_https(tmp_path, database_url):
    from conftest import _config

    from hlhr import create_app

    app = create_app({**_config(tmp_path, database_url), "SITE_URL": "https://hlhr.example"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_reader_pages_set_no_cookies(app, make_post):
    make_post(title="Open to all")
    client = app.test_client()
    for url in ("/", "/open-to-all/", "/search/?q=open"):
        response = client.get(url)
        assert response.status_code in (200, 404, 503), url
        assert "Set-Cookie" not in response.headers, url


def test_successful_sign_in_is_logged(app, caplog):
    make_user("ana@example.org")
    with caplog.at_level(logging.INFO, logger="hlhr.security"):
        login(app.test_client(), "ana@example.org")
        login(app.test_client(), "ana@example.org", "wrong-password-xx")
    assert "event=sign-in user=" in caplog.text
    assert "event=sign-in-failed" in caplog.text
    assert PASSWORD not in caplog.text


def _wrong_current(client):
    new = "Another-long-passphrase-9"
    form = {"current": "wrong-current-password", "new": new, "confirm": new}
    return submit(client, "/editor/password", form)


def test_wrong_current_passwords_count_towards_the_sign_in_throttle(app, caplog):
    make_user("ana@example.org")
    client = app.test_client()
    login(client, "ana@example.org")
    assert [_wrong_current(client).status_code for _ in range(5)] == [200] * 5
    right = {"current": PASSWORD, "new": "Another-long-passphrase-9"}
    right["confirm"] = right["new"]
    with caplog.at_level(logging.INFO, logger="hlhr.security"):
        response = submit(client, "/editor/password", right)  # even the right password
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 14 * 60
    assert "throttled" in caplog.text
    assert db.session.scalar(db.select(User)).check_password(PASSWORD)
    # The same account throttle holds for signing in, even from another client.
    assert login(_client_at(app, "10.9.8.7"), "ana@example.org").status_code == 429


def test_sign_in_failures_and_wrong_current_passwords_add_up(app):
    make_user("ana@example.org")
    client = app.test_client()
    login(client, "ana@example.org")
    _fail(_client_at(app, "10.9.8.7"), "ana@example.org", 3)
    assert [_wrong_current(client).status_code for _ in range(3)] == [200, 200, 429]


def test_password_change_throttle_expires(app):
    make_user("ana@example.org")
    client = app.test_client()
    login(client, "ana@example.org")
    for _ in range(5):
        _wrong_current(client)
    old = utcnow() - timedelta(minutes=16)
    db.session.execute(db.update(ThrottleEvent).values(created_at=old))
    db.session.commit()
    form = {"current": PASSWORD, "new": "Another-long-passphrase-9"}
    form["confirm"] = form["new"]
    assert submit(client, "/editor/password", form).status_code == 302
