"""``flask backup``: database snapshot, uploads and instance config in one archive.

The archive is written to a hidden ``.<name>.*.partial`` file beside DEST, synced, then
renamed to DEST, so DEST is either absent, the previous file, or a complete backup. Any
failure (a full disk included) deletes the partial file.
"""

import errno
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from flask import current_app

from .. import diskfull
from . import databases
from .archive import (
    CONFIG_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    UPLOADS_PREFIX,
    ArchiveWriter,
    BackupError,
)
from .instance_config import UnreadableConfig, without_secrets


@contextmanager
def no_progress(_label, _length):
    yield lambda _n: None


@dataclass
class ConfigPart:
    source: bytes | None
    removed: list = field(default_factory=list)
    secrets: str = "removed"


@dataclass
class BackupReport:
    path: Path
    size: int
    seconds: float
    manifest: dict


def make_backup(dest, include_secrets=False, force=False, config_path=None,
                progress=no_progress) -> BackupReport:  # fmt: skip
    """Write a backup of this instance to ``dest``. :raise BackupError: with the reason."""
    started = time.perf_counter()
    dest = Path(dest).absolute()
    _check_destination(dest, force)
    config = _config_part(config_path, include_secrets)
    output, partial = _open_partial(dest)
    try:
        with output, tempfile.TemporaryDirectory(dir=dest.parent, prefix=".hlhr-backup-") as tmp:
            manifest = _write(output, Path(tmp), config, progress)
            output.flush()
            os.fsync(output.fileno())
        _publish(partial, dest, force)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _write_error(error, dest) from error
        raise
    return BackupReport(dest, dest.stat().st_size, time.perf_counter() - started, manifest)


def _write(output, folder: Path, config: ConfigPart, progress) -> dict:
    snapshot = databases.snapshot(folder)
    uploads = list(_upload_files(Path(current_app.config["UPLOAD_DIR"])))
    total = snapshot.path.stat().st_size + sum(size for *_, size in uploads)
    length = total + len(config.source or b"")
    with progress("Writing backup", length) as advance, ArchiveWriter(output, advance) as writer:
        writer.add_file(snapshot.member, snapshot.path, mode=0o600)
        for name, path, _size in uploads:
            try:
                writer.add_file(name, path)
            except FileNotFoundError:
                continue  # deleted since the listing: nothing of it was written
        if config.source is not None:
            writer.add_bytes(CONFIG_MEMBER, config.source, mode=0o600)
        files = sum(name.startswith(UPLOADS_PREFIX) for name in writer.members)
        manifest = _manifest(snapshot, config, files)
        writer.finish(manifest)
    return manifest | {"members": writer.members}


def _manifest(snapshot, config: ConfigPart, upload_files: int) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": _app_version(),
        "database": {
            "backend": snapshot.backend,
            "member": snapshot.member,
            "schema_revision": snapshot.revision,
        },
        "counts": snapshot.counts | {"upload_files": upload_files},
        "config": {
            "included": config.source is not None,
            "secrets": config.secrets,
            "removed": config.removed,
        },
    }


def _app_version() -> str:
    try:
        return metadata.version("hlhr")
    except metadata.PackageNotFoundError:
        return "unknown"


def _check_destination(dest: Path, force: bool) -> None:
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder; give the archive's file name")
    if not dest.parent.is_dir():
        raise BackupError(f"the folder {dest.parent} does not exist")
    if dest.exists() and not force:
        raise BackupError(f"{dest} already exists; add --force to replace it")


def _config_part(config_path, include_secrets) -> ConfigPart:
    path = Path(config_path or Path(current_app.instance_path) / "config.py")
    if not path.is_file():
        return ConfigPart(None)
    source = path.read_bytes()
    if include_secrets:
        return ConfigPart(source, secrets="included")
    try:
        text, removed = without_secrets(source.decode("utf-8"))
    except (UnreadableConfig, UnicodeDecodeError) as error:
        raise BackupError(
            f"{path} cannot be read ({error}), so its secrets cannot be removed: fix it, "
            "or add --include-secrets to copy it as it is"
        ) from error
    return ConfigPart(text.encode("utf-8"), removed)


def _upload_files(upload_dir: Path):
    """(archive name, path, size) of each uploaded file; hidden temporary files skipped."""
    if not upload_dir.is_dir():
        return
    for folder, subfolders, files in os.walk(upload_dir):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder, name)
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(upload_dir).as_posix()
            yield UPLOADS_PREFIX + relative, path, path.stat().st_size


def _open_partial(dest: Path):
    try:
        handle, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".partial")
    except OSError as error:
        raise BackupError(f"cannot write in {dest.parent}: {error.strerror or error}") from error
    return os.fdopen(handle, "wb"), Path(name)


def _publish(partial: Path, dest: Path, force: bool) -> None:
    """Rename the finished archive to ``dest`` (never over a file, unless forced)."""
    if force:
        os.replace(partial, dest)
    else:
        _rename_without_replacing(partial, dest)
    directory = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _rename_without_replacing(partial: Path, dest: Path) -> None:
    try:
        os.link(partial, dest)  # fails if dest appeared meanwhile: nothing is overwritten
    except FileExistsError as error:
        raise BackupError(f"{dest} appeared while the backup ran; nothing replaced") from error
    except OSError:  # a file system without hard links: check, then rename
        if dest.exists():
            raise BackupError(f"{dest} appeared while the backup ran; nothing replaced") from None
        os.replace(partial, dest)
        return
    partial.unlink()


def _write_error(error: OSError, dest: Path) -> BackupError:
    if diskfull.is_out_of_space(error) or error.errno == errno.EFBIG:  # EFBIG: the size cap
        return BackupError(
            f"no space left on the disk holding {dest.parent} ({error.strerror}); "
            "nothing was written: free some space or choose another destination"
        )
    where = f" ({error.filename})" if error.filename else ""
    return BackupError(f"the backup failed: {error.strerror or error}{where}; nothing was written")
