"""``/healthz``: database and search index status for load balancers and operators.

The answer names states and counts only: no secrets, paths, URLs or library versions.
It sets no cookie and is never cached. 200 when everything works, 503 otherwise.
"""

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from . import search
from .extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


def init_app(app):
    app.register_blueprint(bp)


@bp.get("/healthz")
def healthz():
    database = check_database()
    index = check_search() if database["status"] == "ok" else {"status": "unknown"}
    if database["status"] != "ok":
        status = "error"
    elif index["status"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    response = jsonify(status=status, database=database, search=index)
    response.status_code = 200 if status == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def check_database() -> dict:
    """A trivial query through the app's engine."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.error("healthz: database check failed: %s", type(error).__name__)
        return {"status": "error"}
    return {"status": "ok"}


def check_search() -> dict:
    """The index's document count and change-log backlog; never raises."""
    try:
        stats = search.stats()
    except search.SearchUnavailable:
        return {"status": "unavailable"}
    except Exception as error:  # a health check reports, it never fails
        db.session.rollback()
        log.error("healthz: search check failed: %s", type(error).__name__)
        return {"status": "error"}
    return {"status": "ok", "documents": stats["documents"], "pending": stats["pending"]}
