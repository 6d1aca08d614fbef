"""The factory, configuration, CLI, slugs and the query budget per page."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPORA, ROOT
from sqlalchemy import event, func, select

from hlhr import create_app
from hlhr.config import write_instance_config
from hlhr.extensions import db
from hlhr.models import Category, Comment, MenuItem, Post, PostKind, Setting, User
from hlhr.publishing import PublishingError, check_slug, make_slug

HAND_WRITTEN_NAUGHTY = [
    "../../etc/passwd", "%2e%2e%2f", "<script>alert(1)</script>", "' OR 1=1 --", "\u202etxt.exe",
    "\u200b", "🏳️‍🌈", "ﷺ", "NUL", "con", "a" * 3000, "%00", "\\\\server\\share", "?p=1", "#",
]  # fmt: skip


def test_instance_folder_sits_beside_the_package(app):
    assert Path(app.instance_path) == ROOT / "instance"


def test_config_precedence(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("SITE_NAME = 'From file'\nPOSTS_PER_PAGE = 7\n")
    monkeypatch.setenv("HLHR_POSTS_PER_PAGE", "9")
    monkeypatch.setenv("HLHR_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    app = create_app({"TESTING": True, "SITE_TAGLINE": "From test"})
    assert app.config["SITE_NAME"] == "From file"
    assert app.config["POSTS_PER_PAGE"] == 9, "environment beats the instance file"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["SITE_TAGLINE"] == "From test"


@pytest.mark.parametrize("key", [None, "change-me"])
def test_production_refuses_a_missing_or_placeholder_secret(tmp_path, monkeypatch, key):
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))
    monkeypatch.delenv("HLHR_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_instance_config_is_written_once_with_a_random_key(tmp_path):
    assert write_instance_config(tmp_path) is True
    first = (tmp_path / "config.py").read_text()
    assert write_instance_config(tmp_path) is False
    assert (tmp_path / "config.py").read_text() == first
    assert "change-me" not in first and len(first) > 60
    assert oct((tmp_path / "config.py").stat().st_mode)[-3:] == "600"


def test_cli_commands_have_help(runner):
    for command in ("init-db", "create-user", "demo"):
        result = runner.invoke(args=[command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_create_user_prints_a_generated_password_once(runner):
    result = runner.invoke(args=["create-user", "--email", "Ed@Example.org", "--role", "editor"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].strip()
    user = db.session.scalar(select(User).where(User.email == "ed@example.org"))
    assert user.role == "editor" and user.check_password(password)
    assert user.password_hash.startswith("scrypt:")
    again = runner.invoke(args=["create-user", "--email", "ed@example.org"])
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(args=["create-user", "--email", "x@example.org", "--password", "short"])
    assert short.exit_code != 0 and "12 characters" in short.output
    personal = runner.invoke(
        args=[
            "create-user",
            "--email",
            "ed.smith@example.org",
            "--password",
            "ed.smith@example.org!",
        ]
    )
    assert personal.exit_code != 0 and "name or e-mail" in personal.output


def test_create_user_and_password_reset_are_security_events(runner, caplog):
    caplog.set_level(logging.INFO, logger="hlhr.security")
    created = runner.invoke(args=["create-user", "--email", "ed@example.org", "--role", "admin"])
    reset = runner.invoke(args=["create-user", "--email", "ed@example.org", "--reset-password"])
    assert (created.exit_code, reset.exit_code) == (0, 0), created.output + reset.output
    user = db.session.scalar(select(User).where(User.email == "ed@example.org"))
    lines = [r.getMessage() for r in caplog.records if r.name == "hlhr.security"]
    assert lines == [
        f"event=user-created user={user.id} role=admin by=cli",
        f"event=password-reset user={user.id} by=cli",
    ]
    assert "@" not in " ".join(lines)  # ids, never e-mail addresses


def test_demo_loads_once_and_generates_more(runner, client):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "password:" in first.output
    counts = _counts()
    assert counts["posts"] >= 30 and counts["pages"] == 2 and counts["comments"] > 5
    assert {"NEWS", "RESEARCH", "IMPACT", "RESOURCES", "Important"} <= counts["sections"]
    assert counts["menu"] == ["HOME", "WHO WE ARE", "TAKE ACTION", "NEWS", "RESEARCH",
                              "IMPACT", "RESOURCES"]  # fmt: skip
    second = runner.invoke(args=["demo"])
    assert "already loaded" in second.output and _counts() == counts
    more = runner.invoke(args=["demo", "--posts", "25"])
    assert more.exit_code == 0 and "Generated 25 articles" in more.output
    assert _counts()["posts"] == counts["posts"] + 25
    home = client.get("/")
    assert home.status_code == 200 and "<picture>" in home.text


def _counts():
    def count(query):
        return db.session.scalar(select(func.count()).select_from(query.subquery()))

    return {
        "posts": count(select(Post).where(Post.kind == PostKind.POST)),
        "pages": count(select(Post).where(Post.kind == PostKind.PAGE)),
        "comments": count(select(Comment)),
        "sections": set(db.session.scalars(select(Category.name))),
        "menu": list(db.session.scalars(select(MenuItem.label).order_by(MenuItem.position))),
        "settings": count(select(Setting)),
    }


def test_init_db_runs_the_migrations(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "up to date" in result.output


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Genève: talks on torture", "genève-talks-on-torture"),
        ("حقوق المحتجزين في الوصول إلى محام", "حقوق-المحتجزين-في-الوصول-إلى-محام"),
        ("حق آموزش برای همه", "حق-آموزش-برای-همه"),
        ("São Paulo & Bogotá", "são-paulo-bogotá"),
    ],
)
def test_unicode_titles_give_readable_working_urls(client, make_post, title, slug):
    post = make_post(title=title)
    assert post.slug == slug
    assert client.get(f"/{slug}/").status_code == 200


def test_repeated_titles_get_numbered_slugs(make_post):
    """Past one batch of candidates, and with a slug that merely starts the same way."""
    make_post(title="Court ruling on appeal")
    slugs = [make_post(title="Court ruling").slug for _ in range(25)]
    assert slugs == ["court-ruling"] + [f"court-ruling-{n}" for n in range(2, 26)]


@pytest.mark.parametrize("word", ["editor", "search", "feed", "media", "static", "Category"])
def test_reserved_words_are_refused_as_slugs(word):
    with pytest.raises(PublishingError, match="reserved"):
        check_slug(word)


def test_digit_only_and_empty_slugs_are_refused():
    for bad in ("2024", "", "!!!"):
        with pytest.raises(PublishingError):
            check_slug(bad)


def _naughty_strings():
    strings = list(HAND_WRITTEN_NAUGHTY)
    blns = CORPORA / "blns.json"
    if blns.exists():
        strings += json.loads(blns.read_text(encoding="utf-8"))
    else:
        print(f"WARNING: {blns} missing; only the hand-written naughty strings run")
    return strings


def test_naughty_strings_as_slugs_and_paths_never_500(client, make_post):
    make_post(title="Anchor post")
    failures = []
    for text in _naughty_strings():
        try:
            slug = check_slug(text)
        except PublishingError:
            slug = None
        assert slug is None or "/" not in slug
        for path in (f"/{text}/", f"/category/{text}/", f"/tag/{text}/", f"/{make_slug(text)}/"):
            code = client.get(path).status_code
            if code >= 500:
                failures.append((path, code))
    assert failures == []


def test_naughty_titles_save_and_render_or_are_refused_clearly(client, make_post):
    saved = 0
    for n, text in enumerate(HAND_WRITTEN_NAUGHTY):
        try:
            post = make_post(title=f"{text} {n}")
        except PublishingError as refusal:  # e.g. a title whose slug is only digits
            assert str(refusal)
            db.session.rollback()
            continue
        saved += 1
        assert client.get(f"/{post.slug}/").status_code == 200
    assert saved >= len(HAND_WRITTEN_NAUGHTY) // 2


class QueryCounter:
    """Counts the reads a page makes (the batched view counter's writes vary with time)."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *args):
        self.count += statement.lstrip().upper().startswith(("SELECT", "WITH"))


def _queries_per_page(client, app, paths):
    counts = {}
    for path in paths:
        client.get(path)  # warm the per-process sidebar cache as production would be
        with QueryCounter(db.engine) as counter:
            assert client.get(path).status_code == 200
        counts[path] = counter.count
    return counts


def test_queries_per_page_do_not_grow_with_posts(client, app, make_post):
    target = make_post(title="Target article", tags=("detention", "courts"))
    for n in range(3):
        make_post(title=f"Early {n}", tags=("detention",), editors_pick=True)
    paths = ["/", f"/{target.slug}/", "/category/news/", "/tag/detention/"]
    few = _queries_per_page(client, app, paths)
    for n in range(40):
        make_post(title=f"Later {n}", tags=("detention", "courts"), section=f"S{n % 5}",
                  editors_pick=n % 3 == 0)  # fmt: skip
    many = _queries_per_page(client, app, paths)
    assert all(many[path] <= few[path] for path in paths), (few, many)
    assert max(many.values()) <= 12


def test_cold_sidebar_cache_stays_within_budget(client, app, make_post):
    target = make_post(title="Target article")
    app.extensions["hlhr_cache"].clear()
    with QueryCounter(db.engine) as counter:
        client.get(f"/{target.slug}/")
    assert counter.count <= 20


def test_wsgi_module_builds_the_app(tmp_path):
    env = {
        "HLHR_SECRET_KEY": "x" * 40,
        "HLHR_DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    code = "import wsgi; print(wsgi.app.name)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert out.stdout.strip() == "hlhr"


def test_site_cache_builds_can_read_other_entries(app):
    """A build that reads another cached entry must not deadlock (feeds read the chrome)."""
    from hlhr.site import SiteCache

    cache = SiteCache(max_entries=2)
    outer = cache.get("outer", lambda: (cache.get("inner", lambda: ("in", 60)) + "+out", 60))
    assert outer == "in+out"
    cache.get("third", lambda: ("3", 60))
    assert cache.get("inner", lambda: ("rebuilt", 60)) == "rebuilt", "least recently used goes"


def test_proxy_fix_trusts_only_the_configured_number_of_proxies(database_url):
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url}
    seen = {}
    for proxies in (0, 1):
        app = create_app({**config, "PROXY_COUNT": proxies})

        @app.get("/whoami")
        def whoami():
            from flask import request

            return request.remote_addr

        headers = {"X-Forwarded-For": "203.0.113.9"}
        seen[proxies] = app.test_client().get("/whoami", headers=headers).text
    assert seen == {0: "127.0.0.1", 1: "203.0.113.9"}
