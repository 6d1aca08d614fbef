"""The data model (DESIGN.md section 3). The database is the source of truth."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    and_,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship, undefer
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; HLHR stores timezone-aware UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Role(enum.StrEnum):
    CONTRIBUTOR = "contributor"
    AUTHOR = "author"
    EDITOR = "editor"
    ADMIN = "admin"


class PostKind(enum.StrEnum):
    POST = "post"
    PAGE = "page"


class PostStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    TRASH = "trash"


class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"


def _enum(kind):
    return db.Enum(
        kind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
    )


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.CONTRIBUTOR)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on logout, password change and deactivation: old session cookies stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    bio: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self):
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def __repr__(self):
        return f"<User {self.email} {self.role}>"


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Sections get a block of their own on the home page.
    on_home: Mapped[bool] = mapped_column(Boolean, default=False)

    parent: Mapped[Category | None] = relationship(remote_side=[id])

    def __repr__(self):
        return f"<Category {self.slug}>"


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(200), unique=True)

    def __repr__(self):
        return f"<Tag {self.slug}>"


post_tags = Table(
    "post_tags",
    db.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_post_tags_tag_id", "tag_id"),
)


class Media(db.Model):
    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    alt_text: Mapped[str] = mapped_column(String(300), default="")
    caption: Mapped[str] = mapped_column(String(500), default="")
    credit: Mapped[str] = mapped_column(String(200), default="")
    # [{"width": 400, "name": "ab12-400.webp", "mime": "image/webp"}, ...]
    renditions: Mapped[list] = mapped_column(JSON, default=list)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        # Newest-first lists walk these backwards and stop at LIMIT (no sort of all rows);
        # status and expires_at at the end let counts check visibility from the index alone.
        Index("ix_posts_kind_published", "kind", "published_at", "id", "status", "expires_at"),
        Index(
            "ix_posts_category_published",
            *("category_id", "kind", "published_at", "id", "status", "expires_at"),
        ),
        Index(
            "ix_posts_author_published",
            *("author_id", "kind", "published_at", "id", "status", "expires_at"),
        ),
        Index("ix_posts_sticky", "sticky"),
        Index("ix_posts_editors_pick", "editors_pick"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind] = mapped_column(_enum(PostKind), default=PostKind.POST)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_format: Mapped[str] = mapped_column(String(10), default="markdown")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PostStatus] = mapped_column(_enum(PostStatus), default=PostStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    featured_media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id"))
    editors_pick: Mapped[bool] = mapped_column(Boolean, default=False)
    editors_pick_position: Mapped[int] = mapped_column(Integer, default=0)
    sticky: Mapped[bool] = mapped_column(Boolean, default=False)
    comments_open: Mapped[bool] = mapped_column(Boolean, default=True)
    seo_title: Mapped[str] = mapped_column(String(300), default="")
    seo_description: Mapped[str] = mapped_column(String(500), default="")
    reading_minutes: Mapped[int] = mapped_column(Integer, default=1)
    menu_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    category: Mapped[Category | None] = relationship(lazy="joined")
    featured: Mapped[Media | None] = relationship(lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary=post_tags, order_by="Tag.name")

    __mapper_args__ = {"version_id_col": version}

    @hybrid_method
    def is_visible(self, now):
        """The one visibility rule: published (or scheduled) and in its window at ``now``."""
        return (
            self.status in (PostStatus.PUBLISHED, PostStatus.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @is_visible.expression
    def is_visible(cls, now):
        return and_(
            cls.status.in_([PostStatus.PUBLISHED, PostStatus.SCHEDULED]),
            cls.published_at.is_not(None),
            cls.published_at <= now,
            or_(cls.expires_at.is_(None), cls.expires_at > now),
        )

    @property
    def display_title(self):
        return self.seo_title or self.title

    @property
    def stored_slug(self) -> str | None:
        """The slug as last read from the database (autoflush-proof, unlike attribute
        history), so a save can redirect the old URL to the new one."""
        return self.__dict__.get("_stored_slug")

    def __repr__(self):
        return f"<Post {self.kind} {self.slug!r} {self.status}>"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_post_status", "post_id", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    author_name: Mapped[str] = mapped_column(String(120))
    author_email: Mapped[str] = mapped_column(String(254))
    author_url: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        _enum(CommentStatus), default=CommentStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    post: Mapped[Post] = relationship()


@event.listens_for(Post, "load")
def _remember_loaded_slug(post, _context):
    post.__dict__["_stored_slug"] = post.__dict__.get("slug")


@event.listens_for(Post, "refresh")
def _remember_refreshed_slug(post, _context, attrs):
    if attrs is None or "slug" in attrs:
        post.__dict__["_stored_slug"] = post.__dict__.get("slug")


# Derived, not stored: approved comments per post, loaded with the post (no drift, no N+1).
Post.comment_count = column_property(
    select(func.count(Comment.id))
    .where(Comment.post_id == Post.id, Comment.status == CommentStatus.APPROVED)
    .correlate_except(Comment)
    .scalar_subquery(),
    deferred=True,
)


class Revision(db.Model):
    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str] = mapped_column(String(300))
    excerpt: Mapped[str] = mapped_column(Text, default="")
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_format: Mapped[str] = mapped_column(String(10), default="markdown")
    note: Mapped[str] = mapped_column(String(200), default="")


class Redirect(db.Model):
    __tablename__ = "redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_path: Mapped[str] = mapped_column(String(1000), unique=True)
    new_path: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MenuItem(db.Model):
    """One entry of the main menu: home, a page, a section, or a plain URL."""

    __tablename__ = "menu_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))  # home | page | category | url
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(500), default="")

    post: Mapped[Post | None] = relationship(lazy="joined")
    category: Mapped[Category | None] = relationship(lazy="joined")


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class PostView(db.Model):
    """Aggregate page views per post and day: nothing about the reader is stored."""

    __tablename__ = "post_views"
    __table_args__ = (Index("ix_post_views_day", "day"),)

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)


class SearchLog(db.Model):
    """'Post X changed': written in the same transaction as the change (DESIGN.md 6)."""

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def visible_posts(now: datetime | None = None, kind: PostKind = PostKind.POST):
    """SELECT of what readers may see at ``now`` (newest first), with comment counts."""
    now = now or utcnow()
    return (
        select(Post)
        .where(Post.kind == kind, Post.is_visible(now))
        .options(undefer(Post.comment_count))
        .order_by(Post.published_at.desc(), Post.id.desc())
    )


def next_visibility_change(now: datetime) -> datetime | None:
    """When the set of visible posts next changes by the clock (a publication or expiry)."""
    statuses = [PostStatus.PUBLISHED, PostStatus.SCHEDULED]
    upcoming = select(func.min(Post.published_at)).where(
        Post.status.in_(statuses), Post.published_at > now
    )
    expiring = select(func.min(Post.expires_at)).where(
        Post.status.in_(statuses), Post.expires_at > now
    )
    times = [db.session.scalar(upcoming), db.session.scalar(expiring)]
    times = [t for t in times if t is not None]
    return min(times) if times else None


class ThrottleEvent(db.Model):
    """One counted attempt (sign-in failure, comment) by a keyed hash, never a raw address.

    Shared by every worker process, so limits hold across a gunicorn pool.
    """

    __tablename__ = "throttle_events"
    __table_args__ = (Index("ix_throttle_scope_key_time", "scope", "key_hash", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SpentQuestion(db.Model):
    """A comment form's math question already answered: its token may not be used again.

    The primary key makes "spend" atomic across worker processes; rows are deleted by
    ``flask purge`` once the token would have expired anyway.
    """

    __tablename__ = "spent_questions"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class WordPressLink(db.Model):
    """Which local row a WordPress item became, so a re-import updates it in place.

    ``fingerprint`` is a hash of the item as last imported: an unchanged item is skipped.
    """

    __tablename__ = "wordpress_links"
    __table_args__ = (Index("ix_wordpress_links_item", "site", "kind", "wp_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(300))  # the export's wp:base_site_url
    kind: Mapped[str] = mapped_column(String(20))  # author | category | tag | post | ...
    wp_id: Mapped[str] = mapped_column(String(200))  # a WordPress id or author login
    local_id: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
