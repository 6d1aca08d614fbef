"""Writing through the real editor forms: list, save, times, preview, 409, revisions, trash."""

from datetime import UTC, datetime, timedelta

import pytest
from editor_helpers import csrf, post_fields, signed_in, submit

from hlhr.extensions import db
from hlhr.models import Post, PostKind, PostStatus, Redirect, Revision, Role, Tag, utcnow
from hlhr.publishing import ensure_category, save_post


@pytest.fixture
def editor(app):
    client, user = signed_in(app, Role.EDITOR)
    return client, user


def _only_post():
    return db.session.scalar(db.select(Post))


def _count(model=Post):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_create_post_with_every_field(app, editor):
    client, _ = editor
    app.config["SITE_TIMEZONE"] = "Europe/Paris"
    section = ensure_category("Asia")
    db.session.commit()
    data = post_fields(
        title="Genève talks on detention",
        body_source="First paragraph.\n\n**Second** paragraph.",
        excerpt="A short summary.",
        category_id=str(section.id),
        tags="Detention, Courts, detention",
        editors_pick="y",
        seo_title="SEO title",
        seo_description="SEO description",
        status="published",
        published_at="2024-07-01T09:30",
        expires_at="2031-01-01T00:00",
        note="First version",
    )
    response = submit(client, "/editor/posts/new", data)
    assert response.status_code == 302
    post = _only_post()
    assert post.slug == "genève-talks-on-detention"
    assert post.body_html == "<p>First paragraph.</p>\n<p><strong>Second</strong> paragraph.</p>\n"
    assert post.category == section
    assert sorted(t.slug for t in post.tags) == ["courts", "detention"]
    assert post.editors_pick and post.comments_open
    assert post.status == PostStatus.PUBLISHED
    # 09:30 in Paris in July is 07:30 UTC; the form shows it back in site time.
    assert post.published_at == datetime(2024, 7, 1, 7, 30, tzinfo=UTC)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="2024-07-01T09:30"' in page
    revision = db.session.scalar(db.select(Revision))
    assert revision.note == "First version"


