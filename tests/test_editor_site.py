"""Moderation queue, sections, tags, menu, settings, users and the dashboard."""

import logging

import pytest
from editor_helpers import PASSWORD, csrf, login, make_user, signed_in, submit

from hlhr.extensions import db
from hlhr.models import (
    Category,
    Comment,
    CommentStatus,
    MenuItem,
    Post,
    PostView,
    Revision,
    Role,
    Setting,
    Tag,
    User,
    utcnow,
)
from hlhr.publishing import save_post


@pytest.fixture
def editor(app):
    client, _ = signed_in(app, Role.EDITOR)
    return client


def _comment(post, body="Thank you", status=CommentStatus.PENDING):
    comment = Comment(post_id=post.id, author_name="Reader", author_email="r@example.org",
                      body=body, status=status)  # fmt: skip
    db.session.add(comment)
    db.session.commit()
    return comment


def test_moderation_queue_tabs_actions_and_nav_count(app, editor, make_post):
    post = make_post(title="Commented")
    first, second, third = (_comment(post, f"Comment {n}") for n in range(3))
    page = editor.get("/editor/comments/").get_data(as_text=True)
    assert 'aria-label="3 pending"' in page
    assert "Comment 0" in page and "r@example.org" not in page.split("<main", 1)[1]
    token = csrf(editor)
    editor.post(f"/editor/comments/{first.id}/approved", data={"csrf_token": token})
    assert db.session.get(Comment, first.id).status == CommentStatus.APPROVED
    bulk = {"csrf_token": token, "ids": [second.id, third.id], "action": "spam"}
    assert editor.post("/editor/comments/bulk", data=bulk).status_code == 302
    assert db.session.get(Comment, third.id).status == CommentStatus.SPAM
    spam = editor.get("/editor/comments/?status=spam").get_data(as_text=True)
    assert "Comment 1" in spam and "Comment 0" not in spam
    assert "pending" not in editor.get("/editor/").get_data(as_text=True).split("</nav>")[0]
    editor.post(f"/editor/comments/{third.id}/delete", data={"csrf_token": token})
    assert db.session.get(Comment, third.id) is None
    assert (
        editor.post(f"/editor/comments/{first.id}/delete", data={"csrf_token": token}).status_code
        == 409
    )


def test_reply_and_edit(app, editor, make_post):
    post = make_post(title="Commented")
    comment = _comment(post, "A question?")
    url = f"/editor/comments/{comment.id}/reply"
    assert submit(editor, url, {"body": ""}).status_code == 422
    assert submit(editor, url, {"body": "Our answer."}).status_code == 302
    reply = db.session.scalar(db.select(Comment).where(Comment.parent_id == comment.id))
    assert reply.status == CommentStatus.APPROVED and reply.user_id is not None
    edit = f"/editor/comments/{comment.id}/edit"
    assert (
        submit(editor, edit, {"author_name": "R.", "body": "A clearer question?"}).status_code
        == 302
    )
    assert db.session.get(Comment, comment.id).body == "A clearer question?"


def test_sections_create_rename_and_delete_with_reassignment(app, editor, make_post):
    make_post(title="In news", section="NEWS")
    assert submit(editor, "/editor/sections/", {"name": "Asia", "slug": ""}).status_code == 302
    assert submit(editor, "/editor/sections/", {"name": "Feed", "slug": "feed"}).status_code == 422
    news = db.session.scalar(db.select(Category).where(Category.slug == "news"))
    asia = db.session.scalar(db.select(Category).where(Category.slug == "asia"))
    url = f"/editor/sections/{news.id}"
    assert submit(editor, url, {"name": "World news", "slug": "world"}).status_code == 302
    assert db.session.get(Category, news.id).name == "World news"
    form = {"target_id": str(asia.id)}
    assert submit(editor, f"{url}/delete", form, form_url=url).status_code == 302
    assert db.session.get(Category, news.id) is None
    assert db.session.scalar(db.select(Post.category_id)) == asia.id


