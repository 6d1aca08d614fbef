"""When SQLite's write lock stays taken past the busy timeout: 503, Retry-After, text kept.

A request that writes waits up to ``SQLITE_BUSY_TIMEOUT_MS`` for the write lock
(``hlhr.database``). When another writer holds it longer, the transaction is rolled back,
so nothing was saved, and the user is told so with ``503 Service Unavailable`` and
``Retry-After``. An HTML form comes back on a page that shows what was typed in readonly
fields to copy and can send the same form again; passwords, CSRF tokens and files are
never echoed. Other clients get JSON.

The page is rendered straight from the Jinja environment, without context processors,
so it reads nothing from the database that just failed.
"""

import logging
import math
import re
import sqlite3
from dataclasses import dataclass, field

from flask import current_app, jsonify, request, url_for
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy.exc import OperationalError
from wtforms.validators import ValidationError

from . import database, diskfull
from .extensions import db

log = logging.getLogger(__name__)

SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # primary result codes; extended codes share the low byte
CSRF_FIELD = "csrf_token"
_SECRET_NAME = re.compile(r"pass|secret|csrf", re.IGNORECASE)  # never echoed
_MACHINE_NAME = re.compile(r"token|nonce", re.IGNORECASE)  # sent again, never shown
MESSAGE = "The site is busy saving other changes. Nothing was saved; please try again."


def init_app(app):
    app.register_error_handler(OperationalError, database_busy)
    # Registered after the other hooks, so it runs before them (Flask runs them reversed).
    app.after_request(release_after_response)


def release_after_response(response):
    """A writing request lets go of SQLite's write lock as soon as its response exists."""
    if request.method not in database.READ_METHODS and db.engine.dialect.name == "sqlite":
        database.release_write_lock()
    return response


def is_busy(error: Exception) -> bool:
    """Whether ``error`` is SQLite's "database is locked" (the busy timeout ran out)."""
    original = getattr(error, "orig", None)
    if not isinstance(original, sqlite3.OperationalError):
        return False
    code = getattr(original, "sqlite_errorcode", None)
    if code is None:
        return "locked" in str(original) or "busy" in str(original)
    return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


def retry_after_seconds() -> int:
    return max(1, math.ceil(current_app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000))


def database_busy(error: OperationalError):
    """503 with Retry-After and the user's form; any other database error goes on to a 500.

    A full disk is not "busy": ``hlhr.diskfull`` answers it with 507 and the form kept.
    """
    if diskfull.is_disk_full(error):
        return diskfull.disk_full_page(error)
    if not is_busy(error):
        raise error
    database.release_write_lock()
    retry_after = retry_after_seconds()
    kept = KeptForm.from_request()
    log.warning(
        "database busy past %s ms: 503 for %s %s (nothing saved, %d form fields kept)",
        current_app.config["SQLITE_BUSY_TIMEOUT_MS"],
        request.method,
        request.path,
        len(kept.shown) if kept else 0,
    )
    headers = {"Retry-After": str(retry_after), "Cache-Control": "no-store"}
    if wants_json():
        body = jsonify(error="database_busy", message=MESSAGE, retry_after=retry_after)
        return body, 503, headers
    page = current_app.jinja_env.get_template("errors/busy.html").render(
        kept=kept,
        retry_after=retry_after,
        site_name=current_app.config["SITE_NAME"],
        url_for=url_for,
    )
    return page, 503, headers


def wants_json() -> bool:
    """Whether the client asked for JSON (sent JSON, or prefers it to HTML)."""
    if request.is_json:
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )


@dataclass
class KeptField:
    label: str
    name: str
    value: str

    @property
    def rows(self) -> int:
        return min(20, self.value.count("\n") + 1 + len(self.value) // 80)


@dataclass
class KeptForm:
    """What a refused form held: fields shown to copy, fields only sent again, and why not."""

    action: str
    shown: list[KeptField] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)
    dropped_secret: bool = False
    dropped_files: bool = False
    csrf_refused: bool = False

    @property
    def can_resend(self) -> bool:
        return not (self.dropped_secret or self.dropped_files or self.csrf_refused)

    @classmethod
    def from_request(cls) -> "KeptForm | None":
        if request.method in database.READ_METHODS or not (request.form or request.files):
            return None
        query = request.query_string.decode("latin-1")
        kept = cls(action=request.path + (f"?{query}" if query else ""))
        for name, values in request.form.lists():
            kept._keep(name, values)
        kept.dropped_files = any(upload.filename for upload in request.files.values())
        return kept

    def _keep(self, name: str, values: list[str]) -> None:
        if name == CSRF_FIELD:
            self._renew_csrf_token(values[0])
        elif _SECRET_NAME.search(name):
            self.dropped_secret = True
        elif _MACHINE_NAME.search(name) or not any(values):
            self.hidden.extend((name, value) for value in values)
        else:
            label = name.replace("_", " ").strip().capitalize() or name
            self.shown.extend(KeptField(label, name, value) for value in values)

    def _renew_csrf_token(self, sent: str) -> None:
        """Send again only with a token of this user's own session (never one from elsewhere)."""
        try:
            validate_csrf(sent)
        except ValidationError:
            self.csrf_refused = True
            return
        self.hidden.append((CSRF_FIELD, generate_csrf()))
