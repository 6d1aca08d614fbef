"""Page views for POPULAR NEWS: one number per post and day, nothing about the reader.

An article view sets ``g.viewed_post_id``; after the response is built, a reader's GET
is added to this process's in-memory tally (no cookie, address or user agent is kept).
The tally is written with one ``INSERT ... ON CONFLICT DO UPDATE SET views = views + n``
per post and day, so any number of worker processes and machines add up without losing
a view. Counts wait in memory at most ``VIEW_FLUSH_SECONDS`` (or until
``VIEW_FLUSH_VIEWS`` have piled up): a crash loses at most those last seconds.
"""

import atexit
import logging
import os
import re
import threading
import weakref
from collections import Counter
from contextlib import nullcontext
from datetime import date

from flask import current_app, g, has_app_context, request
from sqlalchemy import Date, Integer, exists, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .models import Post, PostView, utcnow

log = logging.getLogger(__name__)

BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|archiver|fetch|scan|monitor|preview|headless|lighthouse"
    r"|facebookexternalhit|embedly|whatsapp|telegram|slack|discord|skype|curl|wget"
    r"|python|httpx|aiohttp|go-http|java/|okhttp|libwww|perl|ruby|php|feed|validator"
    r"|phantom|selenium|puppeteer|playwright",
    re.IGNORECASE,
)
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_counters: "weakref.WeakSet[ViewCounter]" = weakref.WeakSet()


def init_app(app):
    app.config.setdefault("VIEW_FLUSH_SECONDS", 0 if app.testing else 5)
    app.config.setdefault("VIEW_FLUSH_VIEWS", 200)
    counter = ViewCounter(app)
    app.extensions["hlhr_views"] = counter
    _counters.add(counter)
    app.after_request(count_view)


def is_bot(user_agent: str) -> bool:
    """Robots, link previews, scripts and an empty user agent are not readers."""
    return not user_agent.strip() or bool(BOT_RE.search(user_agent))


def _is_staff() -> bool:
    """A signed-in staff member (only asked when a staff cookie is present at all)."""
    config = current_app.config
    names = (config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    if not any(name in request.cookies for name in names):
        return False
    if getattr(current_app, "login_manager", None) is None:
        return False
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))


def _is_prefetch() -> bool:
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    return "prefetch" in purpose or "prerender" in purpose


def is_reader_view(response) -> bool:
    """Whether this response is a reader reading: a real GET page, not a preview or robot."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if g.get("preview") or "preview" in request.args or _is_prefetch():
        return False
    return not is_bot(request.user_agent.string) and not _is_staff()


def count_view(response):
    post_id = g.get("viewed_post_id")
    if post_id is not None and is_reader_view(response):
        current_app.extensions["hlhr_views"].add(post_id, utcnow().date())
    return response


def write_counts(connection, batch: dict) -> None:
    """Add ``{(post_id, day): n}`` to the daily counters atomically (posts gone are skipped)."""
    table = PostView.__table__
    insert = _INSERTS[connection.dialect.name]
    for (post_id, day), views in batch.items():
        source = select(
            literal(post_id, Integer), literal(day, Date), literal(views, Integer)
        ).where(exists().where(Post.__table__.c.id == post_id))
        statement = insert(table).from_select(["post_id", "day", "views"], source)
        statement = statement.on_conflict_do_update(
            index_elements=["post_id", "day"],
            set_={"views": table.c.views + statement.excluded.views},
        )
        connection.execute(statement)


class ViewCounter:
    """This process's tally of views not yet written, flushed by size, by timer and at exit."""

    def __init__(self, app):
        self._app = app
        self._lock = threading.Lock()
        self._reset()

    def _reset(self):
        self._pid = os.getpid()
        self._pending: Counter = Counter()
        self._timer = None

    def add(self, post_id: int, day: date) -> None:
        with self._lock:
            if self._pid != os.getpid():  # a forked worker starts with its own empty tally
                self._reset()
            self._pending[(post_id, day)] += 1
            due = sum(self._pending.values()) >= self._app.config["VIEW_FLUSH_VIEWS"]
        if due or self._app.config["VIEW_FLUSH_SECONDS"] <= 0:
            self.flush()
        else:
            self._schedule()

    def pending(self) -> int:
        with self._lock:
            return sum(self._pending.values())

    def flush(self) -> None:
        """Write the tally; on a database error keep it for the next flush."""
        with self._lock:
            batch, self._pending = self._pending, Counter()
        if not batch:
            return
        try:
            with self._app_context(), db.engine.begin() as connection:
                write_counts(connection, batch)
        except SQLAlchemyError:
            log.exception("could not write %d page views; will retry", sum(batch.values()))
            with self._lock:
                self._pending.update(batch)
            self._schedule()

    def _app_context(self):
        """The app context to write in: the current one inside a request, else a new one."""
        if has_app_context() and current_app._get_current_object() is self._app:
            return nullcontext()
        return self._app.app_context()

    def _schedule(self) -> None:
        with self._lock:
            if self._timer is not None and self._timer.is_alive():
                return
            self._timer = threading.Timer(self._app.config["VIEW_FLUSH_SECONDS"], self._tick)
            self._timer.daemon = True
            self._timer.start()

    def _tick(self) -> None:
        with self._lock:
            self._timer = None
        try:
            self.flush()
        except Exception:  # a timer thread must never die noisily
            log.exception("page view flush failed")


@atexit.register
def _flush_at_exit():
    for counter in list(_counters):
        try:
            counter.flush()
        except Exception:  # nothing more useful to do at interpreter exit
            log.exception("page views lost at exit")
