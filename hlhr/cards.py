"""Plain, cacheable summaries of posts and images for templates (no lazy loads later)."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask import g, url_for

from .models import Media, Post


@dataclass(frozen=True, slots=True)
class Picture:
    """An image ready for ``<picture>``: one (mime, srcset) source per format, WebP first.

    ``thumbnail`` is one URL for a small preview (the live search box): the narrowest
    rendition, WebP at that width, or the original when the image has no renditions.
    """

    src: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    sources: tuple[tuple[str, str], ...]
    thumbnail: str


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    title: str
    url: str
    published_at: datetime | None
    excerpt: str
    section: Link | None
    author: Link
    picture: Picture | None
    comment_count: int


_SLOT = "HLHRSLOT"


def _url_template(endpoint: str, arg: str) -> tuple[str, str]:
    """(before, after) the variable part of ``endpoint``'s URL, routed once per request.

    Cards need hundreds of URLs per page; routing each through ``url_for`` cost more than
    the rest of the card, so the router builds one URL with a marker and we fill it in.
    """
    templates = g.setdefault("url_templates", {})
    if endpoint not in templates:
        before, _, after = url_for(endpoint, **{arg: _SLOT}).partition(_SLOT)
        templates[endpoint] = (before, after)
    return templates[endpoint]


def media_url(name: str) -> str:
    before, after = _url_template("public.media", "filename")
    return f"{before}{quote(name)}{after}"


def post_url(slug: str) -> str:
    before, after = _url_template("public.post", "slug")
    return f"{before}{quote(slug, safe='')}{after}"


def picture(media: Media | None) -> Picture | None:
    if media is None:
        return None
    by_mime = {}
    for rendition in media.renditions or ():
        by_mime.setdefault(rendition["mime"], []).append(
            f"{media_url(rendition['name'])} {rendition['width']}w"
        )
    order = sorted(by_mime, key=lambda mime: mime != "image/webp")
    return Picture(
        src=media_url(media.stored_name),
        width=media.width,
        height=media.height,
        alt=media.alt_text,
        caption=media.caption,
        credit=media.credit,
        sources=tuple((mime, ", ".join(by_mime[mime])) for mime in order),
        thumbnail=media_url(_narrowest(media)),
    )


def _narrowest(media: Media) -> str:
    """File name of the narrowest rendition (WebP before the original format), else the original."""
    narrowest = min(
        media.renditions or (),
        key=lambda rendition: (rendition["width"], rendition["mime"] != "image/webp"),
        default=None,
    )
    return narrowest["name"] if narrowest else media.stored_name


def section_link(category):
    if category is None:
        return None
    return Link(category.name, url_for("public.category", slug=category.slug))


def card(post: Post) -> Card:
    """A post as a card; the caller loads author, category, featured and comment_count."""
    return Card(
        id=post.id,
        title=post.title,
        url=post_url(post.slug),
        published_at=post.published_at,
        excerpt=post.excerpt,
        section=section_link(post.category),
        author=Link(post.author.display_name, url_for("public.author", slug=post.author.slug)),
        picture=picture(post.featured),
        comment_count=post.__dict__.get("comment_count") or 0,
    )


def cards(posts) -> list[Card]:
    return [card(p) for p in posts]
