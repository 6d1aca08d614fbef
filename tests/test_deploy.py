"""Deployment: the PostgreSQL driver and engine options, migrations run by several nodes at once."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from hlhr.config import Defaults, load_config
from hlhr.database import MIGRATIONS_DIR
from hlhr.extensions import db

ROOT = Path(__file__).resolve().parents[1]
FLASK = Path(sys.executable).parent / "flask"
POSTGRESQL_URL = "postgresql+psycopg://hlhr:secret@db.invalid/hlhr"
MIGRATION_LOCK_KEY = 0x686C6872  # MIGRATION_LOCK_KEY in hlhr/migrations/env.py


def _configured(tmp_path, **settings) -> dict:
    app = Flask("hlhr", instance_path=str(tmp_path))
    load_config(app, {"TESTING": True} | settings)
    return app.config


# -- engine options and driver ---------------------------------------------------------------


def test_postgresql_connections_are_tested_before_use_sqlite_ones_are_not(tmp_path):
    postgresql = _configured(tmp_path, SQLALCHEMY_DATABASE_URI=POSTGRESQL_URL)
    assert postgresql["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
    sqlite = _configured(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.sqlite3")
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"] == {}
    assert Defaults.SQLALCHEMY_ENGINE_OPTIONS == {}  # the shared default was not changed


def test_engine_options_from_the_config_win(tmp_path):
    chosen = {"pool_pre_ping": False, "pool_size": 3}
    config = _configured(
        tmp_path, SQLALCHEMY_DATABASE_URI=POSTGRESQL_URL, SQLALCHEMY_ENGINE_OPTIONS=chosen
    )
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == chosen


@pytest.mark.parametrize("scheme", ["postgres://", "postgresql://", "postgresql+psycopg://"])
def test_a_plain_postgresql_url_means_the_driver_we_install(tmp_path, scheme):
    config = _configured(tmp_path, SQLALCHEMY_DATABASE_URI=f"{scheme}hlhr:pw@db.invalid/hlhr")
    assert config["SQLALCHEMY_DATABASE_URI"] == POSTGRESQL_URL.replace("secret", "pw")
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


def test_a_missing_postgresql_driver_is_named_with_the_command_that_installs_it(
    tmp_path, monkeypatch
):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in a venv without the extra
    with pytest.raises(RuntimeError, match=r"psycopg, is not installed: run `make install-post"):
        _configured(tmp_path, SQLALCHEMY_DATABASE_URI=POSTGRESQL_URL)


@pytest.mark.postgresql_only(reason="a restart of the PostgreSQL server")
def test_requests_survive_the_database_dropping_every_connection(app, live_server, make_post):
    """Each request (its own thread and app context, as under gunicorn) takes a pooled
    connection; after a server restart killed them all, the next request still works."""
    article = f"{live_server}/{make_post('Torture report', comments_open=False).slug}/"
    db.session.remove()  # the test's own connection goes back to the pool too
    for _ in range(3):
        assert _status(article) == 200  # the pool now holds connections
    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    with killer.connect() as connection:
        killed = connection.scalar(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ))  # fmt: skip
    killer.dispose()
    assert killed >= 1
    assert [_status(article) for _ in range(3)] == [200, 200, 200]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code


# -- migrations on one database from several nodes -------------------------------------------


def _init_db(url: str, folder: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HLHR_", "FLASK_"))}
    env |= {"HLHR_DATABASE_URL": url, "HLHR_SECRET_KEY": "deploy-test-secret-" + "x" * 32,
            "HLHR_SEARCH_INDEX_DIR": str(folder / "search-index"),
            "HLHR_UPLOAD_DIR": str(folder / "uploads")}  # fmt: skip
    return subprocess.Popen(
        [str(FLASK), "--app", "wsgi", "init-db"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _wait_for_waiters(connection, processes, count: int, deadline: float) -> None:
    """Until ``count`` sessions wait for the migration lock; fail if a process ends first."""
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"init-db did not wait for the lock:\n{process.communicate()[0]}")
        waiting = connection.scalar(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                 "AND objid::bigint = :key AND database = (SELECT oid FROM pg_database "
                 "WHERE datname = current_database())"),
            {"key": MIGRATION_LOCK_KEY},
        )  # fmt: skip
        if waiting == count:
            return
        time.sleep(0.1)
    pytest.fail(f"{count} init-db processes were not waiting for the lock within 60 seconds")


@pytest.mark.postgresql_only(reason="PostgreSQL's advisory lock; SQLite serves one node")
def test_nodes_migrating_one_database_at_once_take_turns(tmp_path, databases):
    url = databases.empty("migrate_together")
    holder = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with holder.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            nodes = [_init_db(url, tmp_path / name) for name in ("node-a", "node-b")]
            try:
                _wait_for_waiters(connection, nodes, 2, time.monotonic() + 60)
                assert connection.scalar(text("SELECT to_regclass('alembic_version')")) is None
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                outputs = [node.communicate(timeout=120)[0] for node in nodes]
            assert [node.returncode for node in nodes] == [0, 0], outputs
            versions = connection.scalars(text("SELECT version_num FROM alembic_version")).all()
        assert versions == [ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()]
    finally:
        holder.dispose()
        databases.drop(url)
