"""Staff sign-in: password checks, DB-backed throttling, session versions, safe redirects.

Nothing here renders a page; the editor views call these functions and map
``SignInError`` / ``Throttled`` / ``PasswordError`` onto forms and status codes.
"""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, g, request
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from . import security_log, throttle
from .extensions import db, login_manager
from .models import User, utcnow

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
SCOPE_ACCOUNT = "login-account"
SCOPE_CLIENT = "login-client"
GENERIC_FAILURE = "That e-mail address and password do not match an active account."
# Checked against when the account does not exist, so both paths cost one hash.
_DUMMY_HASH = generate_password_hash("not-a-real-password-hlhr")


class SignInError(ValueError):
    """Wrong credentials or an inactive account; the message never says which."""


class Throttled(Exception):
    """Too many failures; ``wait_seconds`` says when to try again."""

    def __init__(self, wait_seconds: int):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds

    @property
    def message(self):
        minutes = max(1, math.ceil(self.wait_seconds / 60))
        unit = "minute" if minutes == 1 else "minutes"
        return (
            "Too many failed sign-in attempts. For your safety, sign-in is paused: "
            f"please try again in {minutes} {unit}."
        )


class PasswordError(ValueError):
    """A new password breaks the password rules; the message says which."""


class WrongPasswordError(PasswordError):
    """The current password given to confirm a change is not the user's."""


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "editor.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(forget_request_state)
    if (app.config.get("SITE_URL") or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True


def forget_request_state():
    """Load the user and the CSRF token afresh for every request.

    flask-login and flask-wtf cache them on ``g``; a request run inside an outer app
    context (tests, scripts) would otherwise inherit the previous request's.
    """
    g.pop("_login_user", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def load_user(user_id: str):
    """The user of a session cookie, only while its session version is still current."""
    ident, _, version = user_id.partition(":")
    if not (ident.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def client_address() -> str:
    return request.remote_addr or "unknown"


def authenticate(email: str, password: str, client: str) -> User:
    """The active user with these credentials; failures are counted per account and client.

    :raise Throttled: 5 failures for this account or this client within 15 minutes.
    :raise SignInError: wrong e-mail, password or an inactive account (same message).
    """
    email = (email or "").strip().lower()
    check_throttle(email, client)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    problem = _sign_in_problem(user, password or "")
    if problem:
        record_failure(email, client)
        security_log.event(
            "sign-in-failed",
            user=getattr(user, "id", None),
            reason=problem,
            account=security_log.pseudonym(email),
            client=security_log.pseudonym(client),
        )
        raise SignInError(GENERIC_FAILURE)
    throttle.clear(SCOPE_ACCOUNT, email)
    user.last_login_at = utcnow()
    db.session.commit()
    security_log.event("sign-in", user=user.id, role=user.role)
    return user


def _sign_in_problem(user: User | None, password: str) -> str | None:
    """Why these credentials fail (for the log only: the reader sees one message)."""
    if user is None:
        check_password_hash(_DUMMY_HASH, password)  # the same cost as a real check
        return "unknown-account"
    if not user.check_password(password):
        return "wrong-password"
    return None if user.active else "inactive"


def check_throttle(email: str, client: str) -> None:
    """:raise Throttled: when the account or the client used up its failures."""
    for scope, value in ((SCOPE_ACCOUNT, email), (SCOPE_CLIENT, client)):
        if throttle.recent_count(scope, value, WINDOW) >= MAX_FAILURES:
            oldest = throttle.oldest_in_window(scope, value, WINDOW) or utcnow()
            wait = max(1, math.ceil((oldest + WINDOW - utcnow()).total_seconds()))
            security_log.event(
                "throttled",
                scope=scope,
                wait=wait,
                account=security_log.pseudonym(email),
                client=security_log.pseudonym(client),
            )
            raise Throttled(wait)


def record_failure(email: str, client: str) -> None:
    throttle.record(SCOPE_ACCOUNT, email)
    throttle.record(SCOPE_CLIENT, client)
    db.session.commit()


def end_sessions(user: User) -> None:
    """Invalidate every cookie issued for ``user`` (logout, password change, deactivation)."""
    user.session_version = (user.session_version or 0) + 1


def check_new_password(user: User, password: str) -> None:
    """:raise PasswordError: too short, or made from the user's name or e-mail."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    lowered = password.lower()
    local_part = (user.email or "").split("@")[0].lower()
    personal = {user.email.lower(), local_part, *(user.display_name or "").lower().split()}
    if any(len(word) >= 3 and word in lowered for word in personal if word):
        raise PasswordError("The password must not contain your name or e-mail address.")


def change_password(user: User, current: str, new: str, client: str) -> None:
    """Set a new password and end every other session of the user.

    A wrong current password counts as a failed sign-in for the account and the client.

    :raise Throttled: the account or client used up its sign-in failures.
    :raise PasswordError: wrong current password or a new one that breaks the rules.
    """
    email = (user.email or "").strip().lower()
    check_throttle(email, client)
    if not user.check_password(current):
        record_failure(email, client)
        security_log.event(
            "password-change-refused",
            user=user.id,
            reason="wrong-current",
            client=security_log.pseudonym(client),
        )
        raise WrongPasswordError("Your current password is not correct.")
    check_new_password(user, new)
    user.set_password(new)
    end_sessions(user)
    db.session.commit()
    security_log.event("password-changed", user=user.id)


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
