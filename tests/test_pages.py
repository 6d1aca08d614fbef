"""Reader pages over HTTP: every page, every error path, visibility, redirects, headers."""

import re
import time
from datetime import timedelta

import pytest

from hlhr.extensions import db
from hlhr.models import (
    Comment,
    CommentStatus,
    MenuItem,
    PostKind,
    PostStatus,
    PostView,
    Redirect,
    utcnow,
)
from hlhr.publishing import save_post


def test_home_shows_lead_latest_sections_and_sidebar(client, make_post):
    make_post(title="Lead story on enforced disappearances", days_ago=0, sticky=True)
    for n in range(8):
        make_post(title=f"Research note {n}", section="RESEARCH", days_ago=n + 2)
    make_post(title="Picked analysis", section="IMPACT", editors_pick=True, days_ago=30)
    db.session.add(MenuItem(label="HOME", kind="home", position=0))
    db.session.commit()

    page = client.get("/").text

    assert re.search(r"\w+day, \w+ \d{1,2}, \d{4}", page), "today's date in the header"
    lead = page.index('class="lead-story"')
    assert "Lead story on enforced disappearances" in page[lead : lead + 2000]
    assert "Latest Stories" in page
    assert ">RESEARCH</a></h2>" in page and "More in RESEARCH" in page
    assert "Popular News" in page and "Editor's Pick" in page
    assert "Picked analysis" in page[page.index("Editor's Pick") :]
    assert "Recent Posts" in page and "Categories" in page and "All rights reserved" in page
    assert 'aria-current="page">HOME</a>' in page


def test_article_page_has_everything_a_reader_expects(client, make_post):
    others = [
        make_post(title=f"Related report {n}", tags=("detention", "courts")) for n in range(7)
    ]
    body = "\n\n".join(f"Paragraph number {n} of the report." for n in range(1, 6))
    post = make_post(title="Main report", body=body, tags=("detention", "courts"))
    db.session.add_all(
        [
            Comment(post=post, author_name="Ana", author_email="ana@example.org",
                    body="A thoughtful reply.", status=CommentStatus.APPROVED),
            Comment(post=post, author_name="Spammer", author_email="spam@example.org",
                    body="Buy now", status=CommentStatus.SPAM),
        ]
    )  # fmt: skip
    db.session.commit()

    page = client.get(f"/{post.slug}/").text
    body_html = page[page.index('class="article-body"') :]

    assert '<nav class="breadcrumb" aria-label="Breadcrumb">' in page
    assert 'href="/category/news/"' in page and '<h1 dir="auto">Main report</h1>' in page
    second = body_html.index("Paragraph number 2")
    read_also = body_html.index('class="read-also"')
    assert second < read_also < body_html.index("Paragraph number 3"), "after the 2nd paragraph"
    assert len(re.findall(r"<li><a href=\"/related-report", body_html[read_also:])) >= 2
    related = page[page.index("Related Posts") :]
    assert related.count('<article class="card">') == 6
    assert 'rel="tag" href="/tag/detention/"' in page
    assert "A thoughtful reply." in page and "Buy now" not in page
    assert "1 comment" in page
    assert "Leave a Reply" in page
    assert others[-1].title in related, "the newest of those sharing most tags"


def test_static_page_and_archives(client, make_post):
    page = make_post(title="WHO WE ARE", kind=PostKind.PAGE, section=None, tags=())
    for n in range(12):
        make_post(title=f"Archive item {n}", days_ago=n + 1)

    assert "WHO WE ARE" in client.get(f"/{page.slug}/").text
    first = client.get("/category/news/")
    assert first.status_code == 200 and "12 articles" in first.text
    assert first.text.count('<article class="card">') == 10
    assert 'rel="next" href="/category/news/page/2/"' in first.text
    second = client.get("/category/news/page/2/")
    assert second.text.count('<article class="card">') == 2
    assert client.get("/category/news/page/3/").status_code == 404
    assert client.get("/tag/detention/").status_code == 200
    assert client.get("/author/rana-writer/").status_code == 200
    month = utcnow().strftime("/%Y/%m/")
    assert (
        "Archive item 0" in client.get(month).text
        or "Archive item 0" in client.get((utcnow() - timedelta(days=1)).strftime("/%Y/%m/")).text
    )


