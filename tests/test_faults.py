"""Faults: a full disk under uploads, the search index and the database.

Each fault gets its own small tmpfs mount (this needs root; the tests skip loudly
without it), filled to the last byte by a filler file and freed again by deleting it.
A corrupt index is covered by tests/test_search.py
(``test_corrupt_index_degrades_and_rebuild_restores``) and tests/test_search_pages.py
(``test_corrupt_index_gives_503_and_rebuild_restores``).
"""

import errno
import gc
import io
import os
import shutil
import sqlite3
import subprocess
import warnings
from pathlib import Path

import pytest
from editor_helpers import csrf, post_fields, signed_in, submit, token_from
from PIL import Image

from hlhr import create_app, search
from hlhr.extensions import db
from hlhr.models import Media, Post, Revision, Role, SearchLog

MOUNT_SIZES = {"database": "8m", "index": "16m", "uploads": "2m"}


# -- small disks -----------------------------------------------------------------------------


class Disk:
    """A small tmpfs mount that a filler file can fill to the last byte."""

    def __init__(self, path: Path):
        self.path = path
        self.filler = path / "filler.bin"

    def fill(self, leave: int = 0) -> None:
        """Write the filler until the disk refuses, then give back ``leave`` bytes."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 20, 1 << 16, 4096, 1):
                _write_until_full(fd, b"\0" * size)
        finally:
            os.close(fd)
        assert self.free_bytes() == 0
        if leave:
            os.truncate(self.filler, self.filler.stat().st_size - leave)

    def empty(self) -> None:
        self.filler.unlink(missing_ok=True)

    def free_bytes(self) -> int:
        stat = os.statvfs(self.path)
        return stat.f_bavail * stat.f_frsize

    def files(self) -> list[str]:
        """Every file on the disk but the filler, relative to its root."""
        found = (p for p in self.path.rglob("*") if p.is_file() and p != self.filler)
        return sorted(str(p.relative_to(self.path)) for p in found)


def _write_until_full(fd, chunk):
    while True:
        try:
            if os.write(fd, chunk) < len(chunk):
                return
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
            return


def _mount(path: Path, size: str) -> None:
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(
            "SKIPPED LOUDLY: full-disk tests need to mount a small tmpfs (run as root): "
            + (result.stderr.strip() or f"mount exited with {result.returncode}")
        )


def _unmount(path: Path) -> None:
    if subprocess.run(["umount", str(path)], capture_output=True, check=False).returncode:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@pytest.fixture
def disks(tmp_path):
    """Three small disks: the database, the search index and the uploads each on its own."""
    if shutil.which("mount") is None:
        pytest.skip("SKIPPED LOUDLY: full-disk tests need the mount command")
    mounted = {}
    try:
        for name, size in MOUNT_SIZES.items():
            path = tmp_path / name
            path.mkdir()
            _mount(path, size)
            mounted[name] = Disk(path)
        yield mounted
    finally:
        for disk in mounted.values():
            _unmount(disk.path)


@pytest.fixture
def full_app(disks, migrated_db):
    """An app whose database, index and uploads live on the small disks, with one article."""
    shutil.copy(migrated_db, disks["database"].path / "hlhr.sqlite3")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{disks['database'].path / 'hlhr.sqlite3'}",
            "SEARCH_INDEX_DIR": str(disks["index"].path / "search-index"),
            "UPLOAD_DIR": str(disks["uploads"].path / "uploads"),
        }
    )
    with app.app_context():
        search.rebuild()
        yield app
        app.extensions["hlhr_search"].close()
        db.session.remove()
        db.engine.dispose()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()  # closes the files whoosh left open when a write failed for lack of space


@pytest.fixture
def editor(full_app):
    client, _user = signed_in(full_app, Role.EDITOR)
    response = submit(
        client,
        "/editor/posts/new",
        post_fields(title="Court hears detention appeal", status="published",
                    body_source="The appeal on detention was heard today."),
    )  # fmt: skip
    assert response.status_code == 302
    return client


def _count(model) -> int:
    db.session.remove()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _integrity(app) -> str:
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def _reads_work(client, search_too=True):
    """Home, an article and (unless the index's own disk is full) a search still answer."""
    for path in ("/", "/court-hears-detention-appeal/"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    if search_too:
        response = client.get("/search/?q=detention")
        assert response.status_code == 200
        assert "Court hears detention appeal" in response.text


# -- uploads ---------------------------------------------------------------------------------


def noise_png(size=(320, 240)) -> bytes:
    """A PNG that does not compress (so its size is known within a few percent)."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _upload(client, data):
    token = csrf(client, "/editor/media/upload")
    form = {"csrf_token": token, "alt_text": "Vigil outside the court",
            "file": (io.BytesIO(data), "vigil.png")}  # fmt: skip
    return client.post("/editor/media/upload", data=form, content_type="multipart/form-data")


@pytest.mark.parametrize("room", ["none", "original only"])
def test_full_upload_disk_says_so_and_leaves_no_file(full_app, disks, editor, room):
    data = noise_png()
    uploads = disks["uploads"]
    uploads.fill(leave=0 if room == "none" else len(data) + len(data) // 4)
    response = _upload(editor, data)
    assert response.status_code == 422
    assert "no disk space left for uploads" in response.text
    assert 'id="file"' in response.text  # the upload form, ready for another try
    assert uploads.files() == []
    assert _count(Media) == 0
    _reads_work(editor)
    uploads.empty()
    response = _upload(editor, data)
    assert response.status_code == 302, response.text[:2000]
    item = db.session.scalar(db.select(Media))
    assert {f"uploads/{item.stored_name}"} < set(uploads.files())


# -- the database ----------------------------------------------------------------------------


def _long_body(paragraphs=3000) -> str:
    """About 200 kB of typed text: more than the write-ahead log holds, so the disk must grow."""
    line = "witnesses describe the detention centre in detail."
    return "\n\n".join(f"Paragraph {n}: {line}" for n in range(paragraphs))


def test_full_database_disk_keeps_the_text_and_writes_nothing(full_app, disks, editor):
    before = (_count(Post), _count(Revision), _count(SearchLog))
    body = _long_body()
    data = post_fields(title="Testimony from the detention centre", body_source=body,
                       status="published")  # fmt: skip
    disks["database"].fill()
    response = submit(editor, "/editor/posts/new", data)
    assert response.status_code == 507
    assert "The server's disk is full" in response.text and "Nothing was saved" in response.text
    assert body in response.text  # every word typed, ready to copy or send again
    assert (_count(Post), _count(Revision), _count(SearchLog)) == before
    assert _integrity(full_app) == "ok"
    _reads_work(editor)
    disks["database"].empty()
    again = {"csrf_token": token_from(response.text), **data}  # the page's "Send again"
    response = editor.post("/editor/posts/new", data=again)
    assert response.status_code == 302
    assert _count(Post) == before[0] + 1
    assert "Testimony from the detention centre" in editor.get("/search/?q=testimony").text


# -- the search index ------------------------------------------------------------------------

# Whoosh leaves the files of a write that failed half-way open until garbage collection
# closes them (reported to the search owner); only those ResourceWarnings are ignored.
WHOOSH_LEFT_OPEN = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <_io.FileIO name='.*/search-index/gen-"
    ":pytest.PytestUnraisableExceptionWarning"
)


def _pending() -> int:
    return search.stats()["pending"]


def _save_on_full_index(editor, disks):
    data = post_fields(title="Testimony from the detention centre", body_source=_long_body(),
                       status="published")  # fmt: skip
    disks["index"].fill()
    response = submit(editor, "/editor/posts/new", data)
    assert response.status_code == 302
    assert _count(Post) == 2
    assert _pending() == 1


@WHOOSH_LEFT_OPEN
def test_full_index_disk_saves_the_post_and_the_change_log_keeps_it(full_app, disks, editor):
    _save_on_full_index(editor, disks)
    _reads_work(editor, search_too=False)
    disks["index"].empty()
    runner = full_app.test_cli_runner()
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert _pending() == 0
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "Testimony from the detention centre" in editor.get("/search/?q=testimony").text


@WHOOSH_LEFT_OPEN
@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="hlhr/search: before answering, search applies the pending change log; when "
    "that write fails for lack of space (SearchUnavailable from index_errors) the search "
    "page answers 503 although the old index is intact and readable",
)
def test_search_serves_the_index_it_has_while_its_disk_is_full(full_app, disks, editor):
    _save_on_full_index(editor, disks)
    _reads_work(editor, search_too=True)


def _generations(disks) -> list[str]:
    return sorted(p.name for p in (disks["index"].path / "search-index").glob("gen-*"))


def _rebuild_on_full_disk(app, disks):
    """:return: the exception type and the output (not the exception: it holds whoosh's files)."""
    disks["index"].fill()
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code != 0
    return type(result.exception), result.output


@WHOOSH_LEFT_OPEN
def test_rebuild_on_a_full_index_disk_fails_and_the_old_index_serves(full_app, disks, editor):
    live = (disks["index"].path / "search-index" / "CURRENT").read_text()
    _rebuild_on_full_disk(full_app, disks)
    assert (disks["index"].path / "search-index" / "CURRENT").read_text() == live
    _reads_work(editor)
    disks["index"].empty()
    result = full_app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    _reads_work(editor)
    assert full_app.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


@WHOOSH_LEFT_OPEN
@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="hlhr/search: `flask search rebuild` lets OSError ENOSPC escape as a traceback "
    "(cli.rebuild_command catches nothing), and indexing.rebuild leaves the half-built "
    "gen-* folder on the full disk (store.new_generation's folder is not removed on failure)",
)
def test_rebuild_on_a_full_index_disk_says_why_and_leaves_nothing(full_app, disks, editor):
    before = _generations(disks)
    raised, output = _rebuild_on_full_disk(full_app, disks)
    assert raised is SystemExit, raised  # a message, not a traceback
    assert "no space left" in output.lower()
    assert _generations(disks) == before
