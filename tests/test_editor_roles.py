"""The role x route matrix: every editor route, every role; forbidden is 403 and logged."""

import io
import logging

import pytest
from editor_helpers import csrf, make_user, post_fields, signed_in, submit
from PIL import Image

from hlhr import media
from hlhr.extensions import db
from hlhr.models import (
    Comment,
    MenuItem,
    Post,
    PostKind,
    PostStatus,
    Revision,
    Role,
    Tag,
    utcnow,
)
from hlhr.publishing import ensure_category, save_post, tags_from_names

ALL = {Role.CONTRIBUTOR, Role.AUTHOR, Role.EDITOR, Role.ADMIN}
AUTHORS = {Role.AUTHOR, Role.EDITOR, Role.ADMIN}
EDITORS = {Role.EDITOR, Role.ADMIN}
ADMINS = {Role.ADMIN}

# endpoint: (method, url template, roles allowed). Objects belong to another editor.
MATRIX = {
    "editor.login": ("GET", "/editor/login", ALL),
    "editor.password": ("GET", "/editor/password", ALL),
    "editor.dashboard": ("GET", "/editor/", ALL),
    "editor.posts": ("GET", "/editor/posts/", ALL),
    "editor.new_post": ("GET", "/editor/posts/new", ALL),
    "editor.pages": ("GET", "/editor/pages/", EDITORS),
    "editor.new_page": ("GET", "/editor/pages/new", EDITORS),
    "editor.edit_post": ("GET", "/editor/posts/{post}/edit", EDITORS),
    "editor.revisions": ("GET", "/editor/posts/{post}/revisions/", EDITORS),
    "editor.revision": ("GET", "/editor/posts/{post}/revisions/{revision}", EDITORS),
    "editor.media_library": ("GET", "/editor/media/", ALL),
    "editor.upload_media": ("GET", "/editor/media/upload", AUTHORS),
    "editor.edit_media": ("GET", "/editor/media/{media}", EDITORS),
    "editor.comments": ("GET", "/editor/comments/", EDITORS),
    "editor.reply_comment": ("GET", "/editor/comments/{comment}/reply", EDITORS),
    "editor.edit_comment": ("GET", "/editor/comments/{comment}/edit", EDITORS),
    "editor.settings": ("GET", "/editor/settings", ADMINS),
    "editor.menu": ("GET", "/editor/menu/", EDITORS),
    "editor.edit_menu_item": ("GET", "/editor/menu/{menu}", EDITORS),
    "editor.sections": ("GET", "/editor/sections/", EDITORS),
    "editor.edit_section": ("GET", "/editor/sections/{section}", EDITORS),
    "editor.tags": ("GET", "/editor/tags/", EDITORS),
    "editor.edit_tag": ("GET", "/editor/tags/{tag}", EDITORS),
    "editor.users": ("GET", "/editor/users/", ADMINS),
    "editor.edit_user": ("GET", "/editor/users/{user}", ADMINS),
    # Mutations (POST only), least destructive first.
    "editor.moderate_comment": ("POST", "/editor/comments/{comment}/approved", EDITORS),
    "editor.bulk_comments": ("POST", "/editor/comments/bulk", EDITORS),
    "editor.delete_comment": ("POST", "/editor/comments/{comment}/delete", EDITORS),
    "editor.restore_revision": (
        "POST",
        "/editor/posts/{post}/revisions/{revision}/restore",
        EDITORS,
    ),
    "editor.restore_post": ("POST", "/editor/posts/{post}/restore", EDITORS),
    "editor.trash_post": ("POST", "/editor/posts/{post}/trash", EDITORS),
    "editor.delete_post": ("POST", "/editor/posts/{post}/delete", EDITORS),
    "editor.merge_tag": ("POST", "/editor/tags/{tag}/merge", EDITORS),
    "editor.delete_tag": ("POST", "/editor/tags/{tag}/delete", EDITORS),
    "editor.delete_section": ("POST", "/editor/sections/{section}/delete", EDITORS),
    "editor.delete_menu_item": ("POST", "/editor/menu/{menu}/delete", EDITORS),
    "editor.delete_media": ("POST", "/editor/media/{media}/delete", EDITORS),
    "editor.set_user_password": ("POST", "/editor/users/{user}/password", ADMINS),
    "editor.logout": ("POST", "/editor/logout", ALL),
}


