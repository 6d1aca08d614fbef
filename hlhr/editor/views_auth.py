"""Sign in, sign out, change one's own password."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from .. import auth, security_log
from ..extensions import db
from . import bp, capability
from .forms import LoginForm, PasswordForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    """:raise 429: too many failures for this account or client (with the wait time)."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(auth.safe_next(form.next.data, url_for("editor.dashboard")))
    if not form.validate_on_submit():
        return render_template("editor/login.html", form=form)
    try:
        user = auth.authenticate(form.email.data, form.password.data, auth.client_address())
    except auth.Throttled as exc:
        form.form_errors.append(exc.message)
        response = render_template("editor/login.html", form=form)
        return response, 429, {"Retry-After": str(exc.wait_seconds)}
    except auth.SignInError as exc:
        form.form_errors.append(str(exc))
        return render_template("editor/login.html", form=form), 200
    login_user(user)
    return redirect(auth.safe_next(form.next.data, url_for("editor.dashboard")))


@bp.post("/logout")
@capability("account")
def logout():
    """End this session and every other cookie of the user (the session version moves on)."""
    auth.end_sessions(current_user)
    db.session.commit()
    security_log.event("sign-out", user=current_user.id)
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("editor.login"))


@bp.route("/password", methods=["GET", "POST"])
@capability("account")
def password():
    """:raise 429: too many wrong passwords for this account or client (sign-in throttle)."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            auth.change_password(user, form.current.data, form.new.data, auth.client_address())
        except auth.Throttled as exc:
            form.form_errors.append(exc.message)
            response = render_template("editor/password.html", form=form)
            return response, 429, {"Retry-After": str(exc.wait_seconds)}
        except auth.PasswordError as exc:
            field = form.current if isinstance(exc, auth.WrongPasswordError) else form.new
            field.errors.append(str(exc))
        else:
            login_user(user)  # this session continues with the new session version
            flash("Your password is changed; other sessions are signed out.")
            return redirect(url_for("editor.dashboard"))
    return render_template("editor/password.html", form=form)