def test_tags_merge_and_delete(app, editor, make_post):
    make_post(title="One", tags=("detention", "prisons"))
    make_post(title="Two", tags=("prison",))
    tags = {t.slug: t for t in db.session.scalars(db.select(Tag))}
    url = f"/editor/tags/{tags['prison'].id}"
    form = {"target_id": str(tags["prisons"].id)}
    assert submit(editor, f"{url}/merge", form, form_url=url).status_code == 302
    two = db.session.scalar(db.select(Post).where(Post.title == "Two"))
    assert [t.slug for t in two.tags] == ["prisons"]
    assert db.session.get(Tag, tags["prison"].id) is None
    delete = f"/editor/tags/{tags['detention'].id}/delete"
    assert editor.post(delete, data={"csrf_token": csrf(editor)}).status_code == 302
    one = db.session.scalar(db.select(Post).where(Post.title == "One"))
    assert [t.slug for t in one.tags] == ["prisons"]
    assert submit(editor, "/editor/tags/", {"name": "New tag"}).status_code == 302


def test_menu_entries(app, editor, make_post):
    make_post(title="About", kind="page")
    page = db.session.scalar(db.select(Post))
    data = {"label": "About us", "kind": "page", "page_id": str(page.id), "category_id": "0",
            "url": "", "position": "2"}  # fmt: skip
    assert submit(editor, "/editor/menu/", data).status_code == 302
    bad = {**data, "kind": "url", "url": "javascript:alert(1)"}
    assert submit(editor, "/editor/menu/", bad).status_code == 422
    missing = {**data, "page_id": "0"}
    assert submit(editor, "/editor/menu/", missing).status_code == 422
    item = db.session.scalar(db.select(MenuItem))
    assert (item.label, item.post_id, item.position) == ("About us", page.id, 2)
    assert 'href="/about/"' in app.test_client().get("/").get_data(as_text=True)


def test_settings_store_word_lists(app):
    client, _ = signed_in(app, Role.ADMIN)
    data = {
        "site_name": "HLHR",
        "about": "We report.",
        "moderation_words": "  casino \n\nviagra\ncasino\n",
        "disallowed_words": "slur",
    }
    assert submit(client, "/editor/settings", data).status_code == 302
    assert db.session.get(Setting, "moderation_words").value == "casino\nviagra"
    assert db.session.get(Setting, "disallowed_words").value == "slur"
    assert db.session.get(Setting, "about").value == "We report."
    assert "We report." in app.test_client().get("/").get_data(as_text=True)
    assert submit(client, "/editor/settings", {**data, "site_name": ""}).status_code == 422


def test_feed_content_setting_switches_feeds_to_full_text(app, make_post):
    opening = "An opening paragraph long enough to fill the excerpt. " * 8
    make_post(title="Long read", body=f"{opening}\n\nA closing line only full text has.")
    client, _ = signed_in(app, Role.ADMIN)
    reader = app.test_client()
    assert "only full text has" not in reader.get("/feed/").get_data(as_text=True)
    data = {"site_name": "HLHR", "about": "", "moderation_words": "", "disallowed_words": "",
            "feed_content": "full"}  # fmt: skip
    assert submit(client, "/editor/settings", data).status_code == 302
    assert "only full text has" in reader.get("/feed/").get_data(as_text=True)
    assert submit(client, "/editor/settings", {**data, "feed_content": "both"}).status_code == 422


def test_admin_creates_users_with_password_rules(app):
    client, _ = signed_in(app, Role.ADMIN)
    data = {"email": "new@example.org", "display_name": "New Person", "role": "author",
            "password": "short"}  # fmt: skip
    assert submit(client, "/editor/users/", data).status_code == 422
    data["password"] = "A-long-enough-passphrase"
    assert submit(client, "/editor/users/", data).status_code == 302
    assert submit(client, "/editor/users/", data).status_code == 422  # duplicate e-mail
    user = db.session.scalar(db.select(User).where(User.email == "new@example.org"))
    assert user.role == Role.AUTHOR and user.check_password("A-long-enough-passphrase")


def test_dashboard_counts(app, editor, make_post):
    from hlhr.models import PostStatus

    popular = make_post(title="Much read")
    make_post(title="Unfinished", status=PostStatus.DRAFT)
    _comment(popular)
    db.session.add(PostView(post_id=popular.id, day=utcnow().date(), views=42))
    db.session.commit()
    text = editor.get("/editor/").get_data(as_text=True)
    assert "<strong>1</strong> drafts" in text
    assert "<strong>1</strong> comments waiting" in text
    assert "42 views" in text and "Unfinished" in text


