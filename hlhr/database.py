"""Binding the database: engine settings per backend, SQLite's write lock, migrations.

SQLite has one writer at a time. A transaction that reads and then writes under a
deferred ``BEGIN`` fails at once with "database is locked" when another connection wrote
meanwhile, without waiting for the busy timeout. So the session of a request that will
write starts with ``BEGIN IMMEDIATE``: it waits (up to ``SQLITE_BUSY_TIMEOUT_MS``) for the
write lock before its first read, and then cannot fail halfway. Everything else keeps the
sqlite3 driver's own transactions, which begin just before the first INSERT, UPDATE or
DELETE: reads never wait (WAL), and a transaction whose first statement writes waits for
the lock by itself (the view counter's ``engine.begin()``, the search index's readers).

``db.session`` takes the write lock up front

- in a request whose method is not GET, HEAD or OPTIONS, until that request's first
  commit, its response or its "database busy" answer (``release_write_lock``);
  later transactions of the request only read (the redirect after a save) and so a
  save that committed can never be answered "busy";
- in the CLI commands that write (``WRITING_COMMANDS``).

PostgreSQL needs none of this and gets none of it.
"""

from pathlib import Path

import click
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db, migrate

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITING_COMMANDS = frozenset({"init-db", "create-user", "demo", "purge", "import-wxr"})
# request.environ key: this request has let go of the write lock.
LOCK_RELEASED = "hlhr.write_lock_released"


def init_app(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _tune_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        elif db.engine.dialect.name == "postgresql":
            event.listen(db.engine, "before_cursor_execute", _without_nul, retval=True)
    if not event.contains(db.session, "after_begin", _take_write_lock_if_writing):
        event.listen(db.session, "after_begin", _take_write_lock_if_writing)
        event.listen(db.session, "after_commit", _release_after_commit)


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, a busy timeout and foreign keys on every new SQLite connection."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _without_nul(_conn, _cursor, statement, parameters, _context, _executemany):
    """PostgreSQL text cannot hold NUL (U+0000) and refuses the whole statement: drop the
    character from every string sent, so a NUL in a form, URL or import is left out (SQLite
    keeps it) instead of failing the request with a 500."""
    return statement, _drop_nul(parameters)


def _drop_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _drop_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_drop_nul(item) for item in value)
    return value


def _take_write_lock_if_writing(_session, transaction, connection):
    """``after_begin`` of ``db.session``: BEGIN IMMEDIATE before its first statement."""
    if transaction.nested or connection.dialect.name != "sqlite":
        return
    if not connection.connection.driver_connection.in_transaction and session_writes():
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _release_after_commit(_session):
    if has_request_context():
        request.environ[LOCK_RELEASED] = True


def session_writes() -> bool:
    """Whether ``db.session``'s next transaction is expected to write (see module doc)."""
    if has_request_context():
        return request.method not in READ_METHODS and not request.environ.get(LOCK_RELEASED)
    context = click.get_current_context(silent=True)
    return context is not None and context.command.name in WRITING_COMMANDS


def release_write_lock() -> None:
    """End the request's write transaction; later ones in it do not take the lock up front.

    Uncommitted work is rolled back, exactly as the session's teardown would do: call it
    once the response exists, so hooks that run after it (e.g. the privacy purge in its
    own session) never wait for a lock this same request holds.
    """
    if has_request_context():
        request.environ[LOCK_RELEASED] = True
    db.session.rollback()
