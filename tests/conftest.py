"""Fixtures: a real database (migrated once, copied per test) and a real index folder.

The database is a SQLite file, or a PostgreSQL database when HLHR_TEST_DATABASE_URL names a
server (``make test`` runs the suite both ways; tests/with_postgresql.sh starts that server).
"""

import itertools
import os
import shutil
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, make_url, select, text
from sqlalchemy.pool import NullPool
from werkzeug.serving import make_server

from hlhr import create_app
from hlhr.database import MIGRATIONS_DIR
from hlhr.extensions import db
from hlhr.models import Post, PostKind, PostStatus, Role, utcnow
from hlhr.publishing import ensure_category, save_post, tags_from_names

pytest_plugins = ["small_disks"]  # disks, full_app: full-disk fixtures (tests/small_disks.py)

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
TEST_DATABASE_URL = os.environ.get("HLHR_TEST_DATABASE_URL", "")
BACKEND = make_url(TEST_DATABASE_URL).get_backend_name() if TEST_DATABASE_URL else "sqlite"


def pytest_report_header(config):
    return f"database: {BACKEND}"


def pytest_collection_modifyitems(config, items):
    """Skip, with the test's own reason, what checks a backend other than this run's."""
    for item in items:
        for backend in ("sqlite", "postgresql"):
            marker = item.get_closest_marker(f"{backend}_only")
            if marker is None:
                continue
            reason = marker.kwargs.get("reason")
            if not reason:
                raise pytest.UsageError(f"{item.nodeid}: {backend}_only needs a reason=")
            if backend != BACKEND:
                item.add_marker(pytest.mark.skip(reason=f"{backend} only: {reason}"))


def _config(base: Path, database_url: str):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEARCH_INDEX_DIR": str(base / "search-index"),
        "UPLOAD_DIR": str(base / "uploads"),
        "CHROME_CACHE_SECONDS": 30,
        "SERVER_NAME": None,
    }


def close_all_engines():
    """Close every app's pooled connections (a database is dropped only once nobody uses it)."""
    for engines in list(db._app_engines.values()):
        for engine in engines.values():
            engine.dispose()


class SQLiteFiles:
    """A database is a file; a copy of a template is a file copy into the test's folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.numbers = itertools.count()

    def empty(self, name: str) -> str:
        return f"sqlite:///{self.folder / name}-{next(self.numbers)}.sqlite3"

    def copy(self, template_url: str, folder: Path) -> str:
        target = folder / "hlhr.sqlite3"
        for n in itertools.count(2):
            if not target.exists():
                break
            target = folder / f"hlhr-{n}.sqlite3"
        shutil.copy(make_url(template_url).database, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        """Nothing to do: the file goes with the test's temporary folder."""

    def close(self) -> None:
        """Nothing to do."""


class PostgreSQLDatabases:
    """Databases on one server; a copy is ``CREATE DATABASE ... TEMPLATE`` (a fast file copy)."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.server = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.quote = self.server.dialect.identifier_preparer.quote
        # The pid keeps two sessions on one server apart.
        self.names = (f"hlhr_test_{os.getpid()}_{n}" for n in itertools.count())
        self.templates = []

    def _execute(self, statement: str) -> None:
        with self.server.connect() as connection:
            connection.execute(text(statement))

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def empty(self, name: str) -> str:
        name = f"{next(self.names)}_{name}"
        self._execute(f"CREATE DATABASE {self.quote(name)}")
        return self._url(name)

    def copy(self, template_url: str, folder: Path) -> str:
        name = next(self.names)
        template = make_url(template_url).database
        self._execute(f"CREATE DATABASE {self.quote(name)} TEMPLATE {self.quote(template)}")
        return self._url(name)

    def drop(self, url: str) -> None:
        close_all_engines()
        name = make_url(url).database
        self._execute(f"DROP DATABASE IF EXISTS {self.quote(name)} WITH (FORCE)")

    def close(self) -> None:
        self.server.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """This run's database backend: SQLite files, or databases on HLHR_TEST_DATABASE_URL."""
    if BACKEND == "sqlite":
        backend = SQLiteFiles(tmp_path_factory.mktemp("databases"))
    else:
        backend = PostgreSQLDatabases(TEST_DATABASE_URL)
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def migrated_url(tmp_path_factory, databases):
    """URL of one database built by the real Alembic migrations; each test gets a copy."""
    url = databases.empty("template")
    app = create_app(_config(tmp_path_factory.mktemp("template"), url))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        db.engine.dispose()
    yield url
    databases.drop(url)