def test_future_time_schedules_and_public_page_follows_the_clock(app, editor):
    client, _ = editor
    soon = (utcnow() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    data = post_fields(title="Embargoed", status="published", published_at=soon)
    assert submit(client, "/editor/posts/new", data).status_code == 302
    post = _only_post()
    assert post.status == PostStatus.SCHEDULED
    assert app.test_client().get("/embargoed/").status_code == 404
    post.published_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert app.test_client().get("/embargoed/").status_code == 200


def test_bad_input_keeps_text_and_writes_nothing(app, editor):
    client, _ = editor
    body = "My long article text that must not be lost."
    for fields, message in [
        ({"slug": "admin"}, "reserved"),
        ({"slug": "2024"}, "only of digits"),
        ({"title": "   "}, "This field is required"),
        ({"published_at": "2024-01-01T10:00", "expires_at": "2023-01-01T10:00"}, "expiry"),
        ({"published_at": "yesterday"}, "Not a valid datetime"),
        ({"category_id": "999"}, "Not a valid choice"),
        ({"featured_media_id": "abc"}, "Invalid"),
        ({"status": "trash"}, "Not a valid choice"),
    ]:
        response = submit(client, "/editor/posts/new", post_fields(body_source=body, **fields))
        text = response.get_data(as_text=True)
        assert response.status_code in (200, 422), fields
        assert message in text, (fields, text[:3000])
        assert body in text
    assert _count() == 0
    assert _count(Tag) == 0


def test_list_filters_search_and_counts(app, editor, make_post, staff):
    client, user = editor
    make_post(title="Prison visit report")
    make_post(title="Court ruling", section="Africa")
    make_post(title="Draft on prisons", status=PostStatus.DRAFT)
    trashed = make_post(title="Old prison note")
    trashed.status = PostStatus.TRASH
    db.session.commit()
    text = client.get("/editor/posts/").get_data(as_text=True)
    assert 'Published <span class="count">(2)</span>' in text
    assert 'Draft <span class="count">(1)</span>' in text
    assert 'Trash <span class="count">(1)</span>' in text
    assert "Old prison note" not in text
    found = client.get("/editor/posts/?q=prison").get_data(as_text=True)
    assert "Prison visit report" in found and "Draft on prisons" in found
    assert "Court ruling" not in found
    drafts = client.get("/editor/posts/?status=draft").get_data(as_text=True)
    assert "Draft on prisons" in drafts and "Prison visit report" not in drafts
    africa = db.session.scalar(db.select(Post.category_id).where(Post.title == "Court ruling"))
    by_section = client.get(f"/editor/posts/?section={africa}").get_data(as_text=True)
    assert "Court ruling" in by_section and "Prison visit report" not in by_section
    mine = client.get(f"/editor/posts/?author={user.id}").get_data(as_text=True)
    assert "Court ruling" not in mine
    assert client.get("/editor/posts/?q=%25_%5C&author=x&section=-1").status_code == 200


def test_preview_uses_the_public_pipeline_and_saves_nothing(app, editor):
    client, _ = editor
    data = post_fields(
        title="Preview me", body_source="Hello *world* <script>alert(1)</script>", preview="1"
    )
    data.pop("save")
    response = submit(client, "/editor/posts/new", data)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<p>Hello <em>world</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>" in text
    assert _count() == 0


def test_stale_save_is_409_with_text_kept(app, make_post):
    post = make_post(title="Shared story")
    first, _ = signed_in(app, Role.EDITOR, "first@example.org")
    second, _ = signed_in(app, Role.EDITOR, "second@example.org")
    url = f"/editor/posts/{post.id}/edit"
    token_a, token_b = csrf(first, url), csrf(second, url)
    base = post_fields(title="Shared story", status="published", version=str(post.version))
    saved = first.post(url, data={**base, "csrf_token": token_a, "body_source": "First edit"})
    assert saved.status_code == 302
    late = second.post(url, data={**base, "csrf_token": token_b, "body_source": "Second edit"})
    text = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "Second edit" in text
    assert "See the newer version" in text
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "First edit"
    newest = db.session.scalar(db.select(Revision.id).order_by(Revision.id.desc()))
    assert f"/editor/posts/{post.id}/revisions/{newest}" in text
    # Saving again after seeing the conflict is a deliberate overwrite.
    again = second.post(url, data={**base, "csrf_token": token_b, "body_source": "Second edit",
                                   "version": _version_in(text)})  # fmt: skip
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Second edit"


def _version_in(html):
    marker = 'id="version" name="version" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_revisions_diff_and_restore(app, editor, make_post):
    client, _ = editor
    post = make_post(title="Evolving", body="Line one.\n\nLine two.")
    url = f"/editor/posts/{post.id}/edit"
    data = post_fields(title="Evolving", body_source="Line one.\n\nLine 2, corrected.",
                       status="published", version=str(post.version))  # fmt: skip
    assert submit(client, url, data).status_code == 302
    revisions = db.session.scalars(db.select(Revision).order_by(Revision.id)).all()
    assert len(revisions) == 2
    listing = client.get(f"/editor/posts/{post.id}/revisions/").get_data(as_text=True)
    assert listing.count("Restore") == 1  # not offered for the current revision
    diff = client.get(f"/editor/posts/{post.id}/revisions/{revisions[1].id}")
    text = diff.get_data(as_text=True)
    assert '<span class="remove">-Line two.</span>' in text
    assert '<span class="add">+Line 2, corrected.</span>' in text
    restore = f"/editor/posts/{post.id}/revisions/{revisions[0].id}/restore"
    assert client.get(restore).status_code == 405
    assert client.post(restore, data={"csrf_token": csrf(client)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_source == "Line one.\n\nLine two."
    assert _count(Revision) == 3
    other = make_post(title="Other post")
    foreign = f"/editor/posts/{other.id}/revisions/{revisions[0].id}"
    assert client.get(foreign).status_code == 404


def test_trash_restore_and_delete(app, editor, make_post):
    client, _ = editor
    post = make_post(title="Short lived")
    token = csrf(client)
    assert app.test_client().get("/short-lived/").status_code == 200
    assert (
        client.post(f"/editor/posts/{post.id}/delete", data={"csrf_token": token}).status_code
        == 409
    )
    client.post(f"/editor/posts/{post.id}/trash", data={"csrf_token": token})
    assert db.session.get(Post, post.id).status == PostStatus.TRASH
    assert app.test_client().get("/short-lived/").status_code == 404
    client.post(f"/editor/posts/{post.id}/restore", data={"csrf_token": token})
    assert db.session.get(Post, post.id).status == PostStatus.DRAFT
    client.post(f"/editor/posts/{post.id}/trash", data={"csrf_token": token})
    response = client.post(f"/editor/posts/{post.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id) is None
    assert _count(Revision) == 0


def test_author_trashes_own_but_cannot_delete_for_good(app):
    client, user = signed_in(app, Role.AUTHOR, "author2@example.org")
    post = save_post(Post(title="Mine to trash", body_source="x", author=user), user)
    token = csrf(client)
    assert (
        client.post(f"/editor/posts/{post.id}/trash", data={"csrf_token": token}).status_code == 302
    )
    assert (
        client.post(f"/editor/posts/{post.id}/delete", data={"csrf_token": token}).status_code
        == 403
    )


def test_slug_change_leaves_a_redirect(app, editor, make_post):
    client, _ = editor
    post = make_post(title="First name")
    url = f"/editor/posts/{post.id}/edit"
    data = post_fields(title="First name", slug="second-name", status="published",
                       version=str(post.version))  # fmt: skip
    assert submit(client, url, data).status_code == 302
    assert db.session.scalar(db.select(Redirect.new_path)) == "/second-name/"
    assert app.test_client().get("/first-name/").headers["Location"].endswith("/second-name/")


def test_pages_are_written_in_the_same_editor(app, editor):
    client, _ = editor
    data = post_fields(title="Contact us", status="published")
    assert submit(client, "/editor/pages/new", data).status_code == 302
    page = _only_post()
    assert page.kind == PostKind.PAGE
    assert "Contact us" in client.get("/editor/pages/").get_data(as_text=True)
    assert app.test_client().get("/contact-us/").status_code == 200
