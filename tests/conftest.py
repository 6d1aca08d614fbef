"""Fixtures: a real SQLite file (migrated once, copied per test) and a real index folder."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade

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
