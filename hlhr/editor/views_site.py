"""The dashboard, site settings and the main menu."""

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, url_for
from sqlalchemy import func, select

from ..extensions import db
from ..models import Category, MenuItem, Post, PostKind, PostStatus, PostView, Setting, utcnow
from ..site import get_settings
from . import bp, capability
from .forms import ActionForm, MenuItemForm, SettingsForm, options
from .views_comments import pending_count

SETTING_FIELDS = ("site_name", "about", "moderation_words", "disallowed_words", "feed_content")
LIST_SETTINGS = ("moderation_words", "disallowed_words")


@bp.get("/")
@capability("dashboard")
def dashboard():
    return render_template(
        "editor/dashboard.html",
        drafts=_count(PostStatus.DRAFT),
        pending_posts=_count(PostStatus.PENDING),
        scheduled=_count(PostStatus.SCHEDULED),
        comments_waiting=pending_count(),
        recent=db.session.scalars(
            select(Post)
            .where(Post.status != PostStatus.TRASH)
            .order_by(Post.updated_at.desc())
            .limit(8)
        ).all(),
        popular=_most_viewed(days=7),
    )


def _count(status):
    query = select(func.count(Post.id)).where(Post.kind == PostKind.POST, Post.status == status)
    return db.session.scalar(query) or 0


def _most_viewed(days, limit=8):
    since = (utcnow() - timedelta(days=days)).date()
    total = func.sum(PostView.views).label("total")
    query = (
        select(Post, total)
        .join(PostView, PostView.post_id == Post.id)
        .where(PostView.day >= since)
        .group_by(Post.id)
        .order_by(total.desc())
        .limit(limit)
    )
    return db.session.execute(query).all()


@bp.route("/settings", methods=["GET", "POST"])
@capability("settings.manage")
def settings():
    """Site name, About text and the comment word lists (stored as Setting rows)."""
    form = SettingsForm()
    if form.validate_on_submit():
        for key in SETTING_FIELDS:
            _store_setting(key, _clean(key, getattr(form, key).data or ""))
        db.session.commit()
        flash("Settings saved.")
        return redirect(url_for("editor.settings"))
    if not form.is_submitted():
        stored = get_settings()
        for key in SETTING_FIELDS:
            getattr(form, key).data = stored.get(key, "")
        form.site_name.data = form.site_name.data or _default_site_name()
        form.feed_content.data = form.feed_content.data or current_app.config["FEED_CONTENT"]
    return render_template("editor/settings.html", form=form), 422 if form.errors else 200


def _default_site_name():
    return current_app.config["SITE_NAME"]


def _clean(key, value):
    """Word lists: one entry per line, trimmed, no blanks or duplicates."""
    if key not in LIST_SETTINGS:
        return value
    lines = (" ".join(line.split()) for line in value.splitlines())
    return "\n".join(dict.fromkeys(line for line in lines if line))


def _store_setting(key, value):
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value = value
    db.session.add(row)


@bp.route("/menu/", methods=["GET", "POST"])
@capability("menu.manage")
def menu():
    """The menu entries in order, and a form that adds one."""
    form = _menu_form()
    if form.validate_on_submit():
        item = MenuItem()
        _apply_menu_form(form, item)
        db.session.add(item)
        db.session.commit()
        flash("Menu entry added.")
        return redirect(url_for("editor.menu"))
    items = db.session.scalars(select(MenuItem).order_by(MenuItem.position, MenuItem.id)).all()
    return render_template(
        "editor/menu.html", items=items, form=form, action_form=ActionForm()
    ), 422 if form.errors else 200


def _menu_form(item=None):
    form = MenuItemForm(obj=item)
    pages = db.session.scalars(
        select(Post).where(Post.kind == PostKind.PAGE, Post.status != PostStatus.TRASH)
    )
    form.page_id.choices = options([(0, "—")] + [(p.id, p.title) for p in pages])
    sections = db.session.scalars(select(Category).order_by(Category.name))
    form.category_id.choices = options([(0, "—")] + [(c.id, c.name) for c in sections])
    if item is not None and not form.is_submitted():
        form.page_id.data = item.post_id or 0
        form.category_id.data = item.category_id or 0
    return form


def _apply_menu_form(form, item):
    item.label = form.label.data
    item.kind = form.kind.data
    item.position = form.position.data or 0
    item.post_id = form.page_id.data or None if form.kind.data == "page" else None
    item.category_id = form.category_id.data or None if form.kind.data == "category" else None
    item.url = form.url.data or "" if form.kind.data == "url" else ""


@bp.route("/menu/<int:item_id>", methods=["GET", "POST"])
@capability("menu.manage")
def edit_menu_item(item_id):
    """:raise 404: unknown menu entry."""
    item = db.session.get(MenuItem, item_id) or abort(404)
    form = _menu_form(item)
    if form.validate_on_submit():
        _apply_menu_form(form, item)
        db.session.commit()
        flash("Menu entry saved.")
        return redirect(url_for("editor.menu"))
    return render_template(
        "editor/menu_item.html", item=item, form=form
    ), 422 if form.errors else 200


@bp.post("/menu/<int:item_id>/delete")
@capability("menu.manage")
def delete_menu_item(item_id):
    item = db.session.get(MenuItem, item_id) or abort(404)
    db.session.delete(item)
    db.session.commit()
    flash("Menu entry removed.")
    return redirect(url_for("editor.menu"))
