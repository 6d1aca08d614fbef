"""TRUSTED_HOSTS: an unknown Host (or a forwarded one) gets a plain 400 page, never a 500."""

import logging

import pytest
from conftest import _config, serve
from sqlalchemy.exc import OperationalError

from hlhr import create_app
from hlhr.extensions import db

SITE = "news.example.org"


@pytest.fixture
def make_app(tmp_path, database_url):
    """``make_app(**config)``: an app on this test's database with TRUSTED_HOSTS = [SITE]
    (``trusted_hosts=None`` leaves the setting to the environment and the defaults)."""
    made = []

    def make(trusted_hosts=(SITE,), **config):
        if trusted_hosts is not None:
            config["TRUSTED_HOSTS"] = list(trusted_hosts)
        made.append(create_app({**_config(tmp_path, database_url), **config}))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def get(app, path="/", host=SITE, **kwargs):
    return app.test_client().get(path, base_url=f"http://{host}", **kwargs)


def assert_bad_host_page(response):
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY", "the usual security headers"
    text = response.text
    assert text.startswith("<!doctype html>")
    assert '<html lang="en">' in text
    assert "<title>Bad request" in text
    assert "<h1>Bad request</h1>" in text
    assert "address" in text and "not recognised" in text
    assert "Traceback" not in text and "evil" not in text, "nothing echoed back"


def test_the_trusted_host_is_served(make_app):
    app = make_app()
    assert get(app).status_code == 200
    assert get(app, "/search/").status_code == 200


def test_the_trusted_name_with_a_port_is_served(make_app):
    """Werkzeug ignores the port when it compares a Host with TRUSTED_HOSTS."""
    assert get(make_app(), host=f"{SITE}:8080").status_code == 200


@pytest.mark.parametrize(
    "path", ["/", "/search/?q=torture", "/no-such-page/", "/?p=12", "/editor/", "/static/x.css"]
)
def test_an_unknown_host_gets_400_with_a_plain_page(make_app, path):
    assert_bad_host_page(get(make_app(), path, host="evil.example.com"))


@pytest.mark.parametrize("host", ["evil.example.com", "203.0.113.7", f"{SITE}.evil.example"])
def test_other_names_and_bare_addresses_are_refused(make_app, host):
    assert_bad_host_page(get(make_app(), host=host))


def test_a_post_and_a_head_to_an_unknown_host_are_refused_too(make_app):
    client = make_app().test_client()
    posted = client.post("/editor/login", data={"email": "x"}, base_url="http://evil.example")
    assert_bad_host_page(posted)
    head = client.head("/", base_url="http://evil.example")
    assert head.status_code == 400 and head.data == b""


def test_the_page_needs_no_database(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}")
    with pytest.raises(OperationalError):  # the database really is out of reach
        get(app)
    assert_bad_host_page(get(app, host="evil.example.com"))


def test_json_clients_get_json(make_app):
    response = get(make_app(), "/search/suggest?q=to", host="evil.example.com",
                   headers={"Accept": "application/json"})  # fmt: skip
    assert response.status_code == 400
    assert response.json["error"] == "bad_host"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_refused_host_logs_one_line_and_no_traceback(make_app, caplog):
    app = make_app()
    with caplog.at_level(logging.DEBUG):
        assert get(app, host="evil.example.com").status_code == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    mentions = [r for r in caplog.records if "evil.example.com" in r.getMessage()]
    assert len(mentions) == 1 and mentions[0].levelno == logging.INFO


def test_a_forwarded_host_is_checked_behind_a_proxy(make_app):
    app = make_app(PROXY_COUNT=1)
    trusted = get(app, host="127.0.0.1:8000", headers={"X-Forwarded-Host": SITE})
    assert trusted.status_code == 200, "nginx passes the real name in X-Forwarded-Host"
    spoofed = get(app, headers={"X-Forwarded-Host": "evil.example.com"})
    assert_bad_host_page(spoofed)


def test_a_forwarded_host_is_ignored_without_a_proxy(make_app):
    response = get(make_app(), headers={"X-Forwarded-Host": "evil.example.com"})
    assert response.status_code == 200
    assert f'href="http://{SITE}/"' in response.text and "evil.example.com" not in response.text


def test_the_environment_variable_reaches_flask(make_app, monkeypatch):
    monkeypatch.setenv("HLHR_TRUSTED_HOSTS", f'["{SITE}", ".example.net"]')
    app = make_app(trusted_hosts=None)
    assert app.config["TRUSTED_HOSTS"] == [SITE, ".example.net"]
    assert get(app, host="www.example.net").status_code == 200
    assert get(app, host="evil.example.com").status_code == 400


def test_without_trusted_hosts_any_host_is_served(make_app):
    assert get(make_app(trusted_hosts=None), host="anything.example").status_code == 200


@pytest.mark.browser
def test_the_bad_request_page_passes_axe(make_app, page):
    from axe_playwright_python.sync_playwright import Axe

    with serve(make_app()) as url:  # the browser asks for 127.0.0.1, which is not SITE
        response = page.goto(url + "/")
        assert response.status == 400
        assert page.locator("h1").inner_text() == "Bad request"
        result = Axe().run(page)
    assert not result.violations_count, result.generate_report()