@pytest.mark.parametrize(
    "path",
    ["/category/nope/", "/tag/nope/", "/author/nope/", "/2024/13/", "/0000/01/", "/no-such-post/"],
)
def test_unknown_archives_are_404_with_search_box(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert 'id="notfound-search"' in response.text and "Page not found" in response.text


def test_unpublished_posts_are_invisible_everywhere(client, make_post):
    hidden = [
        make_post(title="Draft piece", status=PostStatus.DRAFT),
        make_post(title="Pending piece", status=PostStatus.PENDING),
        make_post(title="Future piece", days_ago=-3),
        make_post(title="Expired piece", expires_at=utcnow() - timedelta(minutes=1)),
    ]
    make_post(title="Visible piece")
    pages = [client.get(p).text for p in ("/", "/category/news/", "/tag/detention/")]
    for post in hidden:
        assert client.get(f"/{post.slug}/").status_code == 404
        assert all(post.title not in text for text in pages)
    assert all("Visible piece" in text for text in pages)


def test_scheduled_post_goes_live_on_time_without_a_job(client, make_post):
    make_post(title="Already out")
    client.get("/")  # fills the sidebar cache
    soon = make_post(title="Scheduled piece", status=PostStatus.SCHEDULED, days_ago=0)
    soon.published_at = utcnow() + timedelta(seconds=1.5)
    save_post(soon, soon.author)
    assert soon.status == PostStatus.SCHEDULED
    assert client.get(f"/{soon.slug}/").status_code == 404
    assert "Scheduled piece" not in client.get("/").text

    time.sleep(1.6)

    assert client.get(f"/{soon.slug}/").status_code == 200
    home = client.get("/").text
    assert home.count("Scheduled piece") >= 2, "in the lead and in the cached sidebar lists"


def test_expiry_removes_a_post(client, make_post):
    post = make_post(title="Short-lived notice", expires_at=utcnow() + timedelta(seconds=1))
    assert client.get(f"/{post.slug}/").status_code == 200
    time.sleep(1.1)
    assert client.get(f"/{post.slug}/").status_code == 404


def test_changed_slug_redirects_old_links(client, make_post):
    post = make_post(title="Original headline")
    old = f"/{post.slug}/"
    post.slug = "corrected-headline"
    save_post(post, post.author)
    response = client.get(old)
    assert response.status_code == 301 and response.location.endswith("/corrected-headline/")
    db.session.add(Redirect(old_path="/?p=42", new_path="/corrected-headline/"))
    db.session.commit()
    old_id_link = client.get("/?p=42")
    assert old_id_link.status_code == 301, "WordPress ?p= links of imported posts"
    assert old_id_link.location.endswith("/corrected-headline/")
    assert client.get("/?p=43").status_code == 200, "an unknown id is just the home page"
    assert client.get("/old/wordpress/path/").status_code == 404


def test_wordpress_query_redirect(client, make_post):
    make_post(title="Imported")
    db.session.add(Redirect(old_path="/index.php?p=42", new_path="/imported/"))
    db.session.commit()
    response = client.get("/index.php?p=42")
    assert response.status_code == 301 and response.location.endswith("/imported/")


def test_reader_responses_are_cookieless_and_carry_security_headers(client, make_post):
    post = make_post()
    for path in ("/", f"/{post.slug}/", "/category/news/", "/missing/"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        assert "<script>" not in response.text and " style=" not in response.text
        hosts = re.findall(r"(?:src|href|srcset)=\"(?:https?:)?//([^/\"]+)", response.text)
        assert set(hosts) <= {"localhost"}, "nothing from other hosts"


def test_server_error_page_shows_no_traceback(app, client):
    @app.get("/boom/crash")
    def crash():
        raise RuntimeError("secret internals")

    app.testing = False  # let the error handler answer as in production
    response = client.get("/boom/crash")
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert "Something went wrong" in response.text


def test_view_counts_drive_popular_news(client, make_post):
    quiet = make_post(title="Quiet piece", days_ago=1)
    read = make_post(title="Much read piece", days_ago=40)
    db.session.add(PostView(post_id=read.id, day=utcnow().date(), views=50))
    db.session.add(PostView(post_id=quiet.id, day=utcnow().date(), views=2))
    db.session.commit()
    sidebar = client.get("/").text.split("Popular News", 1)[1]
    assert sidebar.index("Much read piece") < sidebar.index("Quiet piece")


def test_media_is_served_sandboxed_and_traversal_is_refused(client, app):
    from pathlib import Path

    upload = Path(app.config["UPLOAD_DIR"])
    upload.mkdir(parents=True, exist_ok=True)
    (upload / "a.jpg").write_bytes(b"\xff\xd8\xff")
    with client.get("/media/a.jpg") as response:
        assert response.status_code == 200
        assert "sandbox" in response.headers["Content-Security-Policy"]
    for path in ("/media/../hlhr.sqlite3", "/media/%2e%2e/hlhr.sqlite3", "/media/..%2fconfig.py"):
        assert client.get(path).status_code == 404
