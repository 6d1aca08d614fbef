"""Fixtures: a real SQLite file (migrated once, copied per test) and a real index folder."""

import shutil
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from hlhr import create_app
from hlhr.database import MIGRATIONS_DIR
from hlhr.extensions import db
from hlhr.models import Post, PostKind, PostStatus, Role, utcnow
from hlhr.publishing import ensure_category, save_post, tags_from_names

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def _config(base: Path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'hlhr.sqlite3'}",
        "SEARCH_INDEX_DIR": str(base / "search-index"),
        "UPLOAD_DIR": str(base / "uploads"),
        "CHROME_CACHE_SECONDS": 30,
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    """One database built by the real Alembic migrations; each test gets a copy."""
    base = tmp_path_factory.mktemp("template")
    app = create_app(_config(base))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        db.engine.dispose()
    return base / "hlhr.sqlite3"


@pytest.fixture
def app(tmp_path, migrated_db):
    shutil.copy(migrated_db, tmp_path / "hlhr.sqlite3")
    app = create_app(_config(tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, migrated_db):
    """A database and uploads folder with the demo site loaded once per test session."""
    base = tmp_path_factory.mktemp("demo")
    shutil.copy(migrated_db, base / "hlhr.sqlite3")
    app = create_app(_config(base))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    return base


@pytest.fixture
def demo_app(tmp_path, demo_template):
    """An app over a private copy of the demo site."""
    shutil.copy(demo_template / "hlhr.sqlite3", tmp_path / "hlhr.sqlite3")
    shutil.copytree(demo_template / "uploads", tmp_path / "uploads")
    app = create_app(_config(tmp_path))
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
