"""flask import-wxr: the fixture export (our own words), idempotency, hostile files."""

from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from hlhr.extensions import db
from hlhr.models import (
    Category,
    Comment,
    CommentStatus,
    Media,
    Post,
    PostKind,
    PostStatus,
    PostView,
    Redirect,
    Revision,
    Tag,
    User,
    WordPressLink,
)

FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
FIXTURE = FIXTURES / "harbour-light.xml"
ARABIC_SLUG = "حقوق-الإنسان"


@pytest.fixture
def uploads(tmp_path):
    """A local copy of wp-content/uploads holding the fixture's one photo."""
    folder = tmp_path / "wp-uploads"
    (folder / "2023" / "04").mkdir(parents=True)
    image = Image.new("RGB", (800, 533), (40, 90, 140))
    image.save(folder / "2023" / "04" / "river-court.jpg", format="JPEG")
    return folder


def run_import(runner, *args, path=FIXTURE):
    result = runner.invoke(args=["import-wxr", str(path), *args])
    return result


def imported(runner, *args):
    result = run_import(runner, *args)
    assert result.exit_code == 0, result.output
    return result.output


def post(slug):
    return db.session.scalar(select(Post).where(Post.slug == slug))


def test_posts_pages_and_statuses(runner, uploads):
    output = imported(runner, "--uploads", str(uploads))
    assert "Import committed." in output
    hearing = post("river-court-hearing")
    assert hearing.kind == PostKind.POST and hearing.status == PostStatus.PUBLISHED
    assert hearing.published_at.isoformat() == "2023-04-11T07:30:00+00:00"  # GMT date
    assert hearing.sticky and hearing.comments_open
    assert hearing.excerpt == "Seven defendants, one closed file, and families waiting at the gate."
    assert hearing.seo_description == "Day one of the river court hearing."
    assert hearing.author.display_name == "Mira Osei"
    assert post("about-the-watch").kind == PostKind.PAGE
    assert post("about-the-watch").menu_order == 2
    assert post("volunteer-guide").status == PostStatus.DRAFT
    draft = post("notes-for-the-follow-up-piece")  # no slug in WordPress: from the title
    assert draft.status == PostStatus.DRAFT and draft.published_at is None
    assert post("staff-rota").status == PostStatus.DRAFT  # private never becomes public
    assert post("verdict-day").status == PostStatus.SCHEDULED
    assert post("feed-108").title == "Feed"  # a reserved slug gets the WordPress id
    assert post(ARABIC_SLUG).comments_open is False
    assert db.session.scalar(select(func.count()).select_from(Post)) == 9


def test_authors_are_inactive_accounts_without_password(runner):
    imported(runner)
    mira = db.session.scalar(select(User).where(User.email == "mira@old.hlhr.example"))
    assert mira.active is False and mira.password_hash is None
    assert not mira.check_password("")
    tomas = db.session.scalar(select(User).where(User.email == "tomas@old.hlhr.example"))
    assert tomas.display_name == "Tomás Ferreira"
    assert post(ARABIC_SLUG).author_id == tomas.id


def test_category_hierarchy_tags_and_unicode_slugs(runner):
    imported(runner)
    sahel = db.session.scalar(select(Category).where(Category.slug == "sahel"))
    assert sahel.parent.slug == "west-africa"
    assert sahel.parent.parent.slug == "reports"
    assert sahel.parent.parent.description == "Long-form findings from the desk."
    assert db.session.scalar(select(Category).where(Category.slug == "حقوق")).name == "حقوق"
    hearing = post("river-court-hearing")
    assert hearing.category.slug == "sahel"
    assert {t.slug for t in hearing.tags} == {"detention", "genève"}
    assert db.session.scalar(select(Tag).where(Tag.slug == "genève")).name == "Genève"
    assert post(ARABIC_SLUG).title == "حقوق الإنسان أمام المحكمة"


def test_threaded_comments_with_states_and_no_ip(runner):
    imported(runner)
    hearing = post("river-court-hearing")
    comments = {
        c.author_name: c
        for c in db.session.scalars(select(Comment).where(Comment.post_id == hearing.id))
    }
    assert set(comments) == {"Amina K.", "Mira Osei", "Jonas", "Cheap pills"}  # no pingback
    assert comments["Amina K."].parent_id is None
    assert comments["Mira Osei"].parent_id == comments["Amina K."].id
    assert comments["Jonas"].parent_id == comments["Mira Osei"].id  # listed before its parent
    assert comments["Amina K."].status == CommentStatus.APPROVED
    assert comments["Jonas"].status == CommentStatus.PENDING
    assert comments["Cheap pills"].status == CommentStatus.SPAM
    assert comments["Amina K."].body == "Thank you for being there.\nWill you cover day two?"
    assert comments["Jonas"].body == "And day three, please."
    assert comments["Amina K."].created_at.isoformat() == "2023-04-11T10:00:00+00:00"
    assert all(c.ip_hash is None for c in comments.values())


