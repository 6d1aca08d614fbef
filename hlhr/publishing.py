"""Domain operations on posts: slugs, saving (one transaction), revisions, redirects.

Nothing here touches ``request``; views and the CLI call these functions.
"""

import difflib
import itertools
import re

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

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
SLUG_BATCH = 20  # numbered candidates looked up per query
_ALL_DIGITS = re.compile(r"^\d+$")


class PublishingError(ValueError):
    """A rule of publishing was broken; the message is shown to the user."""


class StaleVersionError(PublishingError):
    """Someone saved the post since this editor loaded it; nothing was written."""

    def __init__(self, post_id):
        super().__init__(
            "Someone else saved this post while you were editing it. Your text is kept "
            "below: compare it with the newer version before saving again."
        )
        self.post_id = post_id


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
    # Exact look-ups of a batch of candidates use the unique index under any collation. A
    # prefix range does not: PostgreSQL's glibc en_US.UTF-8 ignores U+10FFFF, so the range
    # "abc" .. "abc\U0010ffff" missed "abc-2" and the third "abc" hit the unique constraint.
    for first in itertools.count(1, SLUG_BATCH):
        candidates = [_numbered_slug(wanted, n) for n in range(first, first + SLUG_BATCH)]
        taken = set(
            db.session.scalars(
                select(model.slug).where(model.slug.in_(candidates), model.id != own_id)
            )
        )
        free = [slug for slug in candidates if slug not in taken]
        if free:
            return free[0]


def _numbered_slug(wanted: str, n: int) -> str:
    return wanted if n == 1 else f"{wanted[: MAX_SLUG_LENGTH - 6]}-{n}"


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


def check_version(post: Post, expected) -> None:
    """Refuse to edit a post whose stored version is not the one the editor started from.

    Call it before changing any attribute (an autoflush would bump the version).

    :raise StaleVersionError: the versions differ.
    """
    if post.id is not None and str(expected) != str(post.version):
        raise StaleVersionError(post.id)


def save_post(post: Post, editor: User, note: str = "", commit: bool = True) -> Post:
    """Save a post and everything it implies in one transaction.

    Writes the post, a revision, and a redirect when a published post's slug changed; the
    search change log row is added by the session hook in ``hlhr.search``.

    :raise PublishingError: for a bad slug (nothing is written).
    :raise StaleVersionError: another transaction saved the post first (rolled back).
    """
    prepare_post(post)
    _redirect_old_slug(post)
    db.session.add(post)
    try:
        db.session.flush()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleVersionError(post.id) from exc
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
    old, new_path = post.stored_slug, f"/{post.slug}/"
    db.session.execute(db.delete(Redirect).where(Redirect.old_path == new_path))
    if not old or old == post.slug:
        return
    old_path = f"/{old}/"
    db.session.execute(db.delete(Redirect).where(Redirect.old_path == old_path))
    db.session.add(Redirect(old_path=old_path, new_path=new_path))
    # Earlier redirects to the old path now lead straight to the new one.
    db.session.execute(
        db.update(Redirect).where(Redirect.new_path == old_path).values(new_path=new_path)
    )


def trash_post(post: Post) -> None:
    """Move a post to the trash: it leaves the site at once but can be restored."""
    post.status = PostStatus.TRASH
    db.session.commit()


def restore_post(post: Post) -> None:
    """Bring a post back from the trash as a draft (never straight back onto the site)."""
    post.status = PostStatus.DRAFT
    db.session.commit()


def delete_post(post: Post) -> None:
    """Delete a post for good, with its revisions, comments and menu entries (FK cascade)."""
    db.session.delete(post)
    db.session.commit()


def restore_revision(post: Post, revision: Revision, editor: User) -> Post:
    """Copy an old revision's text back into the post; this writes a new revision."""
    post.title = revision.title
    post.excerpt = revision.excerpt
    post.body_source = revision.body_source
    post.body_format = revision.body_format
    stamp = revision.created_at.strftime("%Y-%m-%d %H:%M")
    return save_post(post, editor, note=f"Restored the revision of {stamp} UTC")


def revision_diff(old: Revision | None, new: Revision) -> list[tuple[str, str]]:
    """Line diff of two revisions as (kind, text) pairs; kind is add, remove, same or info."""
    before = _revision_lines(old) if old else []
    lines = difflib.unified_diff(before, _revision_lines(new), lineterm="", n=3)
    kinds = {"+": "add", "-": "remove", " ": "same", "@": "info"}
    return [(kinds.get(line[:1], "info"), line) for line in list(lines)[2:]]


def _revision_lines(revision: Revision) -> list[str]:
    head = [f"Title: {revision.title}", f"Excerpt: {revision.excerpt}", ""]
    return head + revision.body_source.splitlines()


def save_term(term, name: str, slug: str = "") -> None:
    """Name a section or tag and give it a valid, unique slug (the caller commits).

    :raise PublishingError: the slug is reserved or empty.
    """
    term.name = name
    term.slug = unique_slug(type(term), check_slug(slug or name), term.id)
    db.session.add(term)


def delete_category(category: Category, target: Category | None) -> int:
    """Delete a section after moving its posts to ``target`` (or to no section).

    :return: how many posts moved.
    """
    posts = list(db.session.scalars(select(Post).where(Post.category_id == category.id)))
    for post in posts:
        post.category = target  # row by row, so the search log sees every post
    for child in db.session.scalars(select(Category).where(Category.parent_id == category.id)):
        child.parent = category.parent
    db.session.flush()
    db.session.delete(category)
    db.session.commit()
    return len(posts)


def merge_tags(sources: list[Tag], target: Tag) -> int:
    """Fold ``sources`` into ``target`` on every post, then delete them.

    :return: how many posts changed.
    """
    changed = 0
    for source in (s for s in sources if s.id != target.id):
        changed += _replace_tag(source, target)
        db.session.delete(source)
    db.session.commit()
    return changed


def delete_tag(tag: Tag) -> int:
    """Remove a tag from every post, then delete it; return how many posts changed."""
    changed = _replace_tag(tag, None)
    db.session.delete(tag)
    db.session.commit()
    return changed


def _replace_tag(old: Tag, new: Tag | None) -> int:
    posts = list(db.session.scalars(select(Post).where(Post.tags.contains(old))))
    for post in posts:
        post.tags.remove(old)
        if new is not None and new not in post.tags:
            post.tags.append(new)
    db.session.flush()
    return len(posts)
