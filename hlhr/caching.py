"""HTTP caching: ETags and 304s for reader pages, fingerprinted static URLs.

Reader pages (the ``public`` blueprint's HTML answers to GET and HEAD) carry an ETag
hashed from the body and answer ``If-None-Match`` with 304; browsers and proxies keep
them but ask again every time (``max-age=0, must-revalidate``). Editor pages, error
pages and anything that sets a cookie are left alone.

Static files are cached for a year (``SEND_FILE_MAX_AGE_DEFAULT``), so every
``url_for("static", filename=...)`` gets ``?v=<content hash>``: a changed file gets a
new URL. The hash is computed once per file per process.

``init_app`` is called before the other extensions so that this hook runs after theirs
(Flask runs ``after_request`` hooks in reverse order): the view counter and the
security headers still see the full 200 response.
"""

import hashlib
import os

from flask import request, session
from werkzeug.security import safe_join

READER_BLUEPRINTS = frozenset({"public"})
READER_CACHE_CONTROL = "public, max-age=0, must-revalidate"
VERSIONS_KEY = "hlhr_static_versions"


def init_app(app):
    app.extensions[VERSIONS_KEY] = {}
    app.after_request(conditional_reader_page)
    app.url_defaults(version_static_urls)


def conditional_reader_page(response):
    """Add an ETag to a reader page and turn a matching conditional request into 304."""
    if not _is_cacheable_reader_page(response):
        return response
    response.headers.setdefault("Cache-Control", READER_CACHE_CONTROL)
    response.add_etag()
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
