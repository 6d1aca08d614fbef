"""Operators' commands on a full disk or a locked database: one clear line, exit code 1, no
traceback, nothing half-written, and the same command works once space or the lock returns.
Big uploads spooled to a full temporary disk get the disk-full page (507), never a 500.

The disks are small tmpfs mounts (tests/small_disks.py; root; skipped loudly without it).
"""

import io
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from editor_helpers import csrf
from PIL import Image
from search_support import run_flask
from small_disks import count, integrity, reads_work
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

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
    exit_code, _raised, output = run(app, *args)
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
    [("init-db",), ("create-user",), ("demo",), ("purge",), ("import-wxr",), ("restore",),
     ("search", "prune")],
)  # fmt: skip
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


def test_a_marked_command_keeps_other_errors_as_they_are(app):
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


def _tables(path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]


@pytest.mark.sqlite_only(reason=SQLITE_FILE)
@pytest.mark.parametrize("room", [0, 96 * 1024])  # the first table, or part-way through
def test_init_db_on_a_full_disk_says_so_and_works_once_space_returns(disks, tmp_path, room):
    path = disks["database"].path / "new.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
                      "UPLOAD_DIR": str(tmp_path / "uploads")})  # fmt: skip
    with app.app_context():
        disks["database"].fill(leave=room)
        output = refused(app, "init-db")
        assert "the database's disk is full: the schema was not changed" in output
        db.engine.dispose()
        assert _tables(path) == []  # all of the upgrade or none of it
        disks["database"].empty()
        assert "Database is up to date" in works(app, "init-db")
        assert integrity(app) == "ok"
        assert "Created new@example.org" in works(app, "create-user", "--email", "new@example.org")
        db.session.remove()
        db.engine.dispose()


# -- a full uploads disk -------------------------------------------------------------------


def test_an_import_onto_a_full_index_disk_is_kept_and_says_how_to_catch_up(full_app, disks, editor):
    """The database has the articles; the change log keeps them for the index."""
    posts = count(Post)
    disks["index"].fill()
    output = works(full_app, "import-wxr", str(FIXTURE))
    assert "Search index not updated (no space left on the disk holding the search index" in output
    assert "free some space, then `flask search sync`" in output and "rebuild" not in output
    assert count(Post) > posts
    disks["index"].empty()
    works(full_app, "search", "sync")
    works(full_app, "search", "check")


@pytest.mark.parametrize(
    ("case", "room"), [("import-wxr", 0), ("demo", 0), ("demo", 400 * 1024)]
)  # with room, the demo stores a few images before the disk fills
def test_a_full_uploads_disk_stops_the_whole_command(full_app, disks, editor, tmp_path, case, room):
    args = ["demo"]
    if case == "import-wxr":
        photos = wordpress_uploads(tmp_path / "wp-uploads")
        args = ["import-wxr", str(FIXTURE), "--uploads", str(photos)]
    before = site_counts()
    disks["uploads"].fill(leave=room)
    output = refused(full_app, *args)
    assert "is full (No space left on device)" in output
    assert "nothing was imported" in output if case == "import-wxr" else "demo site" in output
    assert site_counts() == before
    assert disks["uploads"].files() == []
    reads_work(editor)
    disks["uploads"].empty()
    works(full_app, *args)
    assert count(Media) > 0
    assert disks["uploads"].files() != []


# -- the write lock held by another process ------------------------------------------------


@pytest.fixture
def locked_app(tmp_path, new_database):
    """An app that waits only SHORT_BUSY_TIMEOUT_MS for SQLite's write lock."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SQLALCHEMY_DATABASE_URI": new_database(),
                      "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
                      "UPLOAD_DIR": str(tmp_path / "uploads"),
                      "SQLITE_BUSY_TIMEOUT_MS": SHORT_BUSY_TIMEOUT_MS})  # fmt: skip
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@contextmanager
def write_lock_held_elsewhere(app):
    """Another connection holds SQLite's write lock, with a row it never commits."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO tags (name, slug) VALUES ('Held', 'held-elsewhere')")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


LOCKED_CASES = {
    "create-user": (["create-user", "--email", "new.editor@example.org"],
                    "no account was created or changed"),
    "import-wxr": (["import-wxr", str(FIXTURE)], "nothing was imported"),
    "demo": (["demo"], "nothing of the step that failed was saved"),
    "purge": (["purge"], "nothing was deleted"),
}  # fmt: skip


