"""Reader-side reads: every list here goes through ``visible_posts`` (one visibility rule)."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from ..extensions import db
from ..models import (
    Category,
    Comment,
    CommentStatus,
    Post,
    PostKind,
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
    """Lead story, latest stories and a block per home section."""
    now = now or utcnow()
    newest = list(
        db.session.scalars(
            visible_posts(now)
            .order_by(None)
            .order_by(Post.sticky.desc(), Post.published_at.desc(), Post.id.desc())
            .limit(HOME_LATEST + 1)
        )
    )
    sections = db.session.scalars(
        select(Category).where(Category.on_home.is_(True)).order_by(Category.position)
    )
    blocks = [
        (section, list(db.session.scalars(
            visible_posts(now).where(Post.category_id == section.id).limit(HOME_SECTION_SIZE)
        )))
        for section in sections
    ]  # fmt: skip
    lead = newest[0] if newest else None
    return lead, newest[1:], [(s, posts) for s, posts in blocks if posts]


def related_posts(post: Post, limit=RELATED_SIZE, now=None) -> list[Post]:
    """Posts sharing most tags with ``post``, then the newest of its section."""
    now = now or utcnow()
    tag_ids = [t.id for t in post.tags]
    shared = (
        select(post_tags.c.post_id, func.count().label("shared"))
        .where(post_tags.c.tag_id.in_(tag_ids), post_tags.c.post_id != post.id)
        .group_by(post_tags.c.post_id)
        .subquery()
    )
    by_tags = list(
        db.session.scalars(
            visible_posts(now)
            .join(shared, shared.c.post_id == Post.id)
            .order_by(None)
            .order_by(shared.c.shared.desc(), Post.published_at.desc())
            .limit(limit)
        )
    ) if tag_ids else []  # fmt: skip
    if len(by_tags) >= limit or post.category_id is None:
        return by_tags
    seen = {p.id for p in by_tags} | {post.id}
    same_section = db.session.scalars(
        visible_posts(now)
        .where(Post.category_id == post.category_id, Post.id.not_in(seen))
        .limit(limit - len(by_tags))
    )
    return by_tags + list(same_section)


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


def author_by_slug(slug):
    return db.session.scalar(select(User).where(User.slug == slug))


def archive_query(now=None, **where):
    """Visible posts filtered by category, tag, author or a month window."""
    query = visible_posts(now or utcnow())
    if "category" in where:
        query = query.where(Post.category_id == where["category"].id)
    if "tag" in where:
        query = query.where(Post.tags.any(id=where["tag"].id))
    if "author" in where:
        query = query.where(Post.author_id == where["author"].id)
    if "window" in where:
        start, end = where["window"]
        query = query.where(Post.published_at >= start, Post.published_at < end)
    return query


def visible_pages(now=None):
    return visible_posts(now or utcnow(), kind=PostKind.PAGE)
