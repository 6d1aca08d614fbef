"""A post's history and lifecycle: revisions (list, diff, restore), trash, restore, delete."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import publishing, security_log
from ..extensions import db
from ..models import PostKind, PostStatus, Revision, User
from . import bp, capability
from .forms import ActionForm
from .permissions import require
from .views_posts import get_post, log_status_change


def _list_endpoint(post):
    return "editor.pages" if post.kind == PostKind.PAGE else "editor.posts"


@bp.get("/posts/<int:post_id>/revisions/")
@capability("post.create")
def revisions(post_id):
    post = get_post(post_id)
    require(current_user, "post.edit", post)
    rows = db.session.execute(
        select(Revision, User.display_name)
        .outerjoin(User, User.id == Revision.author_id)
        .where(Revision.post_id == post.id)
        .order_by(Revision.id.desc())
    ).all()
    return render_template("editor/revisions.html", post=post, revisions=rows, form=ActionForm())


@bp.get("/posts/<int:post_id>/revisions/<int:revision_id>")
@capability("post.create")
def revision(post_id, revision_id):
    """One revision compared with the one before it. :raise 404: not this post's revision."""
    post = get_post(post_id)
    require(current_user, "post.edit", post)
    current = _revision_of(post, revision_id)
    previous = db.session.scalar(
        select(Revision)
        .where(Revision.post_id == post.id, Revision.id < current.id)
        .order_by(Revision.id.desc())
    )
    return render_template(
        "editor/revision.html",
        post=post,
        revision=current,
        previous=previous,
        diff=publishing.revision_diff(previous, current),
        form=ActionForm(),
    )


def _revision_of(post, revision_id):
    found = db.session.get(Revision, revision_id)
    if found is None or found.post_id != post.id:
        abort(404)
    return found


@bp.post("/posts/<int:post_id>/revisions/<int:revision_id>/restore")
@capability("post.create")
def restore_revision(post_id, revision_id):
    post = get_post(post_id)
    require(current_user, "post.edit", post)
    publishing.restore_revision(post, _revision_of(post, revision_id), current_user)
    flash("The revision is restored (as a new revision).")
    return redirect(url_for("editor.edit_post", post_id=post.id))


@bp.post("/posts/<int:post_id>/trash")
@capability("post.create")
def trash_post(post_id):
    post = get_post(post_id)
    require(current_user, "post.trash", post)
    old_status = post.status
    publishing.trash_post(post)
    log_status_change(post, old_status)
    flash(f"“{post.title}” moved to the trash.")
    return redirect(url_for(_list_endpoint(post)))


@bp.post("/posts/<int:post_id>/restore")
@capability("post.create")
def restore_post(post_id):
    post = get_post(post_id)
    require(current_user, "post.restore", post)
    if post.status == PostStatus.TRASH:
        publishing.restore_post(post)
        log_status_change(post, PostStatus.TRASH)
        flash(f"“{post.title}” is restored as a draft.")
    return redirect(url_for("editor.edit_post", post_id=post.id))


@bp.post("/posts/<int:post_id>/delete")
@capability("post.delete")
def delete_post(post_id):
    """Permanent deletion, only from the trash. :raise 409: the post is not in the trash."""
    post = get_post(post_id)
    require(current_user, "post.delete", post)
    if post.status != PostStatus.TRASH:
        abort(409, "Move the post to the trash before deleting it for good.")
    endpoint = _list_endpoint(post)
    post_id, kind = post.id, post.kind
    publishing.delete_post(post)
    security_log.event("post-deleted", post=post_id, kind=kind, by=current_user.id)
    flash("Deleted for good.")
    return redirect(url_for(endpoint, status="trash"))