def test_content_blocks_captions_autop_and_sanitising(runner, uploads):
    imported(runner, "--uploads", str(uploads))
    media = db.session.scalar(select(Media))
    html = post("river-court-hearing").body_html
    assert (
        "<p>Seven defendants sat in the front row while their lawyers asked for the file.<br>"
        in html
    )
    assert f'<img src="/media/{media.stored_name}"' in html
    assert (
        "<figcaption>The courthouse by the river, an hour before the hearing.</figcaption>" in html
    )
    assert "[caption" not in html and "[gallery" not in html and "srcset" not in html
    assert 'href="/2023/03/what-the-law-says/"' in html  # old-site link made relative
    assert "<pre>Case no. 17/2023\n\nChamber B</pre>" in html
    arabic = post(ARABIC_SLUG).body_html
    assert "wp:" not in arabic and "<!--" not in arabic
    assert "<h2>ما الذي حدث</h2>" in arabic
    assert (
        '<a href="https://cdn.elsewhere.example/photo.jpg" rel="noopener noreferrer">صورة</a>'
        in arabic
    )
    law = post("what-the-law-says").body_html
    assert "<script" not in law and "onerror" not in law and "<strong>six months</strong>" in law


def test_featured_image_and_attachment_from_uploads(runner, uploads):
    output = imported(runner, "--uploads", str(uploads))
    media = db.session.scalar(select(Media))
    assert media.alt_text == "The river court building at dusk"
    assert media.caption == "The courthouse by the river, an hour before the hearing."
    assert post("river-court-hearing").featured_media_id == media.id
    assert "attachment: 1 created" in output


def test_attachments_without_uploads_are_skipped_with_reason(runner):
    output = imported(runner)
    assert db.session.scalar(select(func.count()).select_from(Media)) == 0
    assert (
        "attachment 201 “Photo of the river court”: 2023/04/river-court.jpg: give --uploads"
        in output
    )


def test_summary_lists_every_skipped_item_with_its_reason(runner):
    output = imported(runner)
    assert "post: 7 created" in output and "page: 2 created" in output
    assert "comment: 4 created" in output
    assert (
        "nav_menu_item 301 “Main menu: Home”: post type “nav_menu_item” has no counterpart"
        in output
    )
    assert "post 110 “Half-typed thought”: an auto-draft" in output
    assert "comment 505 on post 101" in output and "a pingback" in output
    assert "Skipped: 4" in output
    assert "private in WordPress, imported as a draft" in output


