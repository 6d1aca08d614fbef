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
- in the CLI commands marked ``@database.writes``, for every transaction.

PostgreSQL needs none of this and gets none of it.

The same mark makes a locked or full database end a command with one line that says what
happened and what to do, never a traceback. An HLHR command that writes through
``db.session`` without the mark is reported (``UnmarkedWritingCommand``, an error in the
tests), so a new writing command cannot be forgotten silently.
"""

import functools
import warnings
from pathlib import Path

import click
from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import busy, diskfull
from .extensions import db, migrate

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# request.environ key: this request has let go of the write lock.
LOCK_RELEASED = "hlhr.write_lock_released"
# Attribute of a command's callback: marked ``@writes``.
WRITES_MARK = "hlhr_writes_database"


class UnmarkedWritingCommand(RuntimeWarning):
    """An HLHR command wrote through ``db.session`` without ``@database.writes``."""


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
        event.listen(db.session, "before_flush", _warn_unless_marked)
        event.listen(db.session, "do_orm_execute", _warn_if_unmarked_statement_writes)


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, a busy timeout and foreign keys on every new SQLite connection.

    ``synchronous=FULL``: every commit is on disk before it is acknowledged, also across
    a power cut or kernel crash (WAL's NORMAL may lose the last commits there). It costs
    one fsync of the WAL per commit; page views are batched (popular.py), so commits are
    editors' saves and readers' comments.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
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
    return context is not None and marked_as_writing(context.command)


def marked_as_writing(command: click.Command) -> bool:
    return getattr(command.callback, WRITES_MARK, False)


def release_write_lock() -> None:
    """End the request's write transaction; later ones in it do not take the lock up front.

    Uncommitted work is rolled back, exactly as the session's teardown would do: call it
    once the response exists, so hooks that run after it (e.g. the privacy purge in its
    own session) never wait for a lock this same request holds.
    """
    if has_request_context():
        request.environ[LOCK_RELEASED] = True
    db.session.rollback()


# -- CLI commands that write -----------------------------------------------------------------


def writes(callback=None, *, saved: str = "nothing was saved"):
    """Mark a CLI command as writing; put it right above the command's ``def``.

    Its ``db.session`` takes SQLite's write lock up front, and a database locked past the
    busy timeout or a full disk ends it with one line (a ``ClickException``: exit code 1)
    that names the cause, says what was kept (``saved``: true for the whole command,
    e.g. "nothing was imported") and what to do. Anything else goes on as a traceback.
    """

    def mark(command_function):
        @functools.wraps(command_function)
        def run(*args, **kwargs):
            try:
                return command_function(*args, **kwargs)
            except Exception as error:
                problem = why_a_write_failed(error, saved)
                if problem is None:
                    raise
                db.session.rollback()
                raise click.ClickException(problem) from error

        setattr(run, WRITES_MARK, True)
        return run

    return mark if callback is None else mark(callback)


def why_a_write_failed(error: Exception, saved: str = "nothing was saved") -> str | None:
    """ "What happened: ``saved``; what to do" in one line for a locked or full database or
    a full disk; None for any other error."""
    if diskfull.is_disk_full(error):
        return f"the database's disk is full: {saved}; free space on it and run the command again"
    if busy.is_busy(error):
        waited = current_app.config["SQLITE_BUSY_TIMEOUT_MS"]
        return (
            f"the database is locked by another process (still busy after {waited} ms): "
            f"{saved}; try again once it has finished (SQLITE_BUSY_TIMEOUT_MS sets the wait)"
        )
    full = diskfull.out_of_space_error(error)
    if full is None:
        return None
    where = f" holding {full.filename}" if full.filename else ""
    return f"the disk{where} is full ({full.strerror}): {saved}; free space and run it again"


def _warn_unless_marked(*_args) -> None:
    """An HLHR command writes through ``db.session``: it must be marked ``@writes``."""
    if has_request_context():
        return
    context = click.get_current_context(silent=True)
    if context is None or marked_as_writing(context.command):
        return
    if getattr(context.command.callback, "__module__", "").startswith("hlhr."):
        warnings.warn(
            f"`{context.command_path}` writes to the database but is not marked "
            "@database.writes: it does not take SQLite's write lock up front, and a locked "
            "or full database ends it in a traceback",
            UnmarkedWritingCommand,
            stacklevel=2,
        )


def _warn_if_unmarked_statement_writes(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _warn_unless_marked()
