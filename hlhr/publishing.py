"""Domain operations on posts: slugs, saving (one transaction), revisions, redirects.

Nothing here touches ``request``; views and the CLI call these functions.
"""

import re

from slugify import slugify
from sqlalchemy import inspect, select

from . import content
from .extensions import db
from .models import Category, Post, PostStatus, Redirect, Revision, Tag, User, utcnow

# Paths the application owns, and names a WordPress visitor may still type.
RESERVED_SLUGS = frozenset(
    (
        "admin", "api", "author", "category", "comments", "editor", "favicon.ico", "feed",
        "healthz", "login", "logout", "media", "page", "robots.txt", "search", "sitemap.xml",
        "static", "tag", "wp-admin", "wp-content", "wp-includes", "wp-json", "wp-login.php",
        "xmlrpc.php",
    )
)  # fmt: skip
MAX_SLUG_LENGTH = 120
_ALL_DIGITS = re.compile(r"^\d+$")


class PublishingError(ValueError):
    """A rule of publishing was broken; the message is shown to the user."""


def make_slug(text: str) -> str:
    """A readable, Unicode-aware URL slug ("Genève 2024" -> "genève-2024", Arabic kept)."""
    return slugify(text or "", allow_unicode=True, max_length=MAX_SLUG_LENGTH, word_boundary=True)


def check_slug(slug: str) -> str:
    """Normalise a slug typed by a user.

    :raise PublishingError: when it is empty, reserved or only digits.
    """
    clean = make_slug(slug)
    if not clean:
        raise PublishingError("The slug needs at least one letter or digit.")
    if clean in RESERVED_SLUGS:
        raise PublishingError(f"“{clean}” is reserved by the site; choose another slug.")
    if _ALL_DIGITS.match(clean):
        raise PublishingError("A slug made only of digits would clash with archive links.")
    return clean


def unique_slug(model, wanted: str, own_id=None) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... whichever no other row of ``model`` has."""
    taken = set(
        db.session.scalars(
            select(model.slug).where(
                # The range lets SQLite use the unique index; startswith keeps it exact.
                model.slug.between(wanted, wanted + "\U0010ffff"),
                model.slug.startswith(wanted, autoescape=True),
                model.id != own_id,
            )
        )
    )
    slug, n = wanted, 1
    while slug in taken:
        n += 1
        slug = f"{wanted[: MAX_SLUG_LENGTH - 6]}-{n}"
    return slug


def tags_from_names(names) -> list[Tag]:
    """Existing tags by slug, creating the missing ones (tags are made on the fly)."""
    wanted = {}
    for name in names:
        name = " ".join(name.split())
        if name and make_slug(name):
            wanted.setdefault(make_slug(name), name)
    found = {t.slug: t for t in db.session.scalars(select(Tag).where(Tag.slug.in_(wanted)))}
    for slug, name in wanted.items():
        if slug not in found:
            found[slug] = Tag(name=name, slug=slug)
            db.session.add(found[slug])
    return [found[slug] for slug in wanted]


def ensure_category(name: str, **fields) -> Category:
    slug = make_slug(name)
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        category = Category(name=name, slug=slug, **fields)
        db.session.add(category)
    return category


def prepare_post(post: Post) -> None:
    """Derive what a post's stored fields imply: slug, sanitised body, excerpt, reading time."""
    post.slug = unique_slug(Post, check_slug(post.slug or post.title), post.id)
    post.body_html = content.render_body(post.body_source, post.body_format)
    post.excerpt = (post.excerpt or "").strip() or content.make_excerpt(post.body_html)
    post.reading_minutes = content.reading_minutes(post.body_html)
    if post.status in (PostStatus.PUBLISHED, PostStatus.SCHEDULED):
        # The label follows the time; visibility itself is Post.is_visible, not a job.
        post.published_at = post.published_at or utcnow()
        future = post.published_at > utcnow()
        post.status = PostStatus.SCHEDULED if future else PostStatus.PUBLISHED


def save_post(post: Post, editor: User, note: str = "", commit: bool = True) -> Post:
    """Save a post and everything it implies in one transaction.

    Writes the post, a revision, and a redirect when a published post's slug changed; the
    search change log row is added by the session hook in ``hlhr.search``.

    :raise PublishingError: for a bad slug (nothing is written).
    """
    prepare_post(post)
    _redirect_old_slug(post)
    db.session.add(post)
    db.session.flush()
    db.session.add(
        Revision(
            post_id=post.id,
            author_id=editor.id if editor else None,
            title=post.title,
            excerpt=post.excerpt,
            body_source=post.body_source,
            body_format=post.body_format,
            note=note,
        )
    )
    if commit:
        db.session.commit()
    return post


def _redirect_old_slug(post: Post) -> None:
    history = inspect(post).attrs.slug.history
    new_path = f"/{post.slug}/"
    db.session.execute(db.delete(Redirect).where(Redirect.old_path == new_path))
    for old in history.deleted or ():
        if old and old != post.slug:
            old_path = f"/{old}/"
            db.session.execute(db.delete(Redirect).where(Redirect.old_path == old_path))
            db.session.add(Redirect(old_path=old_path, new_path=new_path))
            # Earlier redirects to the old path now lead straight to the new one.
            db.session.execute(
                db.update(Redirect).where(Redirect.new_path == old_path).values(new_path=new_path)
            )
