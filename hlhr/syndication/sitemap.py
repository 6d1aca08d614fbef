"""sitemaps.org sitemaps: an index pointing at posts, pages, sections and tags, each split
into files of at most SITEMAP_MAX_URLS (50,000, the protocol's limit) URLs."""

import math
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import func, select

from ..extensions import db
from ..models import Category, Post, PostKind, Tag, post_tags
from .urls import absolute, site_root, slug_path

KINDS = ("posts", "pages", "sections", "tags")
PROTOCOL_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    loc: str
    lastmod: datetime | None


def max_urls() -> int:
    return min(PROTOCOL_LIMIT, int(current_app.config.get("SITEMAP_MAX_URLS", PROTOCOL_LIMIT)))


def index_entries(now) -> list[str]:
    """Absolute URLs of every sitemap file (at least one per kind that has URLs)."""
    size = max_urls()
    found = []
    for kind in KINDS:
        pages = math.ceil(_count(kind, now) / size)
        found += [
            absolute(url_for("public.sitemap_part", kind=kind, number=n))
            for n in range(1, pages + 1)
        ]
    return found


def sitemap_urls(kind: str, number: int, now) -> list[SitemapUrl] | None:
    """The ``number``-th file (from 1) of ``kind``, or None when it does not exist."""
    if kind not in KINDS or number < 1:
        return None
    size = max_urls()
    offset = (number - 1) * size
    if offset >= _count(kind, now):
        return None
    return list(_ROWS[kind](now, offset, size))


def _count(kind, now) -> int:
    if kind == "pages":
        return 1 + _count_query(_post_rows(now, PostKind.PAGE))  # the home page comes first
    return _count_query(_QUERIES[kind](now))


def _count_query(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def _post_rows(now, kind):
    return (
        select(Post.slug, Post.published_at, Post.updated_at)
        .where(Post.kind == kind, Post.is_visible(now))
        .order_by(Post.id)
    )


def _posts(now, offset, limit, kind=PostKind.POST):
    rows = db.session.execute(_post_rows(now, kind).offset(offset).limit(limit))
    for slug, published, updated in rows:
        yield SitemapUrl(absolute(slug_path("public.post", slug)), max(published, updated))


def _pages(now, offset, limit):
    if offset == 0:
        newest = db.session.scalar(select(func.max(Post.published_at)).where(Post.is_visible(now)))
        yield SitemapUrl(site_root() + "/", newest)
        limit -= 1
    yield from _posts(now, max(0, offset - 1), limit, PostKind.PAGE)


def _term_query(model, now):
    """Terms with at least one visible post, and when their newest one appeared."""
    join = (
        (Post, Post.category_id == Category.id)
        if model is Category
        else (post_tags, post_tags.c.tag_id == Tag.id)
    )
    query = select(model.slug, func.max(Post.published_at)).join(*join)
    if model is Tag:
        query = query.join(Post, Post.id == post_tags.c.post_id)
    return (
        query.where(Post.kind == PostKind.POST, Post.is_visible(now))
        .group_by(model.id, model.slug)
        .order_by(model.id)
    )


def _terms(model, endpoint):
    def rows(now, offset, limit):
        for slug, newest in db.session.execute(_term_query(model, now).offset(offset).limit(limit)):
            yield SitemapUrl(absolute(slug_path(endpoint, slug)), newest)

    return rows


_QUERIES = {
    "posts": lambda now: _post_rows(now, PostKind.POST),
    "sections": lambda now: _term_query(Category, now),
    "tags": lambda now: _term_query(Tag, now),
}
_ROWS = {
    "posts": _posts,
    "pages": _pages,
    "sections": _terms(Category, "public.category"),
    "tags": _terms(Tag, "public.tag"),
}


def robots_txt() -> str:
    """Crawl everything readers see; not the staff area or search result pages."""
    return (
        "User-agent: *\n"
        "Disallow: /editor/\n"
        "Disallow: /search/\n"
        f"Sitemap: {absolute(url_for('public.sitemap_index'))}\n"
    )
