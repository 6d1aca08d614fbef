"""The staff area under /editor: every route needs a signed-in user and a capability.

Views declare their capability with ``@capability("...")``; a view without one is
refused (fail closed), so a new route cannot ship open.
"""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import auth, security_log
from ..extensions import csrf
from . import permissions

bp = Blueprint("editor", __name__, url_prefix="/editor")
OPEN_ENDPOINTS = frozenset({"editor.login"})


def capability(name: str):
    """Mark the coarse capability a view needs (checked before it runs)."""

    def mark(view):
        view.capability = name
        return view

    return mark


def init_app(app):
    """Bind sign-in and CSRF to the app and register the staff blueprint."""
    # Only staff forms are checked (by the guard below): reader pages set no cookies and
    # the public comment form carries its own signed token.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    auth.init_app(app)
    app.register_blueprint(bp)


@bp.before_request
def guard():
    """Sign-in, CSRF on every mutation, then the view's capability.

    :raise 400: missing or wrong CSRF token. :raise 403: capability missing (logged).
    """
    csrf.protect()
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        wanted = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("editor.login", next=wanted))
    view = current_app.view_functions.get(request.endpoint)
    needed = getattr(view, "capability", None)
    if needed is None:
        security_log.event("capability-missing", endpoint=request.endpoint)
    permissions.require(current_user, needed or "-undeclared-")
    return None


@bp.after_request
def no_store(response):
    """Staff pages may hold unpublished text: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    security_log.csrf_failed(error)
    return render_template("editor/error.html", title="Form expired", error=error), 400


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    security_log.event("request-too-large", user=security_log.actor_id(), limit=limit)
    return render_template("editor/too_large.html", limit_mb=limit // (1024 * 1024)), 413


@bp.context_processor
def editor_context():
    return {
        "can": lambda action, obj=None: permissions.can(current_user, action, obj),
        "pending_comments": views_comments.pending_count,
    }


from . import (  # noqa: E402,F401  (views register themselves on bp)
    views_auth,
    views_comments,
    views_media,
    views_posts,
    views_revisions,
    views_site,
    views_taxonomy,
    views_users,
)
