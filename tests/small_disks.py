"""Small disks for full-disk tests (a pytest plugin: tests/conftest.py loads it).

Each disk is its own small tmpfs mount (this needs root; the tests skip loudly without
it), filled to the last byte by a filler file and freed again. ``full_app`` keeps its
database, search index and uploads each on its own disk, with one article.
"""

import errno
import gc
import os
import shutil
import sqlite3
import subprocess
import warnings
from pathlib import Path

import pytest
from editor_helpers import post_fields, signed_in, submit

from hlhr import create_app, search
from hlhr.extensions import db
from hlhr.models import Role

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
            path = tmp_path / "disks" / name
            path.mkdir(parents=True)
            _mount(path, size)
            mounted[name] = Disk(path)
        yield mounted
    finally:
        for disk in mounted.values():
            _unmount(disk.path)


@pytest.fixture
def full_app(disks, new_database):
    """An app whose database, index and uploads live on the small disks, with one article."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": new_database(disks["database"].path),
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


def count(model) -> int:
    db.session.remove()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def integrity(app) -> str:
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def reads_work(client, search_too=True):
    """Home, an article and (unless the index's own disk is full) a search still answer."""
    for path in ("/", "/court-hears-detention-appeal/"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    if search_too:
        response = client.get("/search/?q=detention")
        assert response.status_code == 200
        assert "Court hears detention appeal" in response.text
