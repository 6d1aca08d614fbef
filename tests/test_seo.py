"""Canonical URLs, Open Graph, Twitter cards and JSON-LD on reader pages."""

import json
import re
from html.parser import HTMLParser

import pytest

from hlhr.syndication.seo import json_for_script

HOSTILE = '</script><script>alert("x")</script><!-- & é 人'


class HeadReader(HTMLParser):
    """Meta tags, link tags and JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_ld = {}, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_endtag(self, tag):
        self._in_ld = self._in_ld and tag != "script"

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))


def _read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "Set-Cookie" not in response.headers
    reader = HeadReader()
    reader.feed(response.get_data(as_text=True))
    return reader, response.get_data(as_text=True)


def _nodes(reader, kind):
    return [n for block in reader.json_ld for n in block["@graph"] if n["@type"] == kind]


def _canonical(reader):
    return next(link["href"] for link in reader.links if link.get("rel") == "canonical")


def test_article_has_canonical_open_graph_and_news_article(client, make_post):
    post = make_post(title="Courts and détention", tags=("courts", "détention"))
    reader, _ = _read(client, f"/{post.slug}/")
    url = "http://localhost/courts-and-détention/"
    assert _canonical(reader) == "http://localhost/courts-and-d%C3%A9tention/"
    assert reader.meta["og:type"] == "article"
    assert reader.meta["og:title"] == "Courts and détention"
    assert reader.meta["og:description"] == post.excerpt
    assert reader.meta["twitter:card"] == "summary"
    assert reader.meta["article:section"] == "NEWS"
    [article] = _nodes(reader, "NewsArticle")
    assert article["headline"] == "Courts and détention"
    assert article["author"] == {
        "@type": "Person",
        "name": "Rana Writer",
        "url": "http://localhost/author/rana-writer/",
    }
    assert article["datePublished"] == post.published_at.isoformat(timespec="seconds")
    assert article["dateModified"]
    assert article["keywords"] == ["courts", "détention"]
    assert article["url"].startswith("http://localhost/courts-and-d")
    [crumbs] = _nodes(reader, "BreadcrumbList")
    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names == ["Home", "NEWS", "Courts and détention"]
    assert crumbs["itemListElement"][1]["item"] == "http://localhost/category/news/"
    assert url  # the readable form of the canonical URL


def test_featured_image_in_open_graph_and_json_ld(demo_app):
    from hlhr.extensions import db
    from hlhr.models import Post, visible_posts

    post = db.session.scalar(visible_posts().where(Post.featured_media_id.is_not(None)).limit(1))
    reader, _ = _read(demo_app.test_client(), f"/{post.slug}/")
    image = reader.meta["og:image"]
    assert image.startswith("http://localhost/media/")
    assert reader.meta["twitter:card"] == "summary_large_image"
    assert int(reader.meta["og:image:width"]) > 0
    [article] = _nodes(reader, "NewsArticle")
    assert article["image"] == [image]


def test_seo_title_and_description_override(client, make_post):
    post = make_post(
        title="A long editorial title", seo_title="Short SEO title", seo_description="Custom."
    )
    reader, html = _read(client, f"/{post.slug}/")
    assert "<title>Short SEO title" in html
    assert reader.meta["description"] == "Custom."
    assert reader.meta["og:title"] == "Short SEO title"
    assert reader.meta["og:description"] == "Custom."
    assert _nodes(reader, "NewsArticle")[0]["headline"] == "Short SEO title"


def test_hostile_title_cannot_break_out_of_json_ld(client, make_post):
    post = make_post(title=HOSTILE, slug="hostile", seo_description=HOSTILE)
    reader, html = _read(client, f"/{post.slug}/")
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    assert "<" not in scripts[0] and ">" not in scripts[0] and "&" not in scripts[0]
    assert _nodes(reader, "NewsArticle")[0]["headline"] == HOSTILE
    assert "<script>alert" not in html


def test_json_for_script_escapes_markup_characters():
    text = str(json_for_script({"a": "</script><!--&"}))
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026"}'
    assert json.loads(text) == {"a": "</script><!--&"}


def test_home_has_organization_and_website(client, make_post):
    make_post()
    reader, _ = _read(client, "/")
    assert _canonical(reader) == "http://localhost/"
    [org] = _nodes(reader, "Organization")
    assert org["name"] == "HLHR.org"
    assert org["url"] == "http://localhost/"
    assert org["logo"]["url"].startswith("http://localhost/static/")
    [website] = _nodes(reader, "WebSite")
    assert website["potentialAction"]["target"].startswith("http://localhost/search/?q=")


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/category/news/", "NEWS"),
        ("/tag/courts/", "courts"),
        ("/author/rana-writer/", "Rana Writer"),
    ],
)
def test_archives_have_canonical_and_breadcrumbs(client, make_post, url, heading):
    make_post(tags=("courts",))
    reader, _ = _read(client, url)
    assert _canonical(reader) == f"http://localhost{url}"
    [crumbs] = _nodes(reader, "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]] == ["Home", heading]
    assert _nodes(reader, "CollectionPage")[0]["name"] == heading


def test_static_page_has_web_page(client, make_post):
    page = make_post(title="About us", kind="page", section=None, tags=())
    reader, _ = _read(client, f"/{page.slug}/")
    assert _canonical(reader) == "http://localhost/about-us/"
    assert _nodes(reader, "WebPage")[0]["name"] == "About us"
    assert not _nodes(reader, "NewsArticle")


def test_site_url_setting_is_used_and_no_other_host_is_named(app, client, make_post):
    app.config["SITE_URL"] = "https://hlhr.example"
    post = make_post(title="Hosted here")
    reader, html = _read(client, f"/{post.slug}/")
    assert _canonical(reader) == "https://hlhr.example/hosted-here/"
    hosts = set(re.findall(r"https?://([^/\"'\s<]+)", html))
    assert hosts <= {"hlhr.example", "schema.org"}


def test_invisible_posts_have_no_metadata(client, make_post):
    from hlhr.models import PostStatus

    draft = make_post(title="Secret draft", status=PostStatus.DRAFT)
    make_post(title="Public one")
    for url in ("/", "/category/news/", "/feed/", "/sitemap-posts-1.xml"):
        assert "Secret draft" not in client.get(url).get_data(as_text=True)
        assert draft.slug not in client.get(url).get_data(as_text=True)
