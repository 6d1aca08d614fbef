"""Reader-side reads: every list here goes through ``visible_posts`` (one visibility rule)."""

import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from ..extensions import db
from ..models import (
    Category,
    Comment,
    CommentStatus,
    Post,
    Tag,
    User,
    post_tags,
    utcnow,
    visible_posts,
)

HOME_LATEST = 6
HOME_SECTION_SIZE = 4
RELATED_SIZE = 6


def visible_post_by_slug(slug: str, now=None) -> Post | None:
    """The post or page readers may see at ``/<slug>/``, with its tags."""
    now = now or utcnow()
    query = (
        select(Post)
        .where(Post.slug == slug, Post.is_visible(now))
        .options(undefer(Post.comment_count), selectinload(Post.tags))
    )
    return db.session.scalar(query)


def home_sections(now=None):
    """Lead story (the newest sticky one, else the newest), latest stories, section blocks."""
    now = now or utcnow()
    sticky = db.session.scalar(visible_posts(now).where(Post.sticky.is_(True)).limit(1))
    newest = list(db.session.scalars(visible_posts(now).limit(HOME_LATEST + 1)))
    lead = sticky or (newest[0] if newest else None)
    latest = [p for p in newest if p is not lead][:HOME_LATEST]
    sections = db.session.scalars(
        select(Category).where(Category.on_home.is_(True)).order_by(Category.position)
    )
    blocks = [
        (section, list(db.session.scalars(
            visible_posts(now).where(Post.category_id == section.id).limit(HOME_SECTION_SIZE)
        )))
        for section in sections
    ]  # fmt: skip
    return lead, latest, [(s, posts) for s, posts in blocks if posts]


def approved_comments(post: Post) -> list[Comment]:
    """Approved comments, oldest first, each with ``replies`` set (a thread tree)."""
    rows = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.post_id == post.id, Comment.status == CommentStatus.APPROVED)
            .order_by(Comment.created_at, Comment.id)
        )
    )
    by_id = {c.id: c for c in rows}
    roots = []
    for comment in rows:
        comment.replies = []
        parent = by_id.get(comment.parent_id)
        (parent.replies if parent else roots).append(comment)
    return roots


def category_by_slug(slug):
    return db.session.scalar(select(Category).where(Category.slug == slug))


def tag_by_slug(slug):
    return db.session.scalar(select(Tag).where(Tag.slug == slug))


def author_by_slug(slug):
    return db.session.scalar(select(User).where(User.slug == slug))


def archive_query(now=None, **where):
    """Visible posts filtered by category, tag, author or a month window."""
    query = visible_posts(now or utcnow())
    if "category" in where:
        query = query.where(Post.category_id == where["category"].id)
    if "tag" in where:
        tagged = select(post_tags.c.post_id).where(post_tags.c.tag_id == where["tag"].id)
        query = query.where(Post.id.in_(tagged))
    if "author" in where:
        query = query.where(Post.author_id == where["author"].id)
    if "window" in where:
        start, end = where["window"]
        query = query.where(Post.published_at >= start, Post.published_at < end)
    return query


@dataclass(frozen=True)
class Page:
    """One page of an archive."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1


def paginate(query, page: int, per_page: int) -> Page | None:
    """Page ``page`` of ``query``, or None past the end (page 1 always exists).

    Counts on ids alone: the full select carries eager joins and comment counts that a
    count does not need and that cost a subquery per row.
    """
    ids = query.with_only_columns(Post.id).order_by(None).subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    if page < 1 or (page > 1 and (page - 1) * per_page >= total):
        return None
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total)
