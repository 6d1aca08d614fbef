"""Helpers for editor tests: staff accounts, CSRF tokens from real forms, signing in."""

import re

from hlhr.cli import new_user
from hlhr.extensions import db
from hlhr.models import Role

PASSWORD = "Quiet-river-47-lantern"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                    r'name="csrf_token" value="([^"]+)"')  # fmt: skip


def make_user(email, role=Role.AUTHOR, password=PASSWORD, name=None):
    user = new_user(email, name, Role(role))
    user.set_password(password)
    db.session.commit()
    return user


def token_from(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1) or found.group(2)


def csrf(client, url="/editor/password") -> str:
    """A valid CSRF token for this client's session, read from a rendered form."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return token_from(response.get_data(as_text=True))


def login(client, email, password=PASSWORD, next_=None, follow=False):
    url = "/editor/login" + (f"?next={next_}" if next_ else "")
    token = token_from(client.get("/editor/login").get_data(as_text=True))
    data = {"csrf_token": token, "email": email, "password": password}
    if next_ is not None:
        data["next"] = next_
    return client.post(url, data=data, follow_redirects=follow)


def submit(client, url, data, form_url=None, **kwargs):
    """POST ``data`` with a CSRF token read from ``form_url`` (default: the URL itself)."""
    token = csrf(client, form_url or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def signed_in(app, role=Role.AUTHOR, email=None):
    """A fresh test client signed in as a new user of ``role``; returns (client, user)."""
    user = make_user(email or f"{Role(role).value}@example.org", role)
    client = app.test_client()
    response = login(client, user.email)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client, user


def post_fields(**fields):
    """The post form as a browser sends it (every select has a value), with overrides."""
    data = {
        "title": "A report",
        "slug": "",
        "body_format": "markdown",
        "body_source": "Some text.",
        "excerpt": "",
        "category_id": "0",
        "tags": "",
        "featured_media_id": "0",
        "comments_open": "y",
        "seo_title": "",
        "seo_description": "",
        "status": "draft",
        "published_at": "",
        "expires_at": "",
        "note": "",
        "save": "1",
    }
    data.update(fields)
    return data
