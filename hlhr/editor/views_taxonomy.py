"""Sections and tags: create, rename, merge tags, delete with reassignment."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from .. import publishing
from ..extensions import db
from ..models import Category, Post, Tag, post_tags
from . import bp, capability
from .forms import ActionForm, CategoryForm, ReassignForm, TagForm, options


def _post_counts(column):
    return dict(db.session.execute(select(column, func.count()).group_by(column)).all())


@bp.route("/sections/", methods=["GET", "POST"])
@capability("taxonomy.manage")
def sections():
    form = CategoryForm()
    if form.validate_on_submit() and _save_category(form, Category()):
        flash("Section added.")
        return redirect(url_for("editor.sections"))
    rows = db.session.scalars(select(Category).order_by(Category.position, Category.name)).all()
    return render_template(
        "editor/sections.html", sections=rows, form=form, counts=_post_counts(Post.category_id)
    ), 422 if form.errors else 200


def _save_category(form, category):
    """Apply the form; on a slug error put the message on the form and write nothing."""
    try:
        with db.session.no_autoflush:
            publishing.save_term(category, form.name.data, form.slug.data)
    except publishing.PublishingError as exc:
        db.session.rollback()
        form.slug.errors.append(str(exc))
        return False
    category.description = form.description.data or ""
    category.position = form.position.data or 0
    category.on_home = form.on_home.data
    db.session.commit()
    return True


def _get(model, ident):
    return db.session.get(model, ident) or abort(404)


@bp.route("/sections/<int:category_id>", methods=["GET", "POST"])
@capability("taxonomy.manage")
def edit_section(category_id):
    """Rename or delete a section. :raise 404: unknown section."""
    category = _get(Category, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit() and _save_category(form, category):
        flash("Section saved.")
        return redirect(url_for("editor.sections"))
    return render_template(
        "editor/section_edit.html",
        category=category,
        form=form,
        reassign=_reassign_form(category),
    ), 422 if form.errors else 200


def _reassign_form(category):
    form = ReassignForm()
    others = db.session.scalars(
        select(Category).where(Category.id != category.id).order_by(Category.name)
    )
    form.target_id.choices = options([(0, "— no section —")] + [(c.id, c.name) for c in others])
    return form


@bp.post("/sections/<int:category_id>/delete")
@capability("taxonomy.manage")
def delete_section(category_id):
    category = _get(Category, category_id)
    form = _reassign_form(category)
    if not form.validate_on_submit():
        abort(400, "Choose where the section's posts go.")
    target = db.session.get(Category, form.target_id.data) if form.target_id.data else None
    moved = publishing.delete_category(category, target)
    flash(f"Section deleted; {moved} post(s) moved.")
    return redirect(url_for("editor.sections"))


@bp.route("/tags/", methods=["GET", "POST"])
@capability("taxonomy.manage")
def tags():
    form = TagForm()
    if form.validate_on_submit() and _save_tag(form, Tag()):
        flash("Tag added.")
        return redirect(url_for("editor.tags"))
    q = request.args.get("q", "").strip()[:120]
    query = select(Tag).order_by(Tag.name)
    if q:
        query = query.where(Tag.name.icontains(q, autoescape=True))
    pagination = db.paginate(query, per_page=100, error_out=False)
    return render_template(
        "editor/tags.html",
        pagination=pagination,
        form=form,
        q=q,
        counts=_post_counts(post_tags.c.tag_id),
        action_form=ActionForm(),
    ), 422 if form.errors else 200


def _save_tag(form, tag):
    try:
        with db.session.no_autoflush:
            publishing.save_term(tag, form.name.data, form.slug.data)
    except publishing.PublishingError as exc:
        db.session.rollback()
        form.slug.errors.append(str(exc))
        return False
    db.session.commit()
    return True


@bp.route("/tags/<int:tag_id>", methods=["GET", "POST"])
@capability("taxonomy.manage")
def edit_tag(tag_id):
    """Rename a tag, merge it into another, or delete it. :raise 404: unknown tag."""
    tag = _get(Tag, tag_id)
    form = TagForm(obj=tag)
    if form.validate_on_submit() and _save_tag(form, tag):
        flash("Tag saved.")
        return redirect(url_for("editor.tags"))
    return render_template(
        "editor/tag_edit.html", tag=tag, form=form, merge=_merge_form(tag)
    ), 422 if form.errors else 200


def _merge_form(tag):
    form = ReassignForm()
    others = db.session.scalars(select(Tag).where(Tag.id != tag.id).order_by(Tag.name).limit(500))
    form.target_id.choices = options([(t.id, t.name) for t in others])
    return form


@bp.post("/tags/<int:tag_id>/merge")
@capability("taxonomy.manage")
def merge_tag(tag_id):
    """Fold this tag into the chosen one. :raise 400: no valid target chosen."""
    tag = _get(Tag, tag_id)
    form = _merge_form(tag)
    if not form.validate_on_submit():
        abort(400, "Choose the tag to merge into.")
    target = _get(Tag, form.target_id.data)
    changed = publishing.merge_tags([tag], target)
    flash(f"Merged into “{target.name}”; {changed} post(s) changed.")
    return redirect(url_for("editor.edit_tag", tag_id=target.id))


@bp.post("/tags/<int:tag_id>/delete")
@capability("taxonomy.manage")
def delete_tag(tag_id):
    tag = _get(Tag, tag_id)
    changed = publishing.delete_tag(tag)
    flash(f"Tag deleted; removed from {changed} post(s).")
    return redirect(url_for("editor.tags"))
