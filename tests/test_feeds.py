"""RSS/Atom feeds, sitemaps and robots.txt: well-formed, visible posts only, cookie-free."""

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest

from hlhr.extensions import db
from hlhr.models import PostStatus, Setting, utcnow

HOSTILE_TITLES = [
    "Genève: droits de l’homme — «procès» 2024",
    "حقوق الإنسان في المحاكم",
    "</title><script>alert(1)</script>",
    "Fish & Chips <b>bold</b> ]]> &amp; &lt;",
    "Bell\x07 and\x00 null\x1b escape",
    "Ünïcödé 🕊️ 人权 \u202eRTL override",
    "\"quoted\" 'single' `tick`",
]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def site(make_post):
    """Visible posts with hostile titles, and posts readers must never see."""
    visible = [
        make_post(title=title, slug=f"hostile-{n}", days_ago=n + 1, tags=("détention", "courts"))
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    hidden = [
        make_post(title="Draft never shown", status=PostStatus.DRAFT),
        make_post(title="Scheduled for later", days_ago=-2),
        make_post(title="Expired story", expires_at=utcnow() - timedelta(hours=1)),
        make_post(title="Pending review", status=PostStatus.PENDING),
    ]
    return visible, hidden


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "Set-Cookie" not in response.headers
    feed = feedparser.parse(response.data)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return response, feed


@pytest.mark.parametrize(
    "url",
    [
        "/feed/",
        "/feed/atom/",
        "/category/news/feed/",
        "/category/news/feed/atom/",
        "/tag/courts/feed/",
        "/tag/courts/feed/atom/",
        "/author/rana-writer/feed/",
        "/author/rana-writer/feed/atom/",
    ],
)
def test_feeds_are_well_formed_and_list_only_visible_posts(client, site, url):
    visible, _hidden = site
    response, feed = _parse(client, url)
    kind = "atom" if "atom" in url else "rss"
    assert response.mimetype == f"application/{kind}+xml"
    titles = [e.title for e in feed.entries]
    assert len(titles) == len(visible)
    assert "Draft never shown" not in titles and "Expired story" not in titles
    assert "Scheduled for later" not in titles and "Pending review" not in titles
    assert titles[0] == HOSTILE_TITLES[0]  # newest first
    assert "حقوق الإنسان في المحاكم" in titles
    assert "Bell and null escape" in titles  # XML-invalid control characters dropped
    assert "</title><script>alert(1)</script>" in titles


def test_feed_entries_carry_link_dates_author_section_tags(client, site):
    visible, _ = site
    _, feed = _parse(client, "/feed/atom/")
    entry = feed.entries[0]
    assert entry.link == f"http://localhost/{visible[0].slug}/"
    assert entry.author == "Rana Writer"
    assert {t.term for t in entry.tags} >= {"news", "détention", "courts"}
    assert entry.published_parsed[:6] == visible[0].published_at.utctimetuple()[:6]
    assert entry.id.startswith("tag:localhost,")
    _, rss = _parse(client, "/feed/")
    assert rss.entries[0].author == "Rana Writer"
    assert {t.term for t in rss.entries[0].tags} >= {"NEWS", "détention"}


def test_feed_holds_twenty_newest(client, make_post):
    for n in range(23):
        make_post(title=f"Story number {n}", days_ago=n + 1)
    _, feed = _parse(client, "/feed/")
    assert len(feed.entries) == 20
    assert feed.entries[0].title == "Story number 0"
    assert feed.entries[-1].title == "Story number 19"


def test_summary_or_full_text_by_setting(client, app, make_post):
    make_post(title="Long read", body="Para one with [a link](/about/).\n\nPara two.")
    _, feed = _parse(client, "/feed/")
    assert "content" not in feed.entries[0]
    assert feed.entries[0].summary.startswith("Para one")
    db.session.add(Setting(key="feed_content", value="full"))
    db.session.commit()
    _, feed = _parse(client, "/feed/atom/")
    html = feed.entries[0].content[0].value
    assert "<p>Para two.</p>" in html
    assert 'href="http://localhost/about/"' in html  # absolute for feed readers


def test_feed_has_featured_image_enclosure(demo_app):
    client = demo_app.test_client()
    _, feed = _parse(client, "/feed/")
    enclosures = [e for entry in feed.entries for e in entry.get("enclosures", [])]
    assert enclosures, "demo posts have featured images"
    assert enclosures[0].href.startswith("http://localhost/media/")
    with client.get(urlsplit(enclosures[0].href).path) as image:
        assert image.status_code == 200


def test_unknown_scopes_answer_404(client, site):
    for url in ("/category/nope/feed/", "/tag/nope/feed/atom/", "/author/nope/feed/"):
        assert client.get(url).status_code == 404


def test_empty_site_feed_is_valid(client):
    _, feed = _parse(client, "/feed/atom/")
    assert feed.entries == []


@pytest.mark.parametrize(
    ("url", "feeds"),
    [
        ("/", ["/feed/", "/feed/atom/"]),
        ("/category/news/", ["/category/news/feed/", "/category/news/feed/atom/", "/feed/"]),
        ("/tag/courts/", ["/tag/courts/feed/", "/tag/courts/feed/atom/"]),
        ("/author/rana-writer/", ["/author/rana-writer/feed/", "/author/rana-writer/feed/atom/"]),
    ],
)
def test_pages_link_their_feeds(client, site, url, feeds):
    html = client.get(url).get_data(as_text=True)
    for feed in feeds:
        assert f'type="application/{"atom" if "atom" in feed else "rss"}+xml"' in html
        assert f'href="{feed}"' in html


def _sitemap_locs(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "Set-Cookie" not in response.headers
    root = ElementTree.fromstring(response.data)
    return root, [el.text for el in root.iter(f"{SITEMAP_NS}loc")]


def _all_sitemap_urls(client):
    index, files = _sitemap_locs(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    urls = []
    for file_url in files:
        urlset, locs = _sitemap_locs(client, urlsplit(file_url).path)
        assert urlset.tag == f"{SITEMAP_NS}urlset"
        assert all(u.find(f"{SITEMAP_NS}lastmod") is not None for u in urlset)
        urls += locs
    return files, urls


def test_sitemap_lists_visible_content_and_every_url_answers_200(client, site, make_post):
    make_post(title="About us", kind="page", section=None, tags=())
    visible, hidden = site
    files, urls = _all_sitemap_urls(client)
    assert len(files) == 4  # posts, pages, sections, tags
    paths = [urlsplit(u).path for u in urls]
    assert len(paths) == len(set(paths))
    for post in visible:
        assert f"/{post.slug}/" in paths
    for post in hidden:
        assert f"/{post.slug}/" not in paths
    assert {"/", "/about-us/", "/category/news/", "/tag/courts/"} <= set(paths)
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_sitemap_splits_files_at_the_limit(app, client, site):
    app.config["SITEMAP_MAX_URLS"] = 2
    files, urls = _all_sitemap_urls(client)
    assert sum("sitemap-posts-" in f for f in files) == 4  # 7 posts, 2 per file
    assert len([u for u in urls if "hostile-" in u]) == len(HOSTILE_TITLES)
    assert client.get("/sitemap-posts-5.xml").status_code == 404
    assert client.get("/sitemap-posts-0.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap(app, client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in response.get_data(as_text=True)
    assert "Disallow: /editor/" in response.get_data(as_text=True)
    app.config["SITE_URL"] = "https://hlhr.example/"
    text = app.test_client().get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: https://hlhr.example/sitemap.xml" in text


def test_sitemap_urls_use_site_url(app, client, site):
    app.config["SITE_URL"] = "https://hlhr.example"
    _, files = _sitemap_locs(client, "/sitemap.xml")
    assert all(f.startswith("https://hlhr.example/sitemap-") for f in files)
