"""Security events: one line each on the ``hlhr.security`` logger, UTC-stamped and escaped.

``event("sign-in", user=3, role="editor")`` writes ``event=sign-in user=3 role=editor
path=/editor/login``. Every value is escaped, so text a client chose (a file name, a path)
can never start a second line, fake a field or colour a terminal. Events name people by
user id and clients by ``pseudonym`` (a keyed daily hash, DESIGN.md section 7): never a
password, token, raw address, e-mail address or comment text.
"""

import logging
import unicodedata
from datetime import UTC, datetime
from enum import Enum

from flask import has_request_context, request
from flask_login import current_user

from . import throttle

LOGGER_NAME = "hlhr.security"
logger = logging.getLogger(LOGGER_NAME)

INFO, WARNING, ERROR = logging.INFO, logging.WARNING, logging.ERROR
# Every event the application writes, with its level: the list an operator can alert on.
EVENTS = {
    "sign-in": INFO,
    "sign-in-failed": WARNING,
    "throttled": WARNING,
    "sign-out": INFO,
    "password-changed": INFO,
    "password-change-refused": WARNING,
    "forbidden": WARNING,
    "capability-missing": ERROR,
    "csrf-failed": WARNING,
    "upload-rejected": WARNING,
    "request-too-large": WARNING,
    "comment-refused": WARNING,
    "comment-moderated": INFO,
    "comment-edited": INFO,
    "comment-deleted": INFO,
    "post-status-changed": INFO,
    "post-deleted": INFO,
    "media-deleted": INFO,
    "user-created": INFO,
    "user-changed": INFO,
    "role-changed": WARNING,
    "user-deactivated": WARNING,
    "user-reactivated": INFO,
    "password-reset": WARNING,
}
MAX_VALUE = 200  # characters of one value kept before escaping
_FORBIDDEN_LOGGED = "hlhr.security.forbidden_logged"
# Unicode categories shown as escapes: controls, format characters (bidi overrides,
# zero-width), surrogates, private use, unassigned, line/paragraph and non-ASCII spaces.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def init_app(app):
    """Log at INFO; when nobody configured logging, write UTC lines to stderr ourselves.

    An operator's handler (on this logger or the root logger, e.g. gunicorn
    ``--log-config`` or ``logging.basicConfig``) is left alone and gets the records.
    """
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(SecurityFormatter())
    logger.addHandler(handler)
    # Flask's own handler on the "hlhr" logger would print every line a second time.
    logger.propagate = False


class SecurityFormatter(logging.Formatter):
    """``2025-01-31T09:15:02.123+00:00 WARNING hlhr.security event=...`` on one line."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def format(self, record):
        # Lines not written by ``event`` (a stray logger call, a traceback) stay one line too.
        return escape(super().format(record), backslashes=False)


def event(name: str, /, **fields) -> None:
    """Write security event ``name`` with ``fields``; the request path is added when known.

    :raise ValueError: ``name`` is not in ``EVENTS`` (a typo would hide an event).
    """
    if name not in EVENTS:
        raise ValueError(f"unknown security event {name!r}")
    if has_request_context():
        fields.setdefault("path", request.path)
    logger.log(EVENTS[name], format_event(name, fields))


def forbidden(**fields) -> None:
    """Log a 403 once per request: the refusing code and the error page both call this."""
    if has_request_context():
        if request.environ.get(_FORBIDDEN_LOGGED):
            return
        request.environ[_FORBIDDEN_LOGGED] = True
    event("forbidden", **fields)


def csrf_failed(error) -> None:
    """Log a refused CSRF token, on staff and reader forms alike."""
    event("csrf-failed", user=actor_id(), reason=error.description, client=pseudonym())


def format_event(name: str, fields: dict) -> str:
    parts = [f"event={format_value(name)}"]
    parts += [f"{key}={format_value(value)}" for key, value in fields.items()]
    return " ".join(parts)


def format_value(value) -> str:
    """A value as one logfmt token: escaped, truncated, quoted when it holds a space."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value.value if isinstance(value, Enum) else value)
    if len(text) > MAX_VALUE:
        text = f"{text[:MAX_VALUE]}...(+{len(text) - MAX_VALUE})"
    text = escape(text)
    if not text or any(ch in text for ch in ' "='):
        return '"' + text.replace('"', '\\"') + '"'
    return text


def escape(text: str, backslashes: bool = True) -> str:
    """Control, format, separator and bidi characters as ``\\xNN`` / ``\\uNNNN`` escapes."""
    if backslashes:
        text = text.replace("\\", "\\\\")
    return "".join(_escape_char(ch) if _unsafe(ch) else ch for ch in text)


def _unsafe(ch: str) -> bool:
    return ch != " " and unicodedata.category(ch) in _UNSAFE_CATEGORIES


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def pseudonym(value: str | None = None) -> str:
    """``value`` as a keyed daily hash (16 hex digits); default: this request's client address.

    The same client or account gets the same pseudonym all day, so attempts can be
    correlated without the log holding an address or an e-mail address.
    """
    if value is None:
        value = (request.remote_addr if has_request_context() else None) or "unknown"
    return throttle.client_hash(value)[:16]


def actor_id():
    """The signed-in staff member's id, or None."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return current_user.id
