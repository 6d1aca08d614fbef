"""Shared pieces of the search tests: a live index fixture and a process holding its lock."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hlhr import search
from hlhr.extensions import db
from hlhr.models import SearchLog


@pytest.fixture
def index(app):
    """A real, empty on-disk index in the test's tmp_path, live before any post is saved."""
    search.rebuild()
    yield app.extensions["hlhr_search"]
    app.extensions["hlhr_search"].close()


ROOT = Path(__file__).resolve().parents[1]


def flask_env(app, **config):
    """Environment for a `flask` process on ``app``'s database and index (plus ``config``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HLHR_", "FLASK_"))}
    return env | {
        "FLASK_APP": "wsgi",
        "HLHR_SECRET_KEY": "search-test-secret-" + "x" * 32,
        "HLHR_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HLHR_SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "HLHR_UPLOAD_DIR": app.config["UPLOAD_DIR"],
        **{f"HLHR_{key}": str(value) for key, value in config.items()},
    }


def run_flask(app, *args, **config):
    """Run `flask *args` as its own process (single-threaded, as operators run it)."""
    return subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=ROOT, env=flask_env(app, **config),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def found_titles(query, **kwargs):
    return [hit.post.title for hit in search.search(query, **kwargs).hits]


def log_rows():
    return db.session.scalar(db.select(db.func.count(SearchLog.id)))


def live_generation(app) -> Path:
    root = Path(app.config["SEARCH_INDEX_DIR"])
    return root / (root / "CURRENT").read_text().strip()


HOLD_LOCK = textwrap.dedent(
    """
    import sys
    from hlhr.search.store import IndexStore
    store = IndexStore(sys.argv[1])
    with store.write_lock(store.open(), timeout=5):
        print("locked", flush=True)
        sys.stdin.read()  # hold it until the test closes our stdin
    """
)


class LockHolder:
    """Another process holding the index's write lock until ``release()``."""

    def __init__(self, root):
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "locked"

    def release(self):
        self.process.stdin.close()
        self.process.stdout.close()
        assert self.process.wait(timeout=10) == 0
