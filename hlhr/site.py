"""What every reader page shows around its content: menu, sidebar, footer, dates.

The data is the same for every reader, so it is built once and cached per process for
``CHROME_CACHE_SECONDS``; the cache never outlives the next scheduled publication or
expiry, and a commit in this process that touches content clears it at once. Other
processes see an edit within CHROME_CACHE_SECONDS.
"""

import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from threading import Lock
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context, request, url_for
from flask_sqlalchemy.session import Session
from sqlalchemy import event, func, select

from . import cards
from .extensions import db
from .models import (
    Category,
    Comment,
    Media,
    MenuItem,
    Post,
    PostView,
    Setting,
    Tag,
    User,
    next_visibility_change,
    utcnow,
    visible_posts,
)

DEFAULT_SETTINGS = {
    "about": (
        "HLHR is an independent newsroom reporting on human rights: we document abuses, "
        "explain the law that should prevent them and follow what happens next."
    ),
    "copyright": "HLHR.ORG All rights reserved.",
}
POPULAR_WINDOWS = {"day": 1, "week": 7, "month": 30, "all": None}
SIDEBAR_SIZE = 5
EDITORS_PICK_SIZE = 4
CONTENT_MODELS = (Post, Category, Tag, MenuItem, Setting, Media, User, Comment)


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str


@dataclass(frozen=True)
class Chrome:
    """Everything around the content of a reader page."""

    settings: dict
    menu: tuple[MenuEntry, ...]
    categories: tuple[cards.Link, ...]
    recent: tuple[cards.Card, ...]
    popular: tuple[cards.Card, ...]
    editors_pick: tuple[cards.Card, ...]


class SiteCache:
    """Per-process cache of what every reader sees alike; each entry has its own deadline.

    Bounded: past ``max_entries`` the least recently used entry goes.
    """

    def __init__(self, max_entries=4096):
        self._lock = Lock()
        self._entries = OrderedDict()
        self._max = max_entries

    def clear(self):
        with self._lock:
            self._entries.clear()

    def get(self, key, build):
        """The cached value of ``key``, or ``build()`` -> (value, seconds to keep it).

        Builds run outside the lock: a build may read other entries, and two threads
        building the same entry at once only do the work twice.
        """
        with self._lock:
            value, deadline = self._entries.get(key, (None, 0.0))
            if time.monotonic() < deadline:
                self._entries.move_to_end(key)
                return value
        value, seconds = build()
        with self._lock:
            self._entries[key] = (value, time.monotonic() + seconds)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value


def init_app(app):
    app.extensions["hlhr_cache"] = SiteCache()
    app.context_processor(_template_globals)
    app.add_template_filter(long_date)
    app.add_template_filter(iso_datetime)
    _clear_on_content_commit()


def _template_globals():
    return {
        "site": site_context,
        "site_name": site_context().settings["site_name"],
        "today": today,
        "is_current": is_current,
    }


def site_context():
    return cached("chrome", _build_chrome)


def cached(key, build):
    """Shared reader data: rebuilt after CHROME_CACHE_SECONDS, a content commit in this
    process, or the next scheduled publication or expiry, whichever comes first."""

    def build_with_deadline():
        now = utcnow()
        return build(now), _cache_seconds(now)

    return current_app.extensions["hlhr_cache"].get(key, build_with_deadline)


def clear_site_cache(app=None):
    (app or current_app).extensions["hlhr_cache"].clear()


def get_settings() -> dict:
    """Site settings from the database over the defaults (site name from the config)."""
    stored = dict(db.session.execute(select(Setting.key, Setting.value)).all())
    stored = {key: value for key, value in stored.items() if value}
    return DEFAULT_SETTINGS | {"site_name": current_app.config["SITE_NAME"]} | stored


def _build_chrome(now):
    return Chrome(
        settings=get_settings(),
        menu=tuple(_menu()),
        categories=tuple(_categories()),
        recent=tuple(cards.cards(db.session.scalars(visible_posts(now).limit(SIDEBAR_SIZE)))),
        popular=tuple(popular_posts(now)),
        editors_pick=tuple(_editors_pick(now)),
    )


def _cache_seconds(now):
    seconds = current_app.config["CHROME_CACHE_SECONDS"]
    change = next_visibility_change(now)
    if change is not None:
        seconds = min(seconds, max(0.0, (change - now).total_seconds()))
    return seconds


def _menu():
    items = db.session.scalars(select(MenuItem).order_by(MenuItem.position, MenuItem.id))
    for item in items:
        url = _menu_url(item)
        if url:
            yield MenuEntry(item.label, url)


def _menu_url(item: MenuItem):
    if item.kind == "home":
        return url_for("public.home")
    if item.kind == "page" and item.post is not None:
        return url_for("public.post", slug=item.post.slug)
    if item.kind == "category" and item.category is not None:
        return url_for("public.category", slug=item.category.slug)
    return item.url or None


def _categories():
    rows = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return [cards.section_link(c) for c in rows]


def popular_posts(now, limit=SIDEBAR_SIZE):
    """Most viewed in the POPULAR_WINDOW (default a week), then of all time, then newest."""
    days = POPULAR_WINDOWS[current_app.config["POPULAR_WINDOW"]]
    since = (now - timedelta(days=days)).date() if days else None
    chosen = _most_viewed(now, since, limit)
    if len(chosen) < limit:
        seen = {p.id for p in chosen}
        chosen += [p for p in _most_viewed(now, None, limit) if p.id not in seen]
    if len(chosen) < limit:
        seen = {p.id for p in chosen}
        newest = db.session.scalars(visible_posts(now).limit(limit * 2))
        chosen += [p for p in newest if p.id not in seen]
    return cards.cards(chosen[:limit])


def _most_viewed(now, since, limit):
    views = select(PostView.post_id, func.sum(PostView.views).label("total"))
    if since is not None:
        views = views.where(PostView.day >= since)
    views = views.group_by(PostView.post_id).subquery()
    query = (
        visible_posts(now)
        .join(views, views.c.post_id == Post.id)
        .order_by(None)
        .order_by(views.c.total.desc(), Post.published_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _editors_pick(now):
    query = (
        visible_posts(now)
        .where(Post.editors_pick.is_(True))
        .order_by(None)
        .order_by(Post.editors_pick_position, Post.published_at.desc())
        .limit(EDITORS_PICK_SIZE)
    )
    return cards.cards(db.session.scalars(query))


def site_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["SITE_TIMEZONE"])


def long_date(value: datetime | None, with_weekday=False) -> str:
    """'January 31, 2023' (or 'Tuesday, January 31, 2023') in the site's timezone."""
    if value is None:
        return ""
    local = value.astimezone(site_zone())
    text = f"{local:%B} {local.day}, {local.year}"
    return f"{local:%A}, {text}" if with_weekday else text


def iso_datetime(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else ""


def today():
    return datetime.now(UTC)


def is_current(url: str) -> bool:
    """Whether a menu link points at the page being shown (home only matches itself)."""
    path = request.path
    return path == url if url == "/" else path.startswith(url)


def _clear_on_content_commit():
    """Any commit of content rows in this process empties the chrome cache."""
    if not event.contains(Session, "before_flush", _note_content_change):
        event.listen(Session, "before_flush", _note_content_change)
        event.listen(Session, "after_commit", _clear_after_commit)


def _note_content_change(session, _context, _instances):
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, CONTENT_MODELS):
            session.info["hlhr_content_changed"] = True
            return


def _clear_after_commit(session):
    if session.info.pop("hlhr_content_changed", False) and has_app_context():
        clear_site_cache()
