"""Error pages: old links are redirected before a 404, and a 500 never shows a traceback.

Every 403 and every CSRF failure reaches the security log (a 403 only once per request).
"""

from flask import redirect, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound
from werkzeug.routing import RequestRedirect

from . import security_log
from .extensions import db
from .models import Redirect

PLAIN_500 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Server error</title>"
    "<h1>Something went wrong on our side</h1><p>Please try again in a moment.</p></html>"
)


def init_app(app):
    app.before_request(redirect_before_slash_fix)
    app.register_error_handler(NotFound, not_found)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(InternalServerError, server_error)


def not_found(error):
    """Answer a moved page with 301 from the redirect table, anything else with our 404."""
    target = _redirect_target()
    if target:
        return redirect(target, code=301)
    return render_template("errors/404.html", error=error), 404


def redirect_before_slash_fix():
    """An old path like ``/index.php?p=12`` wins over the router's add-a-slash redirect."""
    if isinstance(request.routing_exception, RequestRedirect):
        target = _redirect_target()
        if target:
            return redirect(target, code=301)
    return None


def _redirect_target():
    candidates = [request.path]
    if request.query_string:
        candidates.insert(0, f"{request.path}?{request.query_string.decode('latin-1')}")
    rows = db.session.execute(
        select(Redirect.old_path, Redirect.new_path).where(Redirect.old_path.in_(candidates))
    ).all()
    found = dict(rows)
    return next((found[c] for c in candidates if c in found), None)


def http_error(error):
    if error.code is None or error.code >= 500:
        return server_error(error)
    if error.code == 403:
        # A refusal from ``permissions.require`` was logged with its details already.
        security_log.forbidden(user=security_log.actor_id(), client=security_log.pseudonym())
    return render_template("errors/4xx.html", error=error), error.code


def csrf_failed(error):
    """A CSRF failure outside the staff area (which renders its own page): log, then 400."""
    security_log.csrf_failed(error)
    return http_error(error)


def server_error(error):
    """Roll back whatever failed and show a plain apology (never a traceback)."""
    db.session.rollback()
    code = getattr(error, "code", None) or 500
    try:
        return render_template("errors/5xx.html", error=error), code
    except Exception:  # the database itself may be what failed
        return PLAIN_500, code
