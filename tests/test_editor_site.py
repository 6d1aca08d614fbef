"""Moderation queue, sections, tags, menu, settings, users and the dashboard."""

import pytest
from editor_helpers import csrf, signed_in, submit

from hlhr.extensions import db
from hlhr.models import (
    Category,
    Comment,
    CommentStatus,
    MenuItem,
    Post,
    PostView,
    Role,
    Setting,
    Tag,
    User,
    utcnow,
)


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
