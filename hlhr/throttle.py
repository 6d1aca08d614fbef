"""Rate limits shared by every worker: counted in the database by a keyed client hash.

Raw client addresses are never stored. The hash key is derived from SECRET_KEY and the
UTC day, so it rotates daily and a copy of the database alone cannot be reversed into
addresses; rows older than ``RETENTION`` are deleted by ``purge_expired``.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from .extensions import db
from .models import ThrottleEvent, utcnow

RETENTION = timedelta(days=30)


def client_hash(value: str, day: datetime | None = None) -> str:
    """Keyed hash of a client address (or any identifier) for ``day`` (default: today)."""
    day = (day or utcnow()).date().isoformat()
    key = hmac.new(
        current_app.config["SECRET_KEY"].encode(), f"client-hash:{day}".encode(), hashlib.sha256
    ).digest()
    return hmac.new(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _hashes_since(value: str, since: datetime) -> list[str]:
    """The client's hash for every day the window touches (a window may span midnight)."""
    days, day = [], since
    while day.date() <= utcnow().date():
        days.append(client_hash(value, day))
        day += timedelta(days=1)
    return days


def record(scope: str, value: str) -> None:
    """Count one attempt for ``value`` in ``scope`` (the caller commits)."""
    db.session.add(ThrottleEvent(scope=scope, key_hash=client_hash(value)))


def _in_window(scope: str, value: str, window: timedelta):
    since = utcnow() - window
    return (
        ThrottleEvent.scope == scope,
        ThrottleEvent.key_hash.in_(_hashes_since(value, since)),
        ThrottleEvent.created_at > since,
    )


def recent_count(scope: str, value: str, window: timedelta) -> int:
    query = select(func.count(ThrottleEvent.id)).where(*_in_window(scope, value, window))
    return db.session.scalar(query) or 0


def oldest_in_window(scope: str, value: str, window: timedelta) -> datetime | None:
    """When the oldest counted attempt in the window was made (to say how long to wait)."""
    query = select(func.min(ThrottleEvent.created_at)).where(*_in_window(scope, value, window))
    return db.session.scalar(query)


def clear(scope: str, value: str) -> None:
    """Forget the attempts of ``value`` in ``scope`` (e.g. after a successful sign-in)."""
    since = utcnow() - RETENTION
    db.session.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.scope == scope,
            ThrottleEvent.key_hash.in_(_hashes_since(value, since)),
        )
    )


def purge_expired(now: datetime | None = None) -> int:
    """Delete throttle rows older than the retention period; return how many."""
    cutoff = (now or utcnow()) - RETENTION
    result = db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.created_at < cutoff))
    return result.rowcount or 0
