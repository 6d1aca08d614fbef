"""When the database's disk is full: 507, nothing saved, and the user's form kept.

SQLite answers "database or disk is full" (``SQLITE_FULL``) and PostgreSQL ``DiskFull``
(SQLSTATE 53100) when a transaction cannot grow the files; either way the transaction is
rolled back whole, so nothing is half-written. ``hlhr.busy``'s handler for
``OperationalError`` hands these errors here. The page shows what was typed (the busy
page's kept form, without passwords or files) and can send it again once space is freed;
it reads nothing from the database.

A big form part (an upload over 500 kB) is spooled to a temporary file while the request
arrives (werkzeug's default, in ``TMPDIR``). ``SpoolingRequest`` answers a full disk there
with the same 507 page instead of a 500, and closes the half-written spools at once.
"""

import contextlib
import errno
import logging
import sqlite3
from tempfile import SpooledTemporaryFile

from flask import Request, current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from . import busy, database

log = logging.getLogger(__name__)

NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
SQLITE_FULL = 13  # primary result code
POSTGRES_DISK_FULL = "53100"
MESSAGE = (
    "The server's disk is full, so nothing was saved. Please tell the site's administrator "
    "and try again once space is freed."
)
SPOOL_IN_MEMORY = 500 * 1024  # werkzeug's default: bigger form parts go to a temporary file


def init_app(app):
    app.request_class = SpoolingRequest
    app.register_error_handler(SpoolDiskFull, spool_disk_full)


class SpoolDiskFull(HTTPException):
    """A form part could not be spooled to a temporary file for lack of space."""

    code = 507
    description = MESSAGE


class SpoolingRequest(Request):
    """Flask's request, but a full disk under the spooled form parts is a 507, not a 500."""

    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):  # fmt: skip
        spool = SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="rb+")  # noqa: SIM115
        self.__dict__.setdefault("hlhr_spools", []).append(spool)
        return spool

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except OSError as error:
            if not is_out_of_space(error):
                raise
            self._close_spools()
            # The body is half read: the form is empty rather than parsed again.
            self.__dict__.update(form=MultiDict(), files=MultiDict())
            raise SpoolDiskFull() from error

    def _close_spools(self) -> None:
        for spool in self.__dict__.pop("hlhr_spools", ()):
            # What it still buffered cannot be written either; the file goes all the same.
            with contextlib.suppress(OSError):
                spool.close()


def is_out_of_space(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from or while handling, is a file
    write that failed for lack of space (ENOSPC, or EDQUOT: a quota is a full disk too)."""
    return out_of_space_error(error) is not None


def out_of_space_error(error: BaseException | None) -> OSError | None:
    """The OSError for lack of space along ``error``'s chain (see ``is_out_of_space``)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OSError) and error.errno in NO_SPACE_ERRNOS:
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def is_disk_full(error: Exception) -> bool:
    """Whether a SQLAlchemy ``error`` says the database could not grow for lack of space."""
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == POSTGRES_DISK_FULL:
        return True
    if not isinstance(original, sqlite3.OperationalError):
        return False
    code = getattr(original, "sqlite_errorcode", None)
    if code is None:
        return "disk is full" in str(original)
    return code & 0xFF == SQLITE_FULL


def spool_disk_full(error: SpoolDiskFull):
    return disk_full_page(error, "a form part could not be spooled to a temporary file")


def disk_full_page(error: Exception, what="the database could not grow"):
    """507 Insufficient Storage with the user's form kept (JSON for clients that ask)."""
    database.release_write_lock()
    kept = busy.KeptForm.from_request()
    log.error(
        "disk full: %s (%s); 507 for %s %s, nothing saved",
        what,
        getattr(error, "orig", None) or error.__cause__ or error,
        request.method,
        request.path,
    )
    headers = {"Cache-Control": "no-store"}
    if busy.wants_json():
        return jsonify(error="disk_full", message=MESSAGE), 507, headers
    page = current_app.jinja_env.get_template("errors/disk_full.html").render(
        kept=kept, site_name=current_app.config["SITE_NAME"], url_for=url_for
    )
    return page, 507, headers
