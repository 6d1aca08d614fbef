"""HTTP caching: ETags, Last-Modified and 304s for reader pages, fingerprinted static URLs.

Reader pages (the ``public`` blueprint's HTML answers to GET and HEAD) carry an ETag
hashed from the body and answer ``If-None-Match`` with 304; browsers and proxies keep
them but ask again every time (``max-age=0, must-revalidate``). Editor pages, error
pages and anything that sets a cookie are left alone.

They also carry ``Last-Modified`` for clients that only send ``If-Modified-Since``: the
time this process first served the page's current body (same ETag). A post's own
``updated_at`` would miss what else a page shows (new comments, a post taken off a list,
the header's date, the sidebar), and an open comment form asks a new question each
hour (``questions.WINDOW``); the body's first appearance moves whenever any of
them do, at no query's cost. HTTP dates count whole seconds, so a body that replaced
another one within the same second gets no Last-Modified: a date could not tell the two
apart. ``If-None-Match`` wins when both are sent (werkzeug follows RFC 9110 here).

Static files are cached for a year (``SEND_FILE_MAX_AGE_DEFAULT``), so every
``url_for("static", filename=...)`` gets ``?v=<content hash>``: a changed file gets a
new URL. The hash is computed once per file per process.

``init_app`` is called before the other extensions so that this hook runs after theirs
(Flask runs ``after_request`` hooks in reverse order): the view counter and the
security headers still see the full 200 response.
"""

import hashlib
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock

from flask import current_app, request, session
from werkzeug.security import safe_join

READER_BLUEPRINTS = frozenset({"public"})
READER_CACHE_CONTROL = "public, max-age=0, must-revalidate"
VERSIONS_KEY = "hlhr_static_versions"
FIRST_SEEN_KEY = "hlhr_first_seen"
wall_clock = time.time  # seconds since the epoch; HTTP dates are wall-clock times


@dataclass(frozen=True, slots=True)
class BodyVersion:
    """One body of one URL: its ETag and the whole second this process first served it."""

    etag: str
    second: int
    shares_second: bool  # it replaced another body within that same second


class FirstSeen:
    """Per-process record of when each reader URL's current body first went out.

    Bounded: past ``max_entries`` the least recently served URL is forgotten (its next
    answer simply counts as new).
    """

    def __init__(self, max_entries=10_000):
        self._lock = Lock()
        self._versions = OrderedDict()
        self._max = max_entries

    def version(self, url: str, etag: str, now: float) -> BodyVersion:
        with self._lock:
            known = self._versions.get(url)
            if known is None or known.etag != etag:
                known = _next_version(known, etag, int(now))
                self._versions[url] = known
            self._versions.move_to_end(url)
            while len(self._versions) > self._max:
                self._versions.popitem(last=False)
            return known


def _next_version(previous: BodyVersion | None, etag: str, second: int) -> BodyVersion:
    if previous is None:
        return BodyVersion(etag, second, shares_second=False)
    second = max(second, previous.second)  # a clock stepping back never reorders bodies
    return BodyVersion(etag, second, shares_second=second == previous.second)


def init_app(app):
    app.extensions[VERSIONS_KEY] = {}
    app.extensions[FIRST_SEEN_KEY] = FirstSeen()
    app.after_request(conditional_reader_page)
    app.url_defaults(version_static_urls)


def conditional_reader_page(response):
    """Add an ETag and Last-Modified to a reader page; answer a matching condition with 304."""
    if not _is_cacheable_reader_page(response):
        return response
    response.headers.setdefault("Cache-Control", READER_CACHE_CONTROL)
    response.add_etag()
    etag, _weak = response.get_etag()
    url = f"{request.host}{request.full_path}"
    version = current_app.extensions[FIRST_SEEN_KEY].version(url, etag, wall_clock())
    if not version.shares_second:
        response.last_modified = datetime.fromtimestamp(version.second, UTC)
    return response.make_conditional(request)


def _is_cacheable_reader_page(response) -> bool:
    if request.blueprint not in READER_BLUEPRINTS or request.method not in ("GET", "HEAD"):
        return False
    if response.status_code != 200 or response.mimetype != "text/html":
        return False
    if response.direct_passthrough or response.is_streamed:
        return False
    # The session cookie is written after this hook; a modified session means a cookie.
    return "Set-Cookie" not in response.headers and not session.modified


def version_static_urls(endpoint, values):
    """``url_defaults`` hook: ``/static/css/site.css`` -> ``/static/css/site.css?v=...``."""
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    from flask import current_app

    version = static_version(current_app, values["filename"])
    if version:
        values["v"] = version


def static_version(app, filename: str) -> str | None:
    """First 12 hex digits of the file's SHA-256 (cached); None for a missing file."""
    versions = app.extensions[VERSIONS_KEY]
    if filename in versions:
        return versions[filename]
    path = safe_join(app.static_folder, filename) if app.static_folder else None
    if not path or not os.path.isfile(path):
        return None  # not cached: the file may appear later
    versions[filename] = _file_digest(path)
    return versions[filename]


def _file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]