@pytest.mark.sqlite_only(reason=SQLITE_FILE)
@pytest.mark.parametrize("case", sorted(LOCKED_CASES))
def test_a_lock_held_past_the_busy_timeout_stops_a_command_cleanly(locked_app, case):
    args, saved = LOCKED_CASES[case]
    before = site_counts()
    with write_lock_held_elsewhere(locked_app):
        output = refused(locked_app, *args)
    assert "the database is locked by another process" in output
    assert f"still busy after {SHORT_BUSY_TIMEOUT_MS} ms" in output and saved in output
    assert site_counts() == before
    assert not (Path(locked_app.config["UPLOAD_DIR"]).exists()
                and any(Path(locked_app.config["UPLOAD_DIR"]).iterdir()))  # fmt: skip
    assert integrity(locked_app) == "ok"
    works(locked_app, *args)
    assert case == "purge" or site_counts() != before


@pytest.mark.sqlite_only(reason=SQLITE_FILE)
def test_a_real_flask_process_prints_one_line_and_no_traceback(locked_app, tmp_path):
    before = site_counts()
    with write_lock_held_elsewhere(locked_app):
        process = run_flask(locked_app, "import-wxr", str(FIXTURE),
                            SQLITE_BUSY_TIMEOUT_MS=SHORT_BUSY_TIMEOUT_MS)  # fmt: skip
    assert process.returncode == 1, process.stderr
    assert "Traceback" not in process.stderr
    assert process.stderr.strip().splitlines()[-1] == (
        f"Error: the database is locked by another process (still busy after "
        f"{SHORT_BUSY_TIMEOUT_MS} ms): nothing was imported (the import is one transaction); "
        "try again once it has finished (SQLITE_BUSY_TIMEOUT_MS sets the wait)"
    )
    assert site_counts() == before
    process = run_flask(locked_app, "import-wxr", str(FIXTURE))
    assert process.returncode == 0, process.stderr
    assert count(Post) > before[0]


@pytest.mark.sqlite_only(reason=SQLITE_FILE)
def test_backup_only_reads_so_a_held_lock_does_not_stop_it(locked_app, tmp_path):
    with write_lock_held_elsewhere(locked_app):
        assert "Backed up" in works(locked_app, "backup", str(tmp_path / "site.tar.gz"))


# -- a big upload spooled to a full disk ---------------------------------------------------


def big_png() -> bytes:
    """About 570 kB of noise: more than werkzeug keeps in memory (500 kB), so it is spooled,
    yet small enough that the spool, the image and its renditions fit on the 2 MB disk."""
    image = Image.frombytes("RGB", (440, 430), os.urandom(440 * 430 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 520_000
    return buffer.getvalue()


def upload(client, data, **kwargs):
    """POST the upload form, encoded in memory (the test client would spool a big body to a
    temporary file itself, on the full disk)."""
    image = FileStorage(io.BytesIO(data), filename="wide.png", content_type="image/png")
    form = {"csrf_token": csrf(client, "/editor/media/upload"), "alt_text": "A wide photo",
            "file": image}  # fmt: skip
    boundary, body = encode_multipart(form)
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post("/editor/media/upload", data=body, content_type=content_type, **kwargs)


def open_files_under(folder: Path) -> list[str]:
    """This process's open files in ``folder`` (a spool has no name: "#123 (deleted)")."""
    found = (os.readlink(fd) for fd in Path("/proc/self/fd").iterdir() if fd.is_symlink())
    return [name for name in found if name.startswith(f"{folder}/")]


@pytest.fixture
def spool_disk(disks, monkeypatch):
    """Temporary files, where a big form part is spooled, go to a small disk of their own
    (the 16 MB one of the index: the 2 MB uploads disk cannot hold the spool and the image)."""
    disk = disks["index"]
    spool = disk.path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    return disk


def test_a_big_upload_spooled_to_a_full_disk_gets_the_disk_full_page(full_app, editor, spool_disk):
    data = big_png()
    spool_disk.fill()
    response = upload(editor, data)
    assert response.status_code == 507, response.text[:500]
    assert "The server's disk is full" in response.text and "Nothing was saved" in response.text
    asked_json = upload(editor, data, headers={"Accept": "application/json"})
    assert (asked_json.status_code, asked_json.json["error"]) == (507, "disk_full")
    assert count(Media) == 0
    assert open_files_under(spool_disk.path / "spool") == []  # the half-written spools are closed
    assert not any(Path(full_app.config["UPLOAD_DIR"]).glob("*"))
    reads_work(editor)
    spool_disk.empty()
    response = upload(editor, data)
    assert response.status_code == 302, response.text[:500]
    assert count(Media) == 1
    assert open_files_under(spool_disk.path / "spool") == []  # closed with the request
