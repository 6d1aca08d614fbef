"""RSS 2.0 and Atom 1.0 feeds of the newest visible posts (site, section, tag, author)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from flask import current_app
from sqlalchemy.orm import selectinload

from ..cards import media_url
from ..extensions import db
from ..models import Post
from ..site import get_settings
from .urls import absolute, absolutise_links, site_root, slug_path, xml_text

FEED_SIZE = 20
FORMATS = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


@dataclass(frozen=True, slots=True)
class Enclosure:
    url: str
    mime: str
    length: int


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    url: str
    author: str
    author_url: str
    published: datetime
    updated: datetime
    categories: tuple[tuple[str, str], ...]  # (slug, name)
    summary: str
    content: str  # sanitised HTML with absolute links, or "" for summary-only feeds
    image: Enclosure | None


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    description: str
    link: str
    self_url: str
    updated: datetime
    entries: tuple[Entry, ...]


def full_text_wanted() -> bool:
    """The ``feed_content`` setting ("full" or "summary"), else config FEED_CONTENT."""
    fallback = current_app.config.get("FEED_CONTENT", "summary")
    return (get_settings().get("feed_content") or fallback) == "full"


def build_feed(query, title: str, link_path: str, self_path: str, description="") -> Feed:
    """The newest FEED_SIZE posts of ``query`` (a ``visible_posts`` select) as a feed."""
    posts = db.session.scalars(query.options(selectinload(Post.tags)).limit(FEED_SIZE))
    full = full_text_wanted()
    entries = tuple(_entry(post, full) for post in posts)
    newest = max((e.updated for e in entries), default=datetime(2000, 1, 1, tzinfo=UTC))
    return Feed(
        id=absolute(self_path),
        title=xml_text(title),
        description=xml_text(description or current_app.config["SITE_TAGLINE"]),
        link=absolute(link_path),
        self_url=absolute(self_path),
        updated=newest,
        entries=entries,
    )


def _entry(post: Post, full: bool) -> Entry:
    terms = [post.category] if post.category else []
    return Entry(
        id=tag_uri(post),
        title=xml_text(post.title),
        url=absolute(slug_path("public.post", post.slug)),
        author=xml_text(post.author.display_name),
        author_url=absolute(slug_path("public.author", post.author.slug)),
        published=post.published_at,
        updated=max(post.published_at, post.updated_at or post.published_at),
        categories=tuple((xml_text(t.slug), xml_text(t.name)) for t in [*terms, *post.tags]),
        summary=xml_text(post.excerpt),
        content=xml_text(absolutise_links(post.body_html)) if full else "",
        image=_enclosure(post.featured),
    )


def _enclosure(media) -> Enclosure | None:
    if media is None:
        return None
    return Enclosure(absolute(media_url(media.stored_name)), media.mime, media.size)


def tag_uri(post: Post) -> str:
    """A permanent entry id (RFC 4151) that survives slug changes and a move to https."""
    host = site_root().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"tag:{host},{post.created_at:%Y-%m-%d}:post:{post.id}"


def render_xml(name: str, **context) -> str:
    """A template rendered with ``context`` only: no context processors, so it is safe
    inside ``site.cached`` (whose lock the site chrome processor would take again)."""
    return current_app.jinja_env.get_template(name).render(context)


def render_feed(feed: Feed, fmt: str, site_name: str) -> str:
    """The feed as RSS 2.0 (``rss``) or Atom 1.0 (``atom``) text."""
    return render_xml(
        f"feeds/{fmt}.xml", feed=feed, site_name=site_name, rfc822=_rfc822, rfc3339=_rfc3339
    )


def _rfc822(value: datetime) -> str:
    return format_datetime(value.astimezone(UTC), usegmt=True)


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
