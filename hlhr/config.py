"""Configuration: defaults here, then ``instance/config.py``, then ``HLHR_*`` variables."""

import importlib.util
import os
import secrets
from pathlib import Path

# The value shipped in config.example.py; refused outside debug and testing.
PLACEHOLDER_SECRET_KEY = "change-me"


class Defaults:
    SECRET_KEY = None
    SITE_NAME = "HLHR.org"
    SITE_TAGLINE = "Human rights news, research and action"
    SITE_TIMEZONE = "UTC"
    SITE_URL = None  # e.g. "https://hlhr.org"; used for canonical links when set
    POSTS_PER_PAGE = 10
    # Sidebar and menu data are cached per process for this many seconds (and never
    # past the next scheduled publication or expiry); local edits clear it at once.
    CHROME_CACHE_SECONDS = 30
    FEED_CONTENT = "summary"  # feeds carry "summary" or "full" text (the editor's setting wins)
    SITEMAP_MAX_URLS = 50_000
    POPULAR_WINDOW = "week"  # POPULAR NEWS ranks views of the last: day | week | month | all
    SQLALCHEMY_DATABASE_URI = None  # default: sqlite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = 5000
    SEARCH_INDEX_DIR = None  # default: instance/search-index
    UPLOAD_DIR = None  # default: instance/uploads
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "hlhr_staff"
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600
    TEMPLATES_AUTO_RELOAD = None
    # How many reverse proxies (nginx, a load balancer) stand in front of the app; their
    # X-Forwarded-For/-Proto/-Host headers are trusted only then. 0: served directly.
    PROXY_COUNT = 0


def load_config(app, test_config=None):
    """Apply defaults -> instance/config.py -> HLHR_* environment -> test mapping."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("HLHR")
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")
    if test_config is not None:
        app.config.from_mapping(test_config)
    _fill_instance_paths(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = _with_our_driver(app.config["SQLALCHEMY_DATABASE_URI"])
    _check_database_driver(app.config["SQLALCHEMY_DATABASE_URI"])
    _add_engine_options(app.config)
    _check_secret_key(app)


def _fill_instance_paths(app):
    instance = Path(app.instance_path)
    cfg = app.config
    if not cfg["SQLALCHEMY_DATABASE_URI"]:
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'hlhr.sqlite3'}"
    cfg["SEARCH_INDEX_DIR"] = cfg["SEARCH_INDEX_DIR"] or str(instance / "search-index")
    cfg["UPLOAD_DIR"] = cfg["UPLOAD_DIR"] or str(instance / "uploads")


def _with_our_driver(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (as hosting panels and habits write them) mean
    psycopg 3, the driver we install; SQLAlchemy would look for psycopg2 or refuse."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def _check_database_driver(url: str) -> None:
    """Say what to install when the URL names psycopg and it is missing (an optional extra)."""
    if url.startswith("postgresql+psycopg:") and importlib.util.find_spec("psycopg") is None:
        raise RuntimeError(
            "DATABASE_URL names PostgreSQL but its driver, psycopg, is not installed: run "
            "`make install-postgresql` (or `.venv/bin/pip install -e '.[postgresql]'`)."
        )


def _add_engine_options(cfg) -> None:
    """PostgreSQL: test each pooled connection before use, so a database restart costs a
    reconnect rather than a round of 500s. Options set in the config win."""
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True} | cfg[
            "SQLALCHEMY_ENGINE_OPTIONS"
        ]


def _check_secret_key(app):
    """Refuse to run in production with a missing or placeholder secret key."""
    key = app.config.get("SECRET_KEY")
    if key and key != PLACEHOLDER_SECRET_KEY:
        return
    if app.debug or app.testing:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise RuntimeError(
        "HLHR refuses to start without a real SECRET_KEY. Set HLHR_SECRET_KEY or run "
        "`.venv/bin/python -m hlhr.config` to write a random one into "
        f"{os.path.join(app.instance_path, 'config.py')}."
    )


def write_instance_config(instance_path):
    """Create instance/config.py with a fresh random SECRET_KEY; keep an existing file.

    :return: True when a file was written.
    """
    path = Path(instance_path) / "config.py"
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Written by `.venv/bin/python -m hlhr.config`. Keep this file private.\n"
        f"SECRET_KEY = {secrets.token_hex(32)!r}\n",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    # Used by `make run` before the app can start: the instance folder sits beside hlhr/.
    target = Path(__file__).resolve().parents[1] / "instance"
    if write_instance_config(target):
        print(f"Wrote a new random SECRET_KEY to {target / 'config.py'}")
