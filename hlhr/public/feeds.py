"""Feeds, sitemaps and robots.txt on the reader blueprint, and the SEO template helper.

Everything here is built from ``visible_posts`` queries and cached like the reader pages
(``site.cached``: cleared by content commits and at the next publication or expiry).
"""

from flask import Response, abort, url_for
from jinja2 import pass_context

from .. import site
from ..syndication import feeds, seo, sitemap
from ..syndication.urls import site_root
from . import bp, queries


@bp.app_template_global("seo_meta")
@pass_context
def seo_meta(context):
    """The reader page's canonical URL, Open Graph, JSON-LD and feed links."""
    return seo.page_meta(context)


@bp.get("/feed/")
def site_feed():
    return _site_feed("rss")


@bp.get("/feed/atom/")
def site_feed_atom():
    return _site_feed("atom")


# One pair of routes for every archive that has a feed of its own.
SCOPED = "/<any(category, tag, author):scope>/<slug>/feed/"


@bp.get(SCOPED)
def scoped_feed(scope, slug):
    """RSS of one section, tag or author. :raise 404: unknown slug."""
    return _scoped_feed(scope, slug, "rss")


@bp.get(SCOPED + "atom/")
def scoped_feed_atom(scope, slug):
    """Atom of one section, tag or author. :raise 404: unknown slug."""
    return _scoped_feed(scope, slug, "atom")


_SCOPE_FINDERS = {
    "category": queries.category_by_slug,
    "tag": queries.tag_by_slug,
    "author": queries.author_by_slug,
}


def _feed_endpoint(name, fmt):
    return f"public.{name}_feed" + ("_atom" if fmt == "atom" else "")


def _site_feed(fmt):
    name = seo.site_name()

    def build(now):
        query = queries.archive_query(now)
        self_path = url_for(_feed_endpoint("site", fmt))
        return feeds.build_feed(query, name, "/", self_path)

    return _feed_response(("site",), fmt, build)


def _scoped_feed(scope, slug, fmt):
    found = _SCOPE_FINDERS[scope](slug) or abort(404)
    label = getattr(found, "name", None) or found.display_name
    description = getattr(found, "description", None) or getattr(found, "bio", "")
    title = f"{seo.site_name()}: {label}"

    def build(now):
        return feeds.build_feed(
            queries.archive_query(now, **{scope: found}),
            title,
            url_for(f"public.{scope}", slug=slug),
            url_for(_feed_endpoint("scoped", fmt), scope=scope, slug=slug),
            description,
        )

    return _feed_response((scope, slug), fmt, build)


def _feed_response(key, fmt, build):
    """A cached feed; the key carries the site root its absolute URLs were built on."""
    name = seo.site_name()
    text = site.cached(
        ("feed", site_root(), fmt, *key), lambda now: feeds.render_feed(build(now), fmt, name)
    )
    return Response(text, mimetype=feeds.FORMATS[fmt])


@bp.get("/sitemap.xml")
def sitemap_index():
    text = site.cached(
        ("sitemap", site_root()),
        lambda now: feeds.render_xml(
            "feeds/sitemap_index.xml", sitemaps=sitemap.index_entries(now)
        ),
    )
    return Response(text, mimetype="application/xml")


@bp.get("/sitemap-<any(posts, pages, sections, tags):kind>-<int:number>.xml")
def sitemap_part(kind, number):
    """:raise 404: a file number past the end."""

    def build(now):
        urls = sitemap.sitemap_urls(kind, number, now)
        if urls is None:
            return None
        return feeds.render_xml("feeds/urlset.xml", urls=urls, w3c_date=_w3c_date)

    text = site.cached(("sitemap", site_root(), kind, number), build)
    if text is None:
        abort(404)
    return Response(text, mimetype="application/xml")


def _w3c_date(value):
    return value.isoformat(timespec="seconds")


@bp.get("/robots.txt")
def robots():
    return Response(sitemap.robots_txt(), mimetype="text/plain")