def test_old_permalinks_redirect(runner, app):
    imported(runner)
    client = app.test_client()
    for old in ("/2023/04/river-court-hearing/", "/?p=101", "/?p=101&utm_source=x"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response.location.endswith("/river-court-hearing/")
    response = client.get("/?page_id=104")
    assert response.status_code == 301 and response.location.endswith("/about-the-watch/")
    arabic = client.get(
        "/2023/05/%d8%ad%d9%82%d9%88%d9%82-%d8%a7%d9%84%d8%a5%d9%86%d8%b3%d8%a7%d9%86/"
    )
    assert arabic.status_code == 301
    assert client.get(arabic.location).status_code == 200
    assert not db.session.scalar(
        select(Redirect).where(Redirect.old_path == Redirect.new_path)
    )  # no loops


def test_view_counts_from_post_meta(runner):
    imported(runner)
    hearing = post("river-court-hearing")
    row = db.session.scalar(select(PostView).where(PostView.post_id == hearing.id))
    assert row.views == 1234 and row.day.isoformat() == "2023-04-11"


def test_imported_posts_are_searchable_and_on_the_site(runner, app):
    from hlhr import search

    search.rebuild()
    output = imported(runner)
    assert "Search index is up to date." in output
    client = app.test_client()
    assert client.get("/river-court-hearing/").status_code == 200
    assert client.get("/notes-for-the-follow-up-piece/").status_code == 404  # a draft
    results = search.search("defendants")
    assert [hit.post.slug for hit in results.hits] == ["river-court-hearing"]


def _snapshot():
    tables = (Post, Comment, Category, Tag, User, Redirect, Revision, PostView, WordPressLink)
    counts = {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in tables}
    versions = dict(db.session.execute(select(Post.slug, Post.version)).all())
    return counts, versions


def test_importing_twice_changes_nothing(runner, uploads):
    imported(runner, "--uploads", str(uploads))
    before = _snapshot()
    output = imported(runner, "--uploads", str(uploads))
    db.session.expire_all()
    assert _snapshot() == before
    assert "post: 7 unchanged" in output and "comment: 4 unchanged" in output
    assert "created" not in output.split("Skipped")[0].replace("attachment: 1 unchanged", "")


def test_updated_export_updates_in_place(runner, tmp_path):
    imported(runner)
    hearing_id = post("river-court-hearing").id
    amina = db.session.scalar(select(Comment).where(Comment.author_name == "Amina K."))
    changed = FIXTURE.read_text(encoding="utf-8")
    changed = changed.replace("Hearing at the river court, day one", "River court hearing: day one")
    changed = changed.replace("Will you cover day two?", "Will you cover day two and three?")
    changed = changed.replace(
        "<wp:status><![CDATA[draft]]></wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type><![CDATA[page]]>",
        "<wp:status><![CDATA[publish]]></wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type><![CDATA[page]]>",
    )
    path = tmp_path / "updated.xml"
    path.write_text(changed, encoding="utf-8")
    output = imported_from(runner, path)
    db.session.expire_all()
    hearing = db.session.get(Post, hearing_id)
    assert hearing.title == "River court hearing: day one"
    assert hearing.slug == "river-court-hearing"
    assert db.session.get(Comment, amina.id).body.endswith("day two and three?")
    assert post("volunteer-guide").status == PostStatus.PUBLISHED
    assert "post: 6 unchanged, 1 updated" in output
    assert "comment: 3 unchanged, 1 updated" in output
    assert db.session.scalar(select(func.count()).select_from(Post)) == 9


def imported_from(runner, path, *args):
    result = run_import(runner, *args, path=path)
    assert result.exit_code == 0, result.output
    return result.output


def test_dry_run_writes_nothing(runner, uploads, app):
    before = _snapshot()
    output = imported(runner, "--dry-run", "--uploads", str(uploads))
    assert "Dry run: nothing was written." in output
    assert "post: 7 created" in output
    assert _snapshot() == before
    assert (
        not list(Path(app.config["UPLOAD_DIR"]).glob("*"))
        if Path(app.config["UPLOAD_DIR"]).exists()
        else True
    )


def _empty_site_after(runner, app, content, uploads=None):
    path = Path(app.config["UPLOAD_DIR"]).parent / "bad.xml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = _snapshot()
    args = ["--uploads", str(uploads)] if uploads else []
    result = run_import(runner, *args, path=path)
    assert result.exit_code != 0
    db.session.expire_all()
    assert _snapshot() == before
    return result.output


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><title>&lol4;</title></channel></rss>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&secret;</title></item></channel></rss>"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://attacker.example/evil.dtd">
<rss><channel/></rss>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "Refused: the file declares a DTD or entities"),
        (EXTERNAL_ENTITY, "Refused: the file declares a DTD or entities"),
        (EXTERNAL_DTD, "Refused: the file declares a DTD or entities"),
        ("<html><body>not an export</body></html>", "Not a WordPress export: the root is <html>"),
        ("<rss><channel><item><title>x</title></item></channel></rss>", "no <wp:wxr_version>"),
        ("<rss><channel><title>Just a feed</title></channel></rss>", "no <wp:wxr_version>"),
        ("", "Malformed XML"),
        (b"\xff\xfe\x00garbage", "Malformed XML"),
    ],
)
def test_hostile_and_wrong_files_are_refused_and_nothing_is_written(runner, app, content, message):
    output = _empty_site_after(runner, app, content)
    assert message in output
    assert "Nothing was imported." in output
    assert "Traceback" not in output


def test_malformed_xml_late_in_the_file_writes_nothing(runner, app, uploads):
    """The error is near the end, after authors, terms and an attachment were read."""
    text = FIXTURE.read_text(encoding="utf-8")
    broken = text.replace(
        "<title>Half-typed thought</title>", "<title>Half-typed <b>thought</title>"
    )
    output = _empty_site_after(runner, app, broken, uploads=uploads)
    assert "Malformed XML at line" in output
    assert db.session.scalar(select(func.count()).select_from(Media)) == 0
    assert not list(Path(app.config["UPLOAD_DIR"]).glob("*.*"))  # its files were removed


def test_not_utf8_or_truncated_file(runner, app):
    truncated = FIXTURE.read_bytes()[:5000]
    output = _empty_site_after(runner, app, truncated)
    assert "Malformed XML" in output


def test_reader_streams_and_frees_items():
    from hlhr.wordpress.reader import WxrReader

    with open(FIXTURE, "rb") as handle:
        reader = WxrReader(handle)
        kinds = [kind for kind, _record in reader]
    assert kinds.count("item") == 12 and kinds.count("author") == 2
    assert reader.channel.base_site_url == "https://old.hlhr.example"


def test_wxr_1_0_namespaces_are_read(runner):
    text = FIXTURE.read_text(encoding="utf-8").replace("export/1.2/", "export/1.0/")
    path = FIXTURES.parent.parent / "wxr10.tmp.xml"
    try:
        path.write_text(text, encoding="utf-8")
        output = imported_from(runner, path)
    finally:
        path.unlink(missing_ok=True)
    assert "post: 7 created" in output


def test_attachment_paths_cannot_leave_the_uploads_folder(runner, uploads, tmp_path):
    secret = tmp_path / "secret.jpg"
    Image.new("RGB", (10, 10)).save(secret, format="JPEG")
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "<![CDATA[2023/04/river-court.jpg]]>", "<![CDATA[../secret.jpg]]>"
    )
    path = tmp_path / "traversal.xml"
    path.write_text(text, encoding="utf-8")
    output = imported_from(runner, path, "--uploads", str(uploads))
    assert "../secret.jpg: outside the uploads folder" in output
    assert db.session.scalar(select(func.count()).select_from(Media)) == 0
