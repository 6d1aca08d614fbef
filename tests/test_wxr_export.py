"""flask export-wxr: a WXR 1.2 file WordPress can read, and a faithful round trip."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from defusedxml.ElementTree import parse
from PIL import Image
from sqlalchemy import func, select

from hlhr import create_app
from hlhr.extensions import db
from hlhr.models import Category, Comment, Post, PostStatus, PostView, Tag, User, utcnow

FIXTURE = Path(__file__).parent / "fixtures" / "wxr" / "harbour-light.xml"
WP = "{http://wordpress.org/export/1.2/}"
SITE = "https://hlhr.example"


@pytest.fixture
def source_site(app, runner, make_post, tmp_path):
    """The fixture export, plus posts written here: Markdown, SEO fields, expiry, trash."""
    uploads = tmp_path / "wp-uploads" / "2023" / "04"
    uploads.mkdir(parents=True)
    Image.new("RGB", (800, 533), (40, 90, 140)).save(uploads / "river-court.jpg", "JPEG")
    result = runner.invoke(args=["import-wxr", str(FIXTURE), "--uploads", str(uploads.parents[1])])
    assert result.exit_code == 0, result.output
    make_post(
        title="Written here, in *Markdown*",
        body="A paragraph with **bold** and a [link](/river-court-hearing/).\r\n\r\n- one\n- two",
        seo_title="SEO title",
        seo_description="SEO description & more",
        expires_at=utcnow() + timedelta(days=30),
        tags=("détention", "Fish & Chips"),
    )
    make_post(title="Thrown away", status=PostStatus.TRASH, section="Archive", tags=())
    db.session.add(Comment(post=make_post(title="With a tricky comment"), author_name="Zoë",
                           author_email="zoe@example.org", body="Line one\n<b>not bold</b> & co",
                           status="approved"))  # fmt: skip
    db.session.commit()
    return app


def export(runner, path):
    result = runner.invoke(args=["export-wxr", str(path), "--site-url", SITE])
    assert result.exit_code == 0, result.output
    return result.output


def test_export_is_wxr_1_2_wordpress_can_read(source_site, runner, tmp_path):
    path = tmp_path / "out.xml"
    output = export(runner, path)
    assert "posts" in output and "comments" in output
    root = parse(path).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    assert channel.findtext(f"{WP}base_site_url") == SITE
    items = channel.findall("item")
    types = {item.findtext(f"{WP}post_type") for item in items}
    assert types == {"post", "page", "attachment"}
    ids = [item.findtext(f"{WP}post_id") for item in items]
    assert len(ids) == len(set(ids))  # attachments and posts never share an id
    for item in items:
        for field in ("post_id", "post_date_gmt", "post_name", "status", "post_type"):
            assert item.find(f"{WP}{field}") is not None, field
    text = path.read_text(encoding="utf-8")
    assert "scrypt:" not in text and "pbkdf2:" not in text  # no password hashes
    assert "192.0.2." not in text  # never had commenters' addresses
    attachment = next(i for i in items if i.findtext(f"{WP}post_type") == "attachment")
    assert attachment.findtext(f"{WP}attachment_url").startswith(f"{SITE}/media/")
    categories = [c.findtext(f"{WP}category_nicename") for c in channel.iter(f"{WP}category")]
    assert categories.index("reports") < categories.index("west-africa") < categories.index("sahel")
    assert "%d8%ad%d9%82%d9%88%d9%82" in categories  # Unicode slugs as WordPress keeps them


def test_export_writes_no_partial_file_on_failure(source_site, runner, tmp_path, monkeypatch):
    from hlhr.wordpress import exporter

    def explode(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporter._Exporter, "_comments", explode)
    result = runner.invoke(args=["export-wxr", str(tmp_path / "out.xml"), "--site-url", SITE])
    assert result.exit_code != 0
    assert list(tmp_path.glob("*out.xml*")) == []


def test_export_needs_an_absolute_site_url(app, runner, tmp_path):
    result = runner.invoke(args=["export-wxr", str(tmp_path / "out.xml")])
    assert result.exit_code != 0 and "--site-url" in result.output


def _site_state():
    """Everything the round trip must keep, keyed by what survives it (slugs, emails)."""
    media = re.compile(r"/media/[^\"')\s]+")
    posts = {}
    for post in db.session.scalars(select(Post)):
        views = db.session.scalar(
            select(func.sum(PostView.views)).where(PostView.post_id == post.id)
        )
        posts[post.slug] = {
            "kind": post.kind, "title": post.title, "excerpt": post.excerpt,
            "body_html": media.sub("/media/*", post.body_html), "status": post.status,
            "published_at": post.published_at and post.published_at.replace(microsecond=0),
            "expires_at": post.expires_at and post.expires_at.replace(microsecond=0),
            "author": (post.author.email, post.author.display_name),
            "category": post.category and post.category.slug,
            "tags": sorted(t.slug for t in post.tags), "sticky": post.sticky,
            "comments_open": post.comments_open, "seo_title": post.seo_title,
            "seo_description": post.seo_description, "menu_order": post.menu_order,
            "featured": post.featured and (post.featured.alt_text, post.featured.caption),
            "views": views,
        }  # fmt: skip
    categories = {
        c.slug: (c.name, c.description, c.parent and c.parent.slug)
        for c in db.session.scalars(select(Category))
    }
    tags = {t.slug: t.name for t in db.session.scalars(select(Tag))}
    return posts, categories, tags, _comments()


def _comments():
    rows = db.session.scalars(select(Comment).order_by(Comment.created_at, Comment.id)).all()
    by_id = {c.id: c for c in rows}

    def key(c):
        return (c.post.slug, c.author_name, c.created_at.replace(microsecond=0))

    return sorted(
        (*key(c), c.author_email, c.author_url, c.body, c.status,
         key(by_id[c.parent_id]) if c.parent_id else None)
        for c in rows
    )  # fmt: skip


def _empty_site(tmp_path, new_database):
    base = tmp_path / "second-site"
    base.mkdir()
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": new_database(base),
            "SEARCH_INDEX_DIR": str(base / "search-index"),
            "UPLOAD_DIR": str(base / "uploads"),
        }
    )


def test_round_trip_into_an_empty_site(source_site, runner, tmp_path, new_database):
    before = _site_state()
    path = tmp_path / "out.xml"
    export(runner, path)
    second = _empty_site(tmp_path, new_database)
    with second.app_context():
        result = second.test_cli_runner().invoke(
            args=["import-wxr", str(path), "--uploads", source_site.config["UPLOAD_DIR"]]
        )
        assert result.exit_code == 0, result.output
        after = _site_state()
        for slug, fields in before[0].items():
            assert after[0].get(slug) == fields, slug
        assert after[0].keys() == before[0].keys()
        assert after[1:] == before[1:]
        client = second.test_client()
        body = db.session.scalar(select(Post).where(Post.slug == "river-court-hearing")).body_html
        for url in re.findall(r'src="(/media/[^"]+)"', body):
            with client.get(url) as image:
                assert image.status_code == 200
        users = db.session.scalars(select(User)).all()
        assert all(not u.active and u.password_hash is None for u in users)
        # The same export again is a no-op: the round trip is idempotent too.
        again = second.test_cli_runner().invoke(args=["import-wxr", str(path)])
        assert "created" not in again.output.split("Skipped")[0]
        db.session.remove()
        db.engine.dispose()
