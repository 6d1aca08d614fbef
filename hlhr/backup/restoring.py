"""``flask restore``: check a backup completely, then put it in place and rebuild search.

Nothing is touched until every member matched the manifest and the instance was found
empty (or ``force`` was given). Files are extracted into hidden staging places beside
their targets and then renamed in; what they replace is kept, renamed
``*.before-restore-<UTC time>``. The schema is then brought up to this code's migrations
and the search index rebuilt from the restored database.
"""

import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_migrate import upgrade

from .. import search, site
from ..database import MIGRATIONS_DIR
from . import databases
from .archive import (
    CONFIG_MEMBER,
    MANIFEST,
    UPLOADS_PREFIX,
    BackupError,
    members,
    sha256_of,
    verify,
)
from .instance_config import has_secret_key, with_fresh_secret_key, write_private
from .writing import no_progress

MAX_CONFIG_BYTES = 1 << 20
# The database holds password hashes and commenters' e-mail addresses: its owner alone reads
# it, whatever the umask. Uploads are public images, written as the app writes them.
DATABASE_MODE = 0o600
UPLOAD_MODE = 0o666  # less the umask


@dataclass
class Staged:
    database: Path
    uploads: Path
    config: bytes | None = None


@dataclass
class RestoreReport:
    manifest: dict
    seconds: float
    documents: int | None  # None: the search index could not be rebuilt (search_problem)
    kept: list = field(default_factory=list)
    config_note: str = ""
    search_problem: str = ""


def restore_backup(archive, force=False, config_path=None, replace_config=False,
                   progress=no_progress) -> RestoreReport:  # fmt: skip
    """Restore ``archive`` into this instance. :raise BackupError: nothing was changed."""
    started = time.perf_counter()
    archive = Path(archive)
    with progress("Checking backup", archive.stat().st_size) as advance:
        manifest = verify(archive, advance)
    kind = _check_compatible(manifest)
    _check_empty(force)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept, config = _put_in_place(archive, manifest, kind, stamp, progress)
    path = Path(config_path or Path(current_app.instance_path) / "config.py")
    config_note, config_kept = _restore_config(config, path, replace_config, stamp)
    upgrade(directory=str(MIGRATIONS_DIR))  # an older backup gets this code's schema
    site.clear_site_cache()
    counts = manifest.get("counts", {})
    expected = counts.get("posts", 0) + counts.get("pages", 0)
    documents, search_problem = _rebuild_search(progress, expected)
    kept = [p for p in (*kept, config_kept) if p is not None]
    seconds = time.perf_counter() - started
    return RestoreReport(manifest, seconds, documents, kept, config_note, search_problem)


def _put_in_place(archive: Path, manifest: dict, kind: str, stamp: str, progress):
    """Stage every file, then swap database and uploads in.

    :return: ([old database, old uploads] where kept, the config's bytes or None)
    """
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    upload_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=upload_dir.parent, prefix=".hlhr-restore-") as tmp:
        staged = Staged(databases.staging_path(kind, Path(tmp)), Path(tmp) / "uploads")
        try:
            with progress("Restoring files", archive.stat().st_size) as advance:
                _extract(archive, manifest, staged, advance)
            kept_database = databases.restore(staged.database, kind, stamp)
        except OSError as error:
            raise BackupError(f"could not unpack the backup: {error.strerror or error}") from error
        finally:
            staged.database.unlink(missing_ok=True)
        kept = [kept_database, _swap_uploads(staged.uploads, upload_dir, stamp)]
    return kept, staged.config


def _check_compatible(manifest: dict) -> str:
    kind = manifest["database"].get("backend")
    here = databases.backend()
    if kind != here:
        raise BackupError(
            f"the backup holds a {kind} database but this instance uses {here}; restore "
            "into an instance with the same database (or move content with export-wxr)"
        )
    databases.check_revision(manifest["database"].get("schema_revision"))
    return kind


def _check_empty(force: bool) -> None:
    counts = databases.live_counts()
    posts = counts.get("posts", 0) + counts.get("pages", 0)
    files = _count_files(Path(current_app.config["UPLOAD_DIR"]))
    if (posts or files) and not force:
        raise BackupError(
            f"this instance is not empty ({posts} posts and pages, {files} uploaded files): "
            "restore into an empty instance, or add --force to replace its content"
        )


def _count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder)) if folder.is_dir() else 0


def _extract(archive: Path, manifest: dict, staged: Staged, advance) -> None:
    """Write each member to its staging place, checking its checksum again as it goes."""
    staged.uploads.mkdir()
    database_member = manifest["database"].get("member")
    for name, fileobj in members(archive, advance):
        if name == MANIFEST:
            continue
        if name == CONFIG_MEMBER:
            staged.config = fileobj.read(MAX_CONFIG_BYTES)
            continue
        if name == database_member:
            target, mode = staged.database, DATABASE_MODE
        elif name.startswith(UPLOADS_PREFIX):
            target, mode = staged.uploads / name.removeprefix(UPLOADS_PREFIX), UPLOAD_MODE
            target.parent.mkdir(parents=True, exist_ok=True)
        else:
            backend = manifest["database"].get("backend")
            raise BackupError(f"{name} does not belong in a {backend} backup")
        _write_member(target, fileobj, manifest["members"].get(name), name, mode)


def _write_member(target: Path, fileobj, expected: dict | None, name: str, mode: int) -> None:
    with _create(target, mode) as sink:
        size, digest = sha256_of(fileobj, sink)
    if expected is None or (size, digest) != (expected.get("size"), expected.get("sha256")):
        raise BackupError(f"checksum mismatch for {name}: the archive changed while read")


def _create(target: Path, mode: int):
    """Open ``target`` for writing with ``mode``; DATABASE_MODE even over a leftover file."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    if mode == DATABASE_MODE:
        os.fchmod(descriptor, mode)  # an existing file keeps its old mode through O_TRUNC
    return os.fdopen(descriptor, "wb")


def _swap_uploads(staged: Path, upload_dir: Path, stamp: str) -> Path | None:
    kept = None
    if upload_dir.exists():
        if any(upload_dir.iterdir()):
            kept = upload_dir.with_name(f"{upload_dir.name}.before-restore-{stamp}")
            upload_dir.rename(kept)
        else:
            upload_dir.rmdir()
    staged.rename(upload_dir)
    return kept


def _restore_config(source, path: Path, replace: bool, stamp: str):
    """(what happened, the old config's new name or None)."""
    if source is None:
        return "The backup holds no instance config.", None
    text = source.decode("utf-8", errors="replace")
    if path.exists() and not replace:
        beside = path.with_name("config.from-backup.py")
        write_private(beside, text)
        return (f"Kept {path}; the backup's config is in {beside} "
                "(--replace-config puts it in place).", None)  # fmt: skip
    kept = None
    if path.exists():
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        path.rename(kept)
    note = f"Wrote the backup's config to {path}."
    if not has_secret_key(text):
        text = with_fresh_secret_key(text)
        note += " It had no SECRET_KEY, so a new random one was added (staff sign in again)."
    write_private(path, text)
    return note, kept


def _rebuild_search(progress, expected: int) -> tuple[int | None, str]:
    """(documents indexed, "") or (None, why not): a full index disk does not undo a
    restore that is otherwise complete; the operator frees space and rebuilds."""
    try:
        with progress("Rebuilding the search index", expected) as advance:
            report = search.rebuild(progress=advance)
    except search.IndexDiskFull as error:
        return None, str(error)
    return report.documents, ""
