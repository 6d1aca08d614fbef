"""Operators' commands on a full disk or a locked database: one clear line, exit code 1, no
traceback, nothing half-written, and the same command works once space or the lock returns.
Big uploads spooled to a full temporary disk get the disk-full page (507), never a 500.

The disks are small tmpfs mounts (tests/small_disks.py; root; skipped loudly without it).
"""

import io
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from PIL import Image
from small_disks import count, integrity, reads_work

from hlhr import create_app, database
from hlhr.extensions import db
from hlhr.models import Comment, Media, Post, Setting, Tag, User

FIXTURE = Path(__file__).parent / "fixtures" / "wxr" / "harbour-light.xml"
SQLITE_FILE = "fills the disk under the SQLite file or holds SQLite's write lock"
SHORT_BUSY_TIMEOUT_MS = 50


def run(app, *args):
    """:return: exit code, the exception's type and the output (never the exception itself)."""
    db.session.remove()
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, type(result.exception), result.output


def refused(app, *args) -> str:
    """Run a command that must stop with one clear line; return that output."""
    exit_code, raised, output = run(app, *args)
    assert (exit_code, raised) == (1, SystemExit), output
    assert "Traceback" not in output
    assert output.strip().splitlines()[-1].startswith("Error: "), output  # after any progress bar
    return output


def works(app, *args) -> str:
    exit_code, raised, output = run(app, *args)
    assert exit_code == 0, output
    return output


def site_counts() -> tuple:
    return tuple(count(model) for model in (Post, User, Tag, Comment, Media, Setting))


def wordpress_uploads(folder: Path) -> Path:
    """A copy of wp-content/uploads with the fixture's one photo."""
    (folder / "2023" / "04").mkdir(parents=True)
    photo = Image.new("RGB", (800, 533), (40, 90, 140))
    photo.save(folder / "2023" / "04" / "river-court.jpg", format="JPEG")
    return folder


# -- which commands write ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [("init-db",), ("create-user",), ("demo",), ("purge",), ("import-wxr",), ("restore",)],
)
def test_writing_commands_carry_the_mark(app, path):
    command = app.cli
    for name in path:
        command = command.get_command(None, name)
    assert database.marked_as_writing(command)


@pytest.mark.parametrize("path", [("export-wxr",), ("backup",), ("search", "check")])
def test_reading_commands_do_not(app, path):
    command = app.cli
    for name in path:
        command = command.get_command(None, name)
    assert not database.marked_as_writing(command)


def _hlhr_command(name, callback):
    callback.__module__ = "hlhr.example"  # the check covers HLHR's own commands only
    return click.command(name)(callback)


def test_a_writing_command_without_the_mark_is_reported(app):
    def add_tag():
        db.session.add(Tag(name="Unmarked", slug="unmarked"))
        db.session.commit()

    app.cli.add_command(_hlhr_command("unmarked-writer", add_tag))
    result = app.test_cli_runner().invoke(args=["unmarked-writer"])
    assert isinstance(result.exception, database.UnmarkedWritingCommand), result.output
    assert "unmarked-writer` writes to the database but is not marked" in str(result.exception)
    db.session.rollback()
    assert count(Tag) == 0


def test_the_mark_takes_the_lock_and_keeps_other_errors_as_they_are(app):
    def add_tag_then_fail():
        db.session.add(Tag(name="Marked", slug="marked"))
        db.session.commit()
        raise LookupError("not a database problem")

    app.cli.add_command(_hlhr_command("marked-writer", database.writes(add_tag_then_fail)))
    result = app.test_cli_runner().invoke(args=["marked-writer"])
    assert isinstance(result.exception, LookupError)  # a bug still shows its traceback
    assert count(Tag) == 1


# -- a full database disk ------------------------------------------------------------------


def fill_database_disk(app, disks) -> None:
    """Fill the database's disk after emptying the write-ahead log, so the next write must
    grow a file (a WAL that already holds room would take a small write)."""
    db.session.remove()
    db.engine.dispose()
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    disks["database"].fill()


FULL_DATABASE_CASES = {
    "create-user": (["create-user", "--email", "new.editor@example.org"],
                    "no account was created or changed"),
    "import-wxr": (["import-wxr", str(FIXTURE)], "nothing was imported"),
    "demo": (["demo"], "nothing of the step that failed was saved"),
}  # fmt: skip


@pytest.mark.sqlite_only(reason=SQLITE_FILE)
@pytest.mark.parametrize("case", sorted(FULL_DATABASE_CASES))
def test_a_full_database_disk_stops_a_command_cleanly(full_app, disks, editor, case):
    args, saved = FULL_DATABASE_CASES[case]
    before = site_counts()
    fill_database_disk(full_app, disks)
    output = refused(full_app, *args)
    assert "the database's disk is full" in output and saved in output
    assert "free space on it and run the command again" in output
    assert site_counts() == before
    assert disks["uploads"].files() == []  # no image of a rolled-back import or demo
    assert integrity(full_app) == "ok"
    reads_work(editor)
    disks["database"].empty()
    works(full_app, *args)
    assert site_counts() != before


@pytest.mark.sqlite_only(reason=SQLITE_FILE)
def test_init_db_on_a_full_disk_says_so_and_works_once_space_returns(disks, tmp_path):
    path = disks["database"].path / "new.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
                      "UPLOAD_DIR": str(tmp_path / "uploads")})  # fmt: skip
    with app.app_context():
        disks["database"].fill()
        output = refused(app, "init-db")
        assert "the database's disk is full: the schema was not changed" in output
        disks["database"].empty()
        assert "Database is up to date" in works(app, "init-db")
        assert integrity(app) == "ok"
        assert "Created new@example.org" in works(app, "create-user", "--email", "new@example.org")
        db.session.remove()
        db.engine.dispose()
