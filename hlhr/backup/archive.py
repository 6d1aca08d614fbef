"""The backup archive: a .tar.gz whose ``manifest.json`` names every member's SHA-256.

The manifest is the last member (the checksums are known only once the rest is written),
so a restore reads the archive twice: once to check every member against the manifest,
and only then to extract. Reading accepts nothing but regular files with the names a
backup writes, so a crafted archive cannot write outside its targets.
"""

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from pathlib import PurePosixPath

FORMAT = "hlhr-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CONFIG_MEMBER = "instance/config.py"
UPLOADS_PREFIX = "uploads/"
CHUNK = 1 << 20
MAX_MANIFEST_BYTES = 16 << 20
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError)


class BackupError(Exception):
    """What went wrong, in words an operator can act on."""


class _HashingReader:
    """Reads a file for tarfile while hashing what it reads and reporting progress."""

    def __init__(self, source, progress):
        self._source = source
        self._progress = progress
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self._source.read(size)
        self.digest.update(data)
        self._progress(len(data))
        return data


class ArchiveWriter:
    """Writes members into a gzip'd tar and remembers their sizes and checksums.

    Use as a context manager; ``finish`` adds the manifest before it closes.
    """

    def __init__(self, fileobj, progress=lambda _n: None):
        self._fileobj = fileobj
        self._progress = progress
        self._tar = None
        self.members = {}

    def __enter__(self):
        self._tar = tarfile.open(fileobj=self._fileobj, mode="w:gz", compresslevel=6)
        return self

    def __exit__(self, *_exc):
        self._tar.close()

    def add_file(self, name: str, path, mode=0o644):
        """Add the file at ``path``; its size is read from the open file, not the name."""
        with open(path, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            reader = _HashingReader(source, self._progress)
            self._tar.addfile(_info(name, size, mode), reader)
        self.members[name] = {"size": size, "sha256": reader.digest.hexdigest()}

    def add_bytes(self, name: str, data: bytes, mode=0o644):
        self._tar.addfile(_info(name, len(data), mode), io.BytesIO(data))
        self.members[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        self._progress(len(data))

    def finish(self, manifest: dict):
        """Write the manifest (with every member's checksum) last and close the archive."""
        manifest = manifest | {"members": self.members}
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        self.add_bytes(MANIFEST, data, mode=0o600)


def _info(name, size, mode):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = mode
    info.mtime = int(time.time())
    return info


def member_name(member: tarfile.TarInfo) -> str:
    """The member's name when it is one a backup writes. :raise BackupError:"""
    name = member.name
    path = PurePosixPath(name)
    if not member.isreg() or path.is_absolute() or "\\" in name or ".." in path.parts:
        raise BackupError(f"the archive holds an unexpected entry: {name!r}")
    allowed = name in (MANIFEST, CONFIG_MEMBER, *DATABASE_MEMBERS.values())
    if not allowed and not (name.startswith(UPLOADS_PREFIX) and len(path.parts) > 1):
        raise BackupError(f"the archive holds an unexpected entry: {name!r}")
    return name


def members(path, progress=lambda _n: None):
    """Yield (name, file object) for each member, in archive order, reading the file once.

    :raise BackupError: not a readable archive, or an entry a backup never writes.
    """
    try:
        with open(path, "rb") as raw, gzip.GzipFile(fileobj=_CountingFile(raw, progress)) as gz:
            with tarfile.open(fileobj=gz, mode="r|") as tar:
                for member in tar:
                    yield member_name(member), _Member(tar.extractfile(member), path)
            # tarfile stops quietly at a damaged header; gzip's CRC at the end does not.
            while gz.read(CHUNK):
                pass
    except BackupError:
        raise
    except READ_ERRORS as error:
        raise BackupError(f"{path} is not a readable HLHR backup ({error})") from error


class _Member:
    """A member's data; a damaged stream found while reading it says so like the rest."""

    def __init__(self, fileobj, path):
        self._fileobj = fileobj
        self._path = path

    def read(self, size=-1):
        try:
            return self._fileobj.read(size)
        except READ_ERRORS as error:
            raise BackupError(f"{self._path} is not a readable HLHR backup ({error})") from error


class _CountingFile:
    """The compressed file as tarfile reads it, with progress in bytes."""

    def __init__(self, raw, progress):
        self._raw = raw
        self._progress = progress

    def read(self, size=-1):
        data = self._raw.read(size)
        self._progress(len(data))
        return data


def sha256_of(fileobj, sink=None) -> tuple[int, str]:
    """(size, hex digest) of what ``fileobj`` holds; each chunk also goes to ``sink``."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return size, digest.hexdigest()


def verify(path, progress=lambda _n: None) -> dict:
    """Read the whole archive and check it against its manifest; return the manifest.

    :raise BackupError: unreadable, no manifest, an unknown format, a missing or extra
        member, or a size or checksum that differs.
    """
    manifest, found = None, {}
    for name, fileobj in members(path, progress):
        if name in found or (name == MANIFEST and manifest is not None):
            raise BackupError(f"{path} holds {name} twice")
        if name == MANIFEST:
            manifest = _parse_manifest(fileobj.read(MAX_MANIFEST_BYTES + 1))
        else:
            found[name] = sha256_of(fileobj)
    if manifest is None:
        raise BackupError(f"{path} has no {MANIFEST}: it is not an HLHR backup, or damaged")
    check_members(manifest, found)
    return manifest


def _parse_manifest(data: bytes) -> dict:
    if len(data) > MAX_MANIFEST_BYTES:
        raise BackupError(f"{MANIFEST} is too large")
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BackupError(f"{MANIFEST} is not valid JSON ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("the archive is not an HLHR backup (no hlhr-backup manifest)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"the backup has format version {version!r}; this HLHR reads up to "
            f"{FORMAT_VERSION}: upgrade HLHR first"
        )
    if not isinstance(manifest.get("members"), dict) or not isinstance(
        manifest.get("database"), dict
    ):
        raise BackupError(f"{MANIFEST} lacks its member list or database entry")
    return manifest


def check_members(manifest: dict, found: dict) -> None:
    """Compare (size, sha256) of each member read with the manifest. :raise BackupError:"""
    listed = manifest["members"]
    missing = sorted(set(listed) - set(found))
    extra = sorted(set(found) - set(listed))
    if missing or extra:
        raise BackupError(f"the archive does not match its manifest (missing: {missing}, "
                          f"not listed: {extra})")  # fmt: skip
    for name, (size, digest) in found.items():
        expected = listed[name]
        if not isinstance(expected, dict) or (size, digest) != (
            expected.get("size"),
            expected.get("sha256"),
        ):
            raise BackupError(f"checksum mismatch for {name}: the archive is damaged")