@pytest.fixture(scope="session")
def migrated_db(migrated_url):
    """The migrated SQLite file itself, for tests about that file (skipped on PostgreSQL)."""
    if BACKEND != "sqlite":
        pytest.skip(f"needs the SQLite database file; this run uses {BACKEND}")
    return Path(make_url(migrated_url).database)


@pytest.fixture
def new_database(tmp_path, databases, migrated_url):
    """``new_database(folder=tmp_path)``: the URL of a fresh copy of the migrated database
    (a SQLite file in ``folder``), dropped after the test."""
    made = []

    def new(folder: Path = tmp_path, template: str = migrated_url) -> str:
        made.append(databases.copy(template, folder))
        return made[-1]

    yield new
    for url in made:
        databases.drop(url)


@pytest.fixture
def database_url(new_database):
    """The URL of this test's own migrated database."""
    return new_database()


@pytest.fixture
def app(tmp_path, database_url):
    app = create_app(_config(tmp_path, database_url))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, databases, migrated_url):
    """A database and uploads folder with the demo site loaded once per test session."""
    base = tmp_path_factory.mktemp("demo")
    url = databases.copy(migrated_url, base)
    app = create_app(_config(base, url))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    yield base, url
    databases.drop(url)


@pytest.fixture
def demo_app(tmp_path, new_database, demo_template):
    """An app over a private copy of the demo site."""
    base, url = demo_template
    shutil.copytree(base / "uploads", tmp_path / "uploads")
    app = create_app(_config(tmp_path, new_database(template=url)))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def staff(app):
    from hlhr.cli import new_user

    user = new_user("writer@example.org", "Rana Writer", Role.AUTHOR)
    db.session.commit()
    return user


@pytest.fixture
def make_post(app, staff):
    """Create and save a post through the real publishing path."""

    def make(title="A report on detention", body=None, section="NEWS", tags=("detention",),
             days_ago=1, status=PostStatus.PUBLISHED, kind=PostKind.POST, **fields):  # fmt: skip
        post = Post(
            kind=kind,
            title=title,
            body_source=body or f"First paragraph about {title}.\n\nSecond paragraph.\n\nThird.",
            status=status,
            published_at=utcnow() - timedelta(days=days_ago),
            author=staff,
            category=ensure_category(section, on_home=True) if section else None,
            tags=tags_from_names(tags),
            **fields,
        )
        return save_post(post, staff)

    return make


def database_text() -> str:
    """Every row of every table, as text: what a copy of the database would reveal."""
    tables = MetaData()
    tables.reflect(bind=db.session.connection())
    rows = (row for table in tables.sorted_tables for row in db.session.execute(select(table)))
    return "\n".join(repr(tuple(row)) for row in rows)


def corpus_lines(relative: str) -> list[str]:
    """Lines of a shared hostile-input list; skips loudly when ../shared/corpora is absent."""
    path = CORPORA / relative
    if not path.exists():
        pytest.skip(f"SKIPPED LOUDLY: hostile-input corpus {path} is missing on this machine")
    return [
        line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line
    ]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def serve(app):
    """Serve ``app`` with a real WSGI server on 127.0.0.1 (a free port) in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_server(app):
    with serve(app) as url:
        yield url


@pytest.fixture
def demo_server(demo_app):
    with serve(demo_app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
