"""Staff accounts (admins only): create, edit, change role, deactivate, set a password."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import auth, security_log
from ..cli import new_user
from ..extensions import db
from ..models import Role, User
from . import bp, capability
from .forms import UserEditForm, UserForm, UserPasswordForm


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
    security_log.event("user-created", user=user.id, role=user.role, by=current_user.id)
    return True


def _edit_page(user, form, password_form):
    status = 422 if form.errors or password_form.errors else 200
    return render_template(
        "editor/user_edit.html", user=user, form=form, password_form=password_form
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@capability("users.manage")
def edit_user(user_id):
    """Name, e-mail, role and active flag of an account. :raise 404: unknown user.

    A role change or deactivation signs the user out everywhere; an admin cannot demote or
    deactivate their own account.
    """
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=user)
    if not form.is_submitted():
        form.role.data = user.role.value
    if form.validate_on_submit() and _check_user_form(form, user) and _apply_user_form(form, user):
        flash("Account saved.")
        return redirect(url_for("editor.users"))
    return _edit_page(user, form, UserPasswordForm(formdata=None))


def _check_user_form(form, user):
    """Refuse changes an admin may not make to their own account, and taken e-mails."""
    if user.id == current_user.id:
        if form.role.data != Role.ADMIN.value:
            form.role.errors.append("You cannot remove the admin role from your own account.")
        if not form.active.data:
            form.active.errors.append("You cannot deactivate your own account.")
    email = form.email.data.lower()
    taken = db.session.scalar(
        select(User.id).where(func.lower(User.email) == email, User.id != user.id)
    )
    if taken:
        form.email.errors.append("Another account already uses this e-mail address.")
    return not (form.role.errors or form.active.errors or form.email.errors)


def _apply_user_form(form, user):
    """Save the form onto ``user``; False (with a form error) when the e-mail got taken."""
    before = _identity(user)
    old_role, was_active = user.role, user.active
    user.display_name = form.display_name.data
    user.email = form.email.data.lower()
    user.role = Role(form.role.data)
    user.active = form.active.data
    if user.role != old_role or (was_active and not user.active):
        auth.end_sessions(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.email.errors.append("Another account already uses this e-mail address.")
        return False
    _log_user_change(user, before, old_role, was_active)
    return True


def _identity(user):
    return {"display_name": user.display_name, "email": user.email}


def _log_user_change(user, before, old_role, was_active):
    """One event per kind of change; the changed name or e-mail is named, not logged."""
    by = current_user.id
    changed = [name for name, value in _identity(user).items() if before[name] != value]
    if changed:
        security_log.event("user-changed", user=user.id, fields=",".join(changed), by=by)
    if user.role != old_role:
        security_log.event(
            "role-changed", user=user.id, old_role=old_role, new_role=user.role, by=by
        )
    if was_active and not user.active:
        security_log.event("user-deactivated", user=user.id, by=by)
    elif user.active and not was_active:
        security_log.event("user-reactivated", user=user.id, by=by)


@bp.post("/users/<int:user_id>/password")
@capability("users.manage")
def set_user_password(user_id):
    """An admin sets another account's password; it signs that user out everywhere.

    :raise 404: unknown user. Admins change their own password on the password page.
    """
    user = db.session.get(User, user_id) or abort(404)
    form = UserPasswordForm()
    if user.id == current_user.id:
        form.password.errors = [
            "Change your own password on the “Change password” page (it asks for the current one)."
        ]
    elif form.validate_on_submit() and _reset_password(form, user):
        flash(f"New password set for {user.display_name}; their sessions are signed out.")
        return redirect(url_for("editor.edit_user", user_id=user.id))
    edit_form = UserEditForm(obj=user, formdata=None)
    edit_form.role.data = user.role.value
    return _edit_page(user, edit_form, form)


def _reset_password(form, user):
    try:
        auth.check_new_password(user, form.password.data)
    except auth.PasswordError as exc:
        form.password.errors.append(str(exc))
        return False
    user.set_password(form.password.data)
    auth.end_sessions(user)
    db.session.commit()
    security_log.event("password-reset", user=user.id, by=current_user.id)
    return True
