"""Comment moderation: a queue per status, single and bulk actions, replies and edits."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from .. import security_log
from ..extensions import db
from ..models import Comment, CommentStatus
from . import bp, capability
from .forms import ActionForm, CommentBulkForm, CommentEditForm, CommentReplyForm

PER_PAGE = 50


def pending_count() -> int:
    """Comments waiting for a moderator (shown in the editor's navigation)."""
    query = select(func.count(Comment.id)).where(Comment.status == CommentStatus.PENDING)
    return db.session.scalar(query) or 0


def _tab():
    wanted = request.args.get("status", CommentStatus.PENDING.value)
    return wanted if wanted in {s.value for s in CommentStatus} else CommentStatus.PENDING.value


@bp.get("/comments/")
@capability("comments.moderate")
def comments():
    status = _tab()
    pagination = db.paginate(
        select(Comment).where(Comment.status == status).order_by(Comment.created_at.desc()),
        per_page=PER_PAGE,
        error_out=False,
    )
    counts = dict(
        db.session.execute(
            select(Comment.status, func.count(Comment.id)).group_by(Comment.status)
        ).all()
    )
    return render_template(
        "editor/comments.html",
        status=status,
        pagination=pagination,
        counts={s.value: counts.get(s, 0) for s in CommentStatus},
        bulk=CommentBulkForm(),
        form=ActionForm(),
    )


def _get_comment(comment_id):
    return db.session.get(Comment, comment_id) or abort(404)


def _set_status(comment, status, how="single"):
    """Move ``comment`` to ``status`` and log the moderator's decision (the caller commits)."""
    old, comment.status = comment.status, CommentStatus(status)
    if old != comment.status:
        security_log.event(
            "comment-moderated",
            comment=comment.id,
            post=comment.post_id,
            old_status=old,
            new_status=comment.status,
            how=how,
            by=current_user.id,
        )


def _back(status=None):
    return redirect(url_for("editor.comments", status=status or request.args.get("from")))


@bp.post("/comments/<int:comment_id>/<any(approved, pending, spam, trash):status>")
@capability("comments.moderate")
def moderate_comment(comment_id, status):
    comment = _get_comment(comment_id)
    previous = comment.status.value
    _set_status(comment, status)
    db.session.commit()
    flash(f"Comment moved to {status}.")
    return _back(previous)


@bp.post("/comments/bulk")
@capability("comments.moderate")
def bulk_comments():
    form = CommentBulkForm()
    if not form.validate_on_submit() or not form.ids.data:
        flash("Choose at least one comment and an action.")
        return _back()
    chosen = db.session.scalars(select(Comment).where(Comment.id.in_(form.ids.data))).all()
    for comment in chosen:
        _set_status(comment, form.action.data, how="bulk")
    db.session.commit()
    flash(f"{len(chosen)} comment(s) moved to {form.action.data}.")
    return _back()


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@capability("comments.moderate")
def reply_comment(comment_id):
    """Answer a comment as the signed-in staff member (approved at once)."""
    parent = _get_comment(comment_id)
    form = CommentReplyForm()
    if form.validate_on_submit():
        reply = Comment(
            post_id=parent.post_id,
            parent_id=parent.id,
            author_name=current_user.display_name,
            author_email=current_user.email,
            body=form.body.data,
            status=CommentStatus.APPROVED,
            user_id=current_user.id,
        )
        _set_status(parent, CommentStatus.APPROVED, how="reply")  # as in WordPress
        db.session.add(reply)
        db.session.commit()
        flash("Your reply is published.")
        return _back(CommentStatus.APPROVED.value)
    status = 422 if form.errors else 200
    return render_template("editor/comment_reply.html", comment=parent, form=form), status


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@capability("comments.moderate")
def edit_comment(comment_id):
    comment = _get_comment(comment_id)
    form = CommentEditForm(obj=comment)
    if form.validate_on_submit():
        form.populate_obj(comment)
        db.session.commit()
        security_log.event(
            "comment-edited", comment=comment.id, post=comment.post_id, by=current_user.id
        )
        flash("The comment is saved.")
        return _back(comment.status.value)
    status = 422 if form.errors else 200
    return render_template("editor/comment_edit.html", comment=comment, form=form), status


@bp.post("/comments/<int:comment_id>/delete")
@capability("comments.moderate")
def delete_comment(comment_id):
    """Delete a comment for good; only from spam or trash. :raise 409: otherwise."""
    comment = _get_comment(comment_id)
    if comment.status not in (CommentStatus.SPAM, CommentStatus.TRASH):
        abort(409, "Move the comment to spam or trash first.")
    status, post_id = comment.status.value, comment.post_id
    db.session.delete(comment)
    db.session.commit()
    security_log.event(
        "comment-deleted", comment=comment_id, post=post_id, old_status=status, by=current_user.id
    )
    flash("The comment is deleted for good.")
    return _back(status)