def _account(email="sam@example.org", role=Role.AUTHOR, name="Sam Reporter"):
    return make_user(email, role, name=name)


def _signed_in_as(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    assert client.get("/editor/").status_code == 200
    return client


def _fields(user, **changes):
    data = {"display_name": user.display_name, "email": user.email, "role": user.role.value,
            "active": "y" if user.active else ""}  # fmt: skip
    data.update(changes)
    if not data["active"]:
        del data["active"]  # an unticked checkbox is not sent
    return data


def test_admin_edits_name_and_email_without_ending_sessions(app):
    admin, _ = signed_in(app, Role.ADMIN)
    user = _account()
    session = _signed_in_as(app, user)
    url = f"/editor/users/{user.id}"
    page = admin.get(url).get_data(as_text=True)
    assert 'value="Sam Reporter"' in page and 'value="sam@example.org"' in page
    data = _fields(user, display_name="Samira Reporter", email="Samira@Example.org")
    assert submit(admin, url, data).status_code == 302
    saved = db.session.get(User, user.id)
    assert (saved.display_name, saved.email) == ("Samira Reporter", "samira@example.org")
    assert session.get("/editor/").status_code == 200  # no security change: still signed in
    assert "Samira Reporter" in admin.get("/editor/users/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not an address"}, "valid e-mail address"),
        ({"email": "admin@example.org"}, "Another account already uses"),
        ({"email": "ADMIN@example.org "}, "Another account already uses"),
        ({"email": ""}, "This field is required"),
        ({"display_name": ""}, "This field is required"),
        ({"display_name": "x" * 121}, "120 characters"),
        ({"display_name": "Bad\x00name"}, "control characters"),
        ({"role": "overlord"}, "Not a valid choice"),
    ],
)
def test_edit_user_bad_input_keeps_typed_text(app, changes, message):
    admin, _ = signed_in(app, Role.ADMIN)
    user = _account()
    url = f"/editor/users/{user.id}"
    data = _fields(user, **{"display_name": "Typed New Name", **changes})
    response = submit(admin, url, data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text
    assert "Please correct the fields marked below." in text
    if "display_name" not in changes:
        assert 'value="Typed New Name"' in text
    saved = db.session.get(User, user.id)
    assert (saved.display_name, saved.email) == ("Sam Reporter", "sam@example.org")


def test_role_change_ends_sessions_and_is_logged(app, caplog):
    admin, admin_user = signed_in(app, Role.ADMIN)
    user = _account()
    session = _signed_in_as(app, user)
    url = f"/editor/users/{user.id}"
    with caplog.at_level(logging.INFO, logger="hlhr.security"):
        assert submit(admin, url, _fields(user, role="editor")).status_code == 302
    assert db.session.get(User, user.id).role == Role.EDITOR
    assert session.get("/editor/").status_code == 302
    logged = f"event=role-changed user={user.id} old_role=author new_role=editor by={admin_user.id}"
    assert logged in caplog.text
    fresh = _signed_in_as(app, user)
    assert fresh.get("/editor/sections/").status_code == 200  # the new role applies


def test_deactivation_and_reactivation(app, caplog):
    admin, admin_user = signed_in(app, Role.ADMIN)
    user = _account()
    session = _signed_in_as(app, user)
    url = f"/editor/users/{user.id}"
    with caplog.at_level(logging.INFO, logger="hlhr.security"):
        assert submit(admin, url, _fields(user, active="")).status_code == 302
    assert f"event=user-deactivated user={user.id} by={admin_user.id}" in caplog.text
    assert session.get("/editor/").status_code == 302
    assert login(app.test_client(), user.email).status_code == 200  # refused
    assert submit(admin, url, _fields(user, active="y")).status_code == 302
    assert login(app.test_client(), user.email).status_code == 302


def test_admin_cannot_demote_or_deactivate_themselves(app):
    admin, me = signed_in(app, Role.ADMIN)
    url = f"/editor/users/{me.id}"
    response = submit(admin, url, _fields(me, role="editor", display_name="Still Me"))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "cannot remove the admin role from your own account" in text
    assert 'value="Still Me"' in text
    response = submit(admin, url, _fields(me, active=""))
    assert response.status_code == 422
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    saved = db.session.get(User, me.id)
    assert (saved.role, saved.active, saved.display_name) == (Role.ADMIN, True, me.display_name)
    assert admin.get("/editor/users/").status_code == 200  # still signed in, still admin
    # Renaming oneself is fine.
    assert submit(admin, url, _fields(me, display_name="Head Admin")).status_code == 302
    assert db.session.get(User, me.id).display_name == "Head Admin"


def test_admin_sets_a_password_for_another_account(app, caplog):
    admin, admin_user = signed_in(app, Role.ADMIN)
    user = _account()
    session = _signed_in_as(app, user)
    url = f"/editor/users/{user.id}/password"
    form_url = f"/editor/users/{user.id}"
    new = "Fresh-granite-pass-31"
    with caplog.at_level(logging.INFO, logger="hlhr.security"):
        response = submit(admin, url, {"password": new, "confirm": new}, form_url=form_url)
    assert response.status_code == 302
    assert f"event=password-reset user={user.id} by={admin_user.id}" in caplog.text
    assert new not in caplog.text
    assert session.get("/editor/").status_code == 302
    assert login(app.test_client(), user.email).status_code == 200  # old password refused
    assert login(app.test_client(), user.email, new).status_code == 302


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "at least 12"),
        ("sam-reporter-secret-1", "sam-reporter-secret-1", "name or e-mail"),
        ("Fresh-granite-pass-31", "Fresh-granite-pass-32", "The passwords differ"),
        ("", "", "This field is required"),
    ],
)
def test_admin_password_rules(app, password, confirm, message):
    admin, _ = signed_in(app, Role.ADMIN)
    user = _account()
    session = _signed_in_as(app, user)
    url, form_url = f"/editor/users/{user.id}/password", f"/editor/users/{user.id}"
    data = {"password": password, "confirm": confirm}
    response = submit(admin, url, data, form_url=form_url)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text
    assert 'value="Sam Reporter"' in text  # the account form is still shown
    assert db.session.get(User, user.id).check_password(PASSWORD)
    assert session.get("/editor/").status_code == 200


