"""``/healthz``: database and search index status for load balancers and operators.

The answer names states and counts only: no secrets, paths, URLs or library versions.
It sets no cookie and is never cached. 200 when everything works, 503 otherwise.
"""

import functools
import logging

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Blueprint, jsonify
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from . import search
from .database import MIGRATIONS_DIR
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
    """The database answers, and its schema is the one this code was written for.

    ``schema`` is ``missing`` (never migrated: a wrong database URL creates an empty SQLite
    file), ``outdated`` (``flask init-db`` not run after an upgrade), ``unreadable``, or
    ``newer`` (another node migrated first during a rolling deploy; still served, since
    migrations add before they remove).
    """
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.error("healthz: database check failed: %s", type(error).__name__)
        return {"status": "error"}
    schema = _schema_state()
    if schema == "current":
        return {"status": "ok"}
    if schema == "newer":
        return {"status": "ok", "schema": schema}
    log.error("healthz: %s", SCHEMA_ADVICE[schema])
    return {"status": "error", "schema": schema}


SCHEMA_ADVICE = {
    "missing": "the database has no schema: check HLHR_DATABASE_URL (a mistyped SQLite path "
    "creates an empty file), or run `flask init-db` for a new site",
    "outdated": "the database schema is older than this code: run `flask init-db`",
    "unreadable": "the database's schema version cannot be read",
}


def _schema_state() -> str:
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError as error:
        db.session.rollback()
        if inspect(db.engine).has_table("alembic_version"):
            log.error("healthz: reading the schema version failed: %s", type(error).__name__)
            return "unreadable"
        return "missing"
    script = _migrations()
    if not current:
        return "missing"
    if current == set(script.get_heads()):
        return "current"
    known = {revision.revision for revision in script.walk_revisions()}
    return "outdated" if current <= known else "newer"


@functools.cache
def _migrations() -> ScriptDirectory:
    """The migration scripts shipped with this code (read once per process)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


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
