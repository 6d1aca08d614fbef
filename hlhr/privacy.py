"""Readers' data, kept small and short-lived (DESIGN.md section 7).

What HLHR keeps about readers: page views as one number per post and day
(``popular``); for comments, what the commenter typed plus a keyed hash of the client
address whose key rotates daily (``throttle``). Client hashes, in throttle records and
on comments, are deleted after ``throttle.RETENTION`` (30 days) by ``flask purge`` and,
at most once an hour, by each process while it serves requests.
"""

import logging
import time
from datetime import datetime
from threading import Lock

import click
from flask import current_app
from sqlalchemy import delete, update
from sqlalchemy.exc import SQLAlchemyError

from . import database, popular, throttle
from .extensions import db
from .models import Comment, SpentQuestion, utcnow

log = logging.getLogger(__name__)

PURGE_EVERY_SECONDS = 3600


def init_app(app):
    """Reader-data features: view counting, comment client-hash expiry, ``flask purge``."""
    popular.init_app(app)
    app.extensions["hlhr_purge"] = PurgeSchedule(PURGE_EVERY_SECONDS)
    app.after_request(purge_when_due)
    app.cli.add_command(purge_command)


def purge_expired_client_data(now: datetime | None = None) -> dict:
    """Delete client hashes older than the retention period (the caller commits)."""
    now = now or utcnow()
    cutoff = now - throttle.RETENTION
    cleared = db.session.execute(
        update(Comment)
        .where(Comment.ip_hash.is_not(None), Comment.created_at < cutoff)
        .values(ip_hash=None)
        .execution_options(synchronize_session=False)
    )
    spent = db.session.execute(delete(SpentQuestion).where(SpentQuestion.expires_at < now))
    return {
        "throttle records": throttle.purge_expired(now),
        "comment client hashes": cleared.rowcount or 0,
        "spent comment questions": spent.rowcount or 0,
    }


class PurgeSchedule:
    """At most one opportunistic purge per ``seconds`` in this process."""

    def __init__(self, seconds: float):
        self._seconds = seconds
        self._next = 0.0
        self._lock = Lock()

    def due(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._next:
                return False
            self._next = now + self._seconds
            return True


def purge_when_due(response):
    """Run the purge in its own app context (its own session), so the view's is untouched."""
    if current_app.extensions["hlhr_purge"].due():
        try:
            with current_app.app_context():
                purge_expired_client_data()
                db.session.commit()
        except SQLAlchemyError:
            log.exception("opportunistic purge failed; `flask purge` can run it")
    return response


@click.command("purge")
@database.writes(saved="nothing was deleted")
def purge_command():
    """Delete readers' client hashes older than 30 days (throttle records, comments)."""
    counts = purge_expired_client_data()
    db.session.commit()
    for what, count in counts.items():
        click.echo(f"Deleted {count} {what}.")