def png_bytes(size=(40, 30), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def others(app):
    """Content owned by another editor, so object rules are exercised too."""
    owner = make_user("owner@example.org", Role.EDITOR)
    post = Post(
        title="Someone else's report",
        body_source="Text.",
        status=PostStatus.PUBLISHED,
        published_at=utcnow(),
        author=owner,
        category=ensure_category("NEWS"),
        tags=tags_from_names(["detention", "courts"]),
    )
    save_post(post, owner)
    page = Post(kind=PostKind.PAGE, title="About us", body_source="Us.", author=owner)
    save_post(page, owner)
    image = media.store_image(png_bytes(), "x.png", alt_text="A red square", user=owner)
    comment = Comment(post_id=post.id, author_name="R", author_email="r@example.org", body="Hi")
    menu = MenuItem(label="Home", kind="home")
    db.session.add_all([image, comment, menu])
    db.session.commit()
    tag = db.session.scalar(db.select(Tag).where(Tag.slug == "detention"))
    revision = db.session.scalar(db.select(Revision.id).where(Revision.post_id == post.id))
    ids = dict(post=post.id, revision=revision, media=image.id, comment=comment.id)
    ids.update(section=post.category_id, tag=tag.id, menu=menu.id, user=owner.id)
    return ids


def test_matrix_covers_every_editor_route(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("editor.")}
    assert endpoints == set(MATRIX)
    for rule in app.url_map.iter_rules():
        if rule.endpoint in MATRIX and MATRIX[rule.endpoint][0] == "POST":
            assert "GET" not in rule.methods, f"{rule.endpoint} mutates: POST only"


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(app, others, role, caplog):
    client, _ = signed_in(app, role)
    token = csrf(client)
    for endpoint, (method, template, allowed) in MATRIX.items():
        url = template.format(**others)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="hlhr.security"):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
        if role in allowed:
            assert response.status_code not in (403, 500), (endpoint, response.status_code)
        else:
            assert response.status_code == 403, (endpoint, role, response.status_code)
            assert "forbidden" in caplog.text, endpoint


def test_every_route_needs_sign_in(app, others):
    client = app.test_client()
    token = csrf(client, "/editor/login")
    for endpoint, (method, template, _) in MATRIX.items():
        if endpoint == "editor.login":
            continue
        url = template.format(**others)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        assert response.status_code == 302, endpoint
        assert response.headers["Location"].startswith("/editor/login"), endpoint


def test_author_cannot_edit_another_authors_post(app, others, caplog):
    client, _ = signed_in(app, Role.AUTHOR)
    url = f"/editor/posts/{others['post']}/edit"
    with caplog.at_level(logging.WARNING, logger="hlhr.security"):
        response = client.post(url, data={"csrf_token": csrf(client), "title": "Hijacked"})
    assert response.status_code == 403
    assert "action=post.edit target=Post:" in caplog.text
    assert db.session.get(Post, others["post"]).title == "Someone else's report"


def test_contributor_edits_own_draft_but_not_once_published(app):
    client, user = signed_in(app, Role.CONTRIBUTOR)
    post = Post(title="My draft", body_source="Text", author=user)
    save_post(post, user)
    assert client.get(f"/editor/posts/{post.id}/edit").status_code == 200
    post.status = PostStatus.PUBLISHED
    post.published_at = utcnow()
    db.session.commit()
    assert client.get(f"/editor/posts/{post.id}/edit").status_code == 403


def test_contributor_cannot_publish(app):
    client, _user = signed_in(app, Role.CONTRIBUTOR)
    data = post_fields(title="Sneaky", status="published")
    response = submit(client, "/editor/posts/new", data)
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
    data["status"] = "pending"
    assert submit(client, "/editor/posts/new", data).status_code == 302
    assert db.session.scalar(db.select(Post.status)) == PostStatus.PENDING


def test_author_may_publish_own(app):
    client, _user = signed_in(app, Role.AUTHOR)
    data = post_fields(title="Mine", status="published")
    assert submit(client, "/editor/posts/new", data).status_code == 302
    assert db.session.scalar(db.select(Post.status)) == PostStatus.PUBLISHED


def test_author_cannot_use_html_or_editors_pick(app):
    client, _user = signed_in(app, Role.AUTHOR)
    data = post_fields(title="Mine", body_format="html", body_source="<p>x</p>")
    response = submit(client, "/editor/posts/new", data)
    assert response.status_code == 200 or response.status_code == 422
    assert "Only editors may write the body in HTML" in response.get_data(as_text=True)
    data.update(body_format="markdown", editors_pick="y")
    assert submit(client, "/editor/posts/new", data).status_code == 302
    assert db.session.scalar(db.select(Post.editors_pick)) is False