def test_admin_uses_the_password_page_for_their_own_password(app):
    admin, me = signed_in(app, Role.ADMIN)
    new = "Fresh-granite-pass-31"
    url, form_url = f"/editor/users/{me.id}/password", f"/editor/users/{me.id}"
    response = submit(admin, url, {"password": new, "confirm": new}, form_url=form_url)
    assert response.status_code == 422
    assert "Change password" in response.get_data(as_text=True)
    assert db.session.get(User, me.id).check_password(PASSWORD)
    assert admin.get("/editor/").status_code == 200


def test_editing_unknown_user_is_404(app):
    admin, _ = signed_in(app, Role.ADMIN)
    assert admin.get("/editor/users/9999").status_code == 404
    token = csrf(admin)
    response = admin.post("/editor/users/9999/password", data={"csrf_token": token})
    assert response.status_code == 404


def test_edit_user_needs_csrf(app):
    admin, _ = signed_in(app, Role.ADMIN)
    user = _account()
    response = admin.post(f"/editor/users/{user.id}", data=_fields(user, role="editor"))
    assert response.status_code == 400
    new = "Fresh-granite-pass-31"
    response = admin.post(
        f"/editor/users/{user.id}/password", data={"password": new, "confirm": new}
    )
    assert response.status_code == 400
    saved = db.session.get(User, user.id)
    assert saved.role == Role.AUTHOR and saved.check_password(PASSWORD)


def test_revisions_list_shows_author_names(app):
    client, me = signed_in(app, Role.EDITOR)
    writer = make_user("writer@example.org", Role.AUTHOR, name="Wanda Writer")
    post = Post(title="Report", body_source="First.", author=writer)
    save_post(post, writer)
    post.body_source = "Second."
    save_post(post, me)
    db.session.add(Revision(post_id=post.id, author_id=None, title="Imported", body_source="x"))
    db.session.commit()
    page = client.get(f"/editor/posts/{post.id}/revisions/").get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1]
    assert "Wanda Writer" in rows and me.display_name in rows and "—" in rows
    assert f"<td>{writer.id}</td>" not in rows
