"""Between the post form and a Post: choices, site-timezone times, and applying edits."""

from datetime import UTC

from flask_login import current_user
from sqlalchemy import select

from .. import publishing
from ..extensions import db
from ..models import Category, Media, PostStatus
from ..site import site_zone
from .forms import STATUS_LABELS, PostForm, options
from .permissions import can

PUBLIC_STATUSES = (PostStatus.PUBLISHED.value, PostStatus.SCHEDULED.value)


class FieldError(ValueError):
    """An edit the form cannot apply; ``field`` names where to show the message."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def to_local(value):
    """UTC -> naive site-time, as a datetime-local input shows it."""
    return value.astimezone(site_zone()).replace(tzinfo=None) if value else None


def to_utc(value):
    """Naive site-time typed by a user -> aware UTC."""
    return value.replace(tzinfo=site_zone()).astimezone(UTC) if value else None


def build_form(post, formdata=None):
    """A post form filled from ``post`` (GET) or from the submitted data (POST)."""
    form = PostForm(formdata=formdata, obj=post if formdata is None else None)
    if formdata is None:
        form.tags.data = ", ".join(t.name for t in post.tags)
        form.category_id.data = post.category_id or 0
        form.featured_media_id.data = post.featured_media_id or 0
        form.status.data = (post.status or PostStatus.DRAFT).value
        form.published_at.data = to_local(post.published_at)
        form.expires_at.data = to_local(post.expires_at)
        form.version.data = post.version or ""
    _set_choices(form, post)
    return form


def _set_choices(form, post):
    sections = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    form.category_id.choices = options([(0, "— none —")] + [(c.id, c.name) for c in sections])
    images = db.session.scalars(
        select(Media).where(Media.alt_text != "").order_by(Media.created_at.desc()).limit(200)
    )
    choices = [(m.id, f"{m.alt_text[:60]} ({m.width}×{m.height})") for m in images]
    if post.featured is not None and post.featured_media_id not in dict(choices):
        choices.insert(0, (post.featured.id, post.featured.alt_text or "(no alt text)"))
    form.featured_media_id.choices = options([(0, "— none —"), *choices])
    allowed = [s for s in STATUS_LABELS if _may_choose(post, s)]
    form.status.choices = options([(s.value, STATUS_LABELS[s]) for s in allowed])


def _may_choose(post, status):
    if status.value in PUBLIC_STATUSES:
        return can(current_user, "post.publish", post) or post.status == status
    return True


def apply_form(form, post):
    """Copy the form onto ``post`` and save it with a revision (one transaction).

    :raise FieldError: a rule the form validators cannot see (nothing is written).
    :raise publishing.StaleVersionError: someone saved the post first.
    """
    with db.session.no_autoflush:
        try:
            _apply_fields(form, post)
            publishing.save_post(post, current_user, note=form.note.data or "")
        except publishing.StaleVersionError:
            raise
        except publishing.PublishingError as exc:
            db.session.rollback()
            raise FieldError("slug", str(exc)) from exc
        except FieldError:
            db.session.rollback()
            raise


def _apply_fields(form, post):
    _check_rights(form, post)
    post.title = form.title.data
    post.slug = form.slug.data or None
    post.body_format = form.body_format.data
    post.body_source = form.body_source.data or ""
    post.excerpt = form.excerpt.data or ""
    post.category = db.session.get(Category, form.category_id.data or 0)
    post.tags = publishing.tags_from_names(form.tag_names())
    post.featured = _featured(form.featured_media_id.data)
    if can(current_user, "post.editors_pick"):
        post.editors_pick = form.editors_pick.data
    post.comments_open = form.comments_open.data
    post.seo_title = form.seo_title.data or ""
    post.seo_description = form.seo_description.data or ""
    post.status = PostStatus(form.status.data)
    post.published_at = to_utc(form.published_at.data)
    post.expires_at = to_utc(form.expires_at.data)


def _check_rights(form, post):
    # Someone without the right may keep an existing HTML body, not switch a post to HTML.
    html_switch = form.body_format.data == "html" and post.body_format != "html"
    if html_switch and not can(current_user, "post.html"):
        raise FieldError("body_format", "Only editors may write the body in HTML.")
    if form.status.data in PUBLIC_STATUSES and not _may_choose(post, PostStatus(form.status.data)):
        raise FieldError("status", "You may submit this post for review, not publish it.")


def _featured(media_id):
    if not media_id:
        return None
    media = db.session.get(Media, media_id)
    if media is None or not media.alt_text:
        raise FieldError("featured_media_id", "Give the image alternative text before using it.")
    return media
