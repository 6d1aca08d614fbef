"""What search engines and link previews read: canonical URL, Open Graph, Twitter card,
JSON-LD (NewsArticle, BreadcrumbList, Organization) and alternate feed links.

``page_meta`` reads the context a reader template was rendered with (``post``, ``page``,
``pagination``/``heading``, ``lead``), so views need not know about SEO.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app, request, url_for
from markupsafe import Markup

from ..cards import picture
from ..models import Post
from ..site import site_context
from .feeds import tag_uri
from .urls import absolute, site_root, slug_path

HEADLINE_LIMIT = 110  # Google's limit for NewsArticle.headline
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
FEED_SCOPES = {"public.category": "category", "public.tag": "tag", "public.author": "author"}


@dataclass(frozen=True, slots=True)
class FeedLink:
    title: str
    url: str
    mime: str


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical: str | None = None
    og_type: str = "website"
    image: Image | None = None
    article: Post | None = None
    json_ld: Markup | None = None
    feeds: tuple[FeedLink, ...] = ()


def site_name() -> str:
    """The site name from the settings (the editor can change it), else SITE_NAME."""
    return site_context().settings["site_name"]


def json_for_script(data) -> Markup:
    """JSON for a <script type="application/ld+json">: no ``<``, ``>`` or ``&`` survive, so
    no ``</script>`` or ``<!--`` in a title can end or bend the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_SAFE))  # noqa: S704 - escaped just above


def page_meta(context) -> PageMeta:
    """Metadata for the reader page rendered with ``context`` (a Jinja context or dict)."""
    post, page = context.get("post"), context.get("page")
    if isinstance(post, Post):
        return _article_meta(post, context.get("featured"))
    if isinstance(page, Post):
        return _static_page_meta(page)
    if context.get("pagination") is not None and context.get("heading"):
        return _archive_meta(context)
    if "lead" in context and "latest" in context:
        return _home_meta(context.get("lead"))
    return PageMeta(title=site_name(), description="", feeds=site_feeds())


def site_feeds() -> tuple[FeedLink, ...]:
    name = site_name()
    return (
        FeedLink(f"{name} (RSS)", url_for("public.site_feed"), "application/rss+xml"),
        FeedLink(f"{name} (Atom)", url_for("public.site_feed_atom"), "application/atom+xml"),
    )


def _scope_feeds(endpoint_args, heading) -> tuple[FeedLink, ...]:
    scope = FEED_SCOPES.get((endpoint_args or {}).get("endpoint"))
    if scope is None:
        return ()
    slug = endpoint_args["slug"]
    title = f"{site_name()}: {heading}"
    return (
        FeedLink(
            f"{title} (RSS)",
            url_for("public.scoped_feed", scope=scope, slug=slug),
            "application/rss+xml",
        ),
        FeedLink(
            f"{title} (Atom)",
            url_for("public.scoped_feed_atom", scope=scope, slug=slug),
            "application/atom+xml",
        ),
    )


def _image(picture) -> Image | None:
    if picture is None:
        return None
    return Image(absolute(picture.src), picture.width, picture.height, picture.alt)


def organization() -> dict:
    root = site_root()
    return {
        "@type": "Organization",
        "@id": f"{root}/#organization",
        "name": site_name(),
        "url": f"{root}/",
        "logo": {
            "@type": "ImageObject",
            "url": absolute(url_for("static", filename="img/favicon.svg")),
        },
    }


def breadcrumbs(*crumbs: tuple[str, str]) -> dict:
    """BreadcrumbList from (name, absolute URL) pairs, the home page first."""
    items = [("Home", site_root() + "/"), *crumbs]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(items, start=1)
        ],
    }


def _graph(*nodes) -> Markup:
    return json_for_script({"@context": "https://schema.org", "@graph": list(nodes)})


def _article_meta(post: Post, picture) -> PageMeta:
    url = absolute(slug_path("public.post", post.slug))
    image = _image(picture)
    crumbs = []
    if post.category is not None:
        section_url = absolute(slug_path("public.category", post.category.slug))
        crumbs.append((post.category.name, section_url))
    crumbs.append((post.title, url))
    return PageMeta(
        title=post.display_title,
        description=post.seo_description or post.excerpt,
        canonical=url,
        og_type="article",
        image=image,
        article=post,
        json_ld=_graph(news_article(post, url, image), breadcrumbs(*crumbs), organization()),
        feeds=site_feeds(),
    )


def news_article(post: Post, url: str, image: Image | None) -> dict:
    author = post.author
    data = {
        "@type": "NewsArticle",
        "@id": tag_uri(post),
        "mainEntityOfPage": url,
        "url": url,
        "headline": post.display_title[:HEADLINE_LIMIT],
        "description": post.seo_description or post.excerpt,
        "datePublished": _iso(post.published_at),
        "dateModified": _iso(max(post.published_at, post.updated_at or post.published_at)),
        "author": {
            "@type": "Person",
            "name": author.display_name,
            "url": absolute(slug_path("public.author", author.slug)),
        },
        "publisher": {"@id": f"{site_root()}/#organization"},
        "inLanguage": "en",
    }
    if image is not None:
        data["image"] = [image.url]
    if post.category is not None:
        data["articleSection"] = post.category.name
    if post.tags:
        data["keywords"] = [t.name for t in post.tags]
    return data


def _static_page_meta(page: Post) -> PageMeta:
    url = absolute(slug_path("public.post", page.slug))
    web_page = {"@type": "WebPage", "url": url, "name": page.display_title}
    return PageMeta(
        title=page.display_title,
        description=page.seo_description or page.excerpt,
        canonical=url,
        image=_image(picture(page.featured)),
        json_ld=_graph(web_page, breadcrumbs((page.title, url)), organization()),
        feeds=site_feeds(),
    )


def _archive_meta(context) -> PageMeta:
    heading, kind = context["heading"], context.get("kind", "")
    url = site_root() + quote(request.path)
    description = context.get("description") or f"{kind}: {heading}"
    collection = {"@type": "CollectionPage", "url": url, "name": heading}
    return PageMeta(
        title=heading,
        description=description,
        canonical=url,
        json_ld=_graph(collection, breadcrumbs((heading, url)), organization()),
        feeds=_scope_feeds(context.get("endpoint_args"), heading) + site_feeds(),
    )


def _home_meta(lead) -> PageMeta:
    root = site_root()
    website = {
        "@type": "WebSite",
        "@id": f"{root}/#website",
        "url": f"{root}/",
        "name": site_name(),
        "publisher": {"@id": f"{root}/#organization"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{root}/search/?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    }
    return PageMeta(
        title=site_name(),
        description=current_app.config["SITE_TAGLINE"],
        canonical=f"{root}/",
        image=_image(lead.picture) if lead is not None else None,
        json_ld=_graph(organization(), website),
        feeds=site_feeds(),
    )


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") if value else ""
