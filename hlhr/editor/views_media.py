"""The media library: upload (via ``media.store_image``), alt text, delete."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .. import media, security_log
from ..extensions import db
from ..models import Media, Post
from . import bp, capability
from .forms import ActionForm, MediaEditForm, MediaForm
from .permissions import require

PER_PAGE = 40


@bp.get("/media/")
@capability("media.list")
def media_library():
    pagination = db.paginate(
        select(Media).order_by(Media.created_at.desc(), Media.id.desc()),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "editor/media.html", pagination=pagination, form=MediaForm(), action_form=ActionForm()
    )


@bp.route("/media/upload", methods=["GET", "POST"])
@capability("media.upload")
def upload_media():
    """:raise 413: the body is larger than MAX_CONTENT_LENGTH (friendly page)."""
    form = MediaForm()
    if not form.validate_on_submit():
        return _upload_page(form, 200 if not form.is_submitted() else 422)
    upload = form.file.data
    data = upload.read()
    try:
        item = media.store_image(
            data,
            original_name=upload.filename or "",
            alt_text=form.alt_text.data,
            caption=form.caption.data,
            credit=form.credit.data,
            user=current_user,
        )
    except media.MediaError as exc:
        security_log.event(
            "upload-rejected",
            user=current_user.id,
            reason=str(exc),
            name=upload.filename,
            size=len(data),
        )
        form.file.errors.append(str(exc))
        return _upload_page(form, 422)
    _save_or_remove(item)
    flash("The image is uploaded.")
    return redirect(url_for("editor.edit_media", media_id=item.id))


def _upload_page(form, status):
    return render_template("editor/media_upload.html", form=form), status


def _save_or_remove(item):
    """Commit the row; if that fails, delete the files already written (no orphans)."""
    try:
        db.session.add(item)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        media.remove_files(item)
        raise


def _get_media(media_id):
    return db.session.get(Media, media_id) or abort(404)


@bp.route("/media/<int:media_id>", methods=["GET", "POST"])
@capability("media.upload")
def edit_media(media_id):
    """Alt text, caption and credit of an image. :raise 404: unknown image."""
    item = _get_media(media_id)
    require(current_user, "media.edit", item)
    form = MediaEditForm(obj=item)
    if form.validate_on_submit():
        form.populate_obj(item)
        db.session.commit()
        flash("Saved.")
        return redirect(url_for("editor.edit_media", media_id=item.id))
    status = 422 if form.errors else 200
    return render_template(
        "editor/media_edit.html", item=item, form=form, action_form=ActionForm()
    ), status


@bp.post("/media/<int:media_id>/delete")
@capability("media.manage")
def delete_media(media_id):
    """Delete an image and its files; posts that featured it lose the image."""
    item = _get_media(media_id)
    for post in db.session.scalars(select(Post).where(Post.featured_media_id == item.id)):
        post.featured = None  # row by row so the search log sees each post
    db.session.flush()
    db.session.delete(item)
    db.session.commit()
    security_log.event("media-deleted", media=media_id, by=current_user.id)
    media.remove_files(item)
    flash("The image is deleted.")
    return redirect(url_for("editor.media_library"))
