"""Writing: the post and page lists, the editor with preview, and the 409 on a stale save."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from .. import content, publishing, security_log
from ..extensions import db
from ..models import Category, Post, PostKind, PostStatus, Revision, User
from . import bp, capability
from .permissions import require
from .post_form import FieldError, apply_form, build_form

PER_PAGE = 30
LIST_CAPABILITY = {PostKind.POST: "post.create", PostKind.PAGE: "pages.manage"}


def get_post(post_id: int) -> Post:
    """:raise 404: no such post or page."""
    return db.session.get(Post, post_id) or abort(404)


@bp.get("/posts/")
@capability("posts.list")
def posts():
    return _post_list(PostKind.POST)


@bp.get("/pages/")
@capability("pages.manage")
def pages():
    return _post_list(PostKind.PAGE)


def _post_list(kind):
    filters = {
        "status": request.args.get("status", ""),
        "author": request.args.get("author", type=int),
        "section": request.args.get("section", type=int),
        "q": request.args.get("q", "").strip()[:200],
    }
    query = _filtered(select(Post).where(Post.kind == kind), filters)
    pagination = db.paginate(
        query.order_by(Post.updated_at.desc(), Post.id.desc()), per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "editor/posts.html",
        kind=kind,
        pagination=pagination,
        filters=filters,
        counts=_status_counts(kind),
        authors=db.session.scalars(select(User).order_by(User.display_name)).all(),
        sections=db.session.scalars(select(Category).order_by(Category.name)).all(),
        statuses=list(PostStatus),
    )


def _filtered(query, filters):
    if filters["status"] in {s.value for s in PostStatus}:
        query = query.where(Post.status == filters["status"])
    else:
        query = query.where(Post.status != PostStatus.TRASH)
    if filters["author"]:
        query = query.where(Post.author_id == filters["author"])
    if filters["section"]:
        query = query.where(Post.category_id == filters["section"])
    if filters["q"]:
        query = query.where(Post.title.icontains(filters["q"], autoescape=True))
    return query


def _status_counts(kind):
    rows = db.session.execute(
        select(Post.status, func.count(Post.id)).where(Post.kind == kind).group_by(Post.status)
    ).all()
    counts = {status.value: 0 for status in PostStatus}
    counts.update({PostStatus(status).value: n for status, n in rows})
    return counts


@bp.route("/posts/new", methods=["GET", "POST"])
@capability("post.create")
def new_post():
    return _edit(Post(kind=PostKind.POST, author=current_user._get_current_object()))


@bp.route("/pages/new", methods=["GET", "POST"])
@capability("pages.manage")
def new_page():
    post = Post(kind=PostKind.PAGE, author=current_user._get_current_object())
    post.comments_open = False
    return _edit(post)


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@capability("post.create")
def edit_post(post_id):
    """:raise 404: unknown post. :raise 403: not the user's to edit (logged)."""
    post = get_post(post_id)
    require(current_user, "post.edit", post)
    return _edit(post)


def _edit(post):
    if post.id is None and post.comments_open is None:
        post.comments_open = True
    form = build_form(post, request.form if request.method == "POST" else None)
    if request.method == "GET" or not form.validate():
        return _render_editor(form, post, 200)
    if "preview" in request.form:
        return _render_editor(form, post, 200, preview=_preview(form))
    return _save(form, post)


def log_status_change(post, old_status):
    """Publishing, unpublishing, trashing and restoring are logged (new drafts are not)."""
    if post.status == old_status:
        return
    if old_status is None and post.status in (PostStatus.DRAFT, PostStatus.PENDING):
        return
    security_log.event(
        "post-status-changed",
        post=post.id,
        kind=post.kind,
        old_status=old_status,
        new_status=post.status,
        by=current_user.id,
    )


def _save(form, post):
    old_status = post.status if post.id is not None else None
    try:
        if post.id is not None:
            publishing.check_version(post, form.version.data)
        apply_form(form, post)
    except publishing.StaleVersionError:
        return _conflict(form, post)
    except FieldError as exc:
        getattr(form, exc.field).errors.append(str(exc))
        return _render_editor(form, post, 200)
    log_status_change(post, old_status)
    flash(_saved_message(post))
    return redirect(url_for("editor.edit_post", post_id=post.id))


def _saved_message(post):
    if post.status == PostStatus.SCHEDULED:
        return f"Saved. “{post.title}” is scheduled."
    return f"Saved “{post.title}” ({post.status.value})."


def _conflict(form, post):
    """409: keep the user's text, link to the newer version, and let a re-save overwrite."""
    db.session.rollback()
    fresh = get_post(post.id)
    form.version.data = fresh.version
    newest = db.session.scalar(
        select(Revision).where(Revision.post_id == fresh.id).order_by(Revision.id.desc())
    )
    return _render_editor(form, fresh, 409, conflict=newest)


def _preview(form):
    html = content.render_body(form.body_source.data or "", form.body_format.data)
    return Markup(html)  # noqa: S704 - sanitised by content.render_body


def _render_editor(form, post, status, **context):
    if request.method == "POST" and status == 200 and form.errors and "preview" not in context:
        status = 422
    return render_template("editor/post_form.html", form=form, post=post, **context), status
