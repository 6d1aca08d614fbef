"""Staff accounts (admins only): create, change role, deactivate."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from .. import auth
from ..cli import new_user
from ..extensions import db
from ..models import Role, User
from . import bp, capability
from .forms import UserEditForm, UserForm


@bp.route("/users/", methods=["GET", "POST"])
@capability("users.manage")
def users():
    form = UserForm()
    if form.validate_on_submit() and _create_user(form):
        flash("Account created.")
        return redirect(url_for("editor.users"))
    rows = db.session.scalars(select(User).order_by(User.display_name)).all()
    return render_template("editor/users.html", users=rows, form=form), 422 if form.errors else 200


def _create_user(form):
    email = form.email.data.lower()
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        form.email.errors.append("An account with this e-mail address already exists.")
        return False
    with db.session.no_autoflush:
        user = new_user(email, form.display_name.data, Role(form.role.data))
        try:
            auth.check_new_password(user, form.password.data)
        except auth.PasswordError as exc:
            db.session.rollback()
            form.password.errors.append(str(exc))
            return False
    user.set_password(form.password.data)
    db.session.commit()
    auth.security_log.info("user created id=%s by=%s", user.id, current_user.id)
    return True


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@capability("users.manage")
def edit_user(user_id):
    """Role and active flag; deactivating signs the user out everywhere. :raise 404."""
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=user)
    if not form.is_submitted():
        form.role.data = user.role.value
    if form.validate_on_submit():
        if user.id == current_user.id and not (form.active.data and form.role.data == "admin"):
            form.role.errors.append("You cannot demote or deactivate your own account.")
        else:
            _apply_user_form(form, user)
            flash("Account saved.")
            return redirect(url_for("editor.users"))
    return render_template("editor/user_edit.html", user=user, form=form), (
        422 if form.errors else 200
    )


def _apply_user_form(form, user):
    if user.active and not form.active.data:
        auth.end_sessions(user)
    user.role = Role(form.role.data)
    user.active = form.active.data
    db.session.commit()
    auth.security_log.info(
        "user changed id=%s role=%s active=%s by=%s",
        user.id,
        user.role.value,
        user.active,
        current_user.id,
    )
