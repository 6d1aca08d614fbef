"""Consistent database snapshots and their restore, for SQLite and PostgreSQL.

SQLite: ``sqlite3.Connection.backup`` copies the live file in one step inside one read
transaction, so the copy is a single moment of the database while the site keeps
serving and writing (WAL). PostgreSQL: ``pg_dump`` in custom format, started on a
snapshot exported from a REPEATABLE READ transaction that also counts the rows, so the
counts in the manifest describe exactly the rows in the dump. The password travels in
PGPASSWORD, never on a command line other users could read.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ..database import MIGRATIONS_DIR
from ..extensions import db
from .archive import DATABASE_MEMBERS, BackupError

COUNT_QUERIES = {
    "posts": "SELECT count(*) FROM posts WHERE kind = 'post'",
    "pages": "SELECT count(*) FROM posts WHERE kind = 'page'",
    "comments": "SELECT count(*) FROM comments",
    "users": "SELECT count(*) FROM users",
    "media": "SELECT count(*) FROM media",
}
REVISION_QUERY = "SELECT version_num FROM alembic_version"
PG_TIMEOUT = 6 * 3600  # seconds; a dump or restore that takes longer is stuck


@dataclass
class Snapshot:
    path: Path
    backend: str
    counts: dict
    revision: str | None

    @property
    def member(self) -> str:
        return DATABASE_MEMBERS[self.backend]


def backend() -> str:
    """``sqlite`` or ``postgresql``. :raise BackupError: any other database."""
    name = db.engine.dialect.name
    if name not in DATABASE_MEMBERS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def snapshot(folder: Path) -> Snapshot:
    """Copy the live database into ``folder`` as one consistent moment."""
    if backend() == "sqlite":
        return _sqlite_snapshot(folder / DATABASE_MEMBERS["sqlite"])
    return _postgres_snapshot(folder / DATABASE_MEMBERS["postgresql"])


def _sqlite_snapshot(target: Path) -> Snapshot:
    with db.engine.connect() as connection:
        source = connection.connection.driver_connection
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # pages=-1: one step, one read transaction
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            problem = copy.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise BackupError(f"the database copy fails SQLite's check: {problem}")
            counts, revision = _read_counts(lambda sql: copy.execute(sql).fetchone()[0])
        finally:
            copy.close()
    return Snapshot(target, "sqlite", counts, revision)


def _postgres_snapshot(target: Path) -> Snapshot:
    pg_dump = pg_tool("pg_dump")
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            exported = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts, revision = _read_counts(lambda sql: connection.scalar(text(sql)))
            _run_pg(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={exported}", f"--file={target}", f"--dbname={_conninfo()}"]
            )  # fmt: skip
    return Snapshot(target, "postgresql", counts, revision)


def _read_counts(scalar) -> tuple[dict, str | None]:
    counts = {name: int(scalar(sql)) for name, sql in COUNT_QUERIES.items()}
    return counts, scalar(REVISION_QUERY)


def live_counts() -> dict:
    """Row counts of the live database; empty when it has no tables yet."""
    try:
        with db.engine.connect() as connection:
            return {n: connection.scalar(text(sql)) for n, sql in COUNT_QUERIES.items()}
    except DBAPIError:
        return {}


def check_revision(revision: str | None) -> None:
    """:raise BackupError: the backup's schema is newer than this code's migrations."""
    if revision is None:
        raise BackupError("the backup's database has no schema version (alembic_version)")
    try:
        ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision)
    except CommandError as error:
        raise BackupError(
            f"the backup's database schema ({revision}) is unknown to this HLHR: it was "
            "made by a newer version; upgrade HLHR before restoring"
        ) from error


def restore(staged: Path, kind: str, stamp: str) -> Path | None:
    """Put the staged database in place of the live one.

    SQLite: the old file (with its -wal and -shm) is renamed ``*.before-restore-<stamp>``
    and returned; the staged file is renamed into place. PostgreSQL: pg_restore replaces
    the tables in one transaction (a failure leaves the database as it was).
    """
    db.session.remove()
    db.engine.dispose()  # no connection may keep the old file or tables open
    if kind == "sqlite":
        return _sqlite_restore(staged, stamp)
    pg_restore = pg_tool("pg_restore")
    _run_pg(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", f"--dbname={_conninfo()}", str(staged)]
    )  # fmt: skip
    return None


def sqlite_path() -> Path:
    return Path(db.engine.url.database)


def _sqlite_restore(staged: Path, stamp: str) -> Path | None:
    target = sqlite_path()
    kept = None
    if target.exists() and not _has_tables(target):
        for suffix in ("", "-wal", "-shm"):  # made by opening a missing database: nothing to keep
            target.with_name(target.name + suffix).unlink(missing_ok=True)
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            old = target.with_name(target.name + suffix)
            if old.exists():
                old.rename(kept.with_name(kept.name + suffix))
    os.replace(staged, target)
    return kept


def _has_tables(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    except sqlite3.DatabaseError:
        return True  # unreadable: keep it for whoever wants to look
    finally:
        connection.close()


def staging_path(kind: str, folder: Path) -> Path:
    """Where to extract the database: beside the live SQLite file, so a rename swaps them."""
    if kind == "sqlite":
        target = sqlite_path()
        return target.with_name(f".{target.name}.restoring")
    return folder / DATABASE_MEMBERS[kind]


def pg_tool(name: str) -> str:
    """``pg_dump`` or ``pg_restore`` from PATH, else Debian's newest. :raise BackupError:"""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)  # fmt: skip
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"{name} was not found: install Debian's postgresql-client package")


def _conninfo() -> str:
    """The database URL as libpq reads it, without the password."""
    url = db.engine.url.set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _run_pg(argv: list[str]) -> None:
    env = dict(os.environ)
    if db.engine.url.password is not None:
        env["PGPASSWORD"] = str(db.engine.url.password)
    try:
        result = subprocess.run(  # noqa: S603 - argv built here from a found tool; no shell
            argv, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"{Path(argv[0]).name} could not run: {error}") from error
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit code {result.returncode}"
        raise BackupError(f"{Path(argv[0]).name} failed: {detail}")
