"""Plain, cacheable summaries of posts and images for templates (no lazy loads later)."""

from dataclasses import dataclass
from datetime import datetime

from flask import url_for

from .models import Media, Post


@dataclass(frozen=True, slots=True)
class Rendition:
    url: str
    width: int
    mime: str


@dataclass(frozen=True, slots=True)
class Picture:
    """An image with its renditions, ready for ``<picture>`` with ``srcset``."""

    src: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    renditions: tuple[Rendition, ...]

    def srcset(self, mime):
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions if r.mime == mime)

    @property
    def formats(self):
        return sorted({r.mime for r in self.renditions}, key=lambda m: m != "image/webp")


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


def media_url(name):
    return url_for("public.media", filename=name)


def picture(media: Media | None) -> Picture | None:
    if media is None:
        return None
    renditions = tuple(
        Rendition(media_url(r["name"]), r["width"], r["mime"]) for r in media.renditions or ()
    )
    return Picture(
        src=media_url(media.stored_name),
        width=media.width,
        height=media.height,
        alt=media.alt_text,
        caption=media.caption,
        credit=media.credit,
        renditions=renditions,
    )


def section_link(category):
    if category is None:
        return None
    return Link(category.name, url_for("public.category", slug=category.slug))


def card(post: Post) -> Card:
    """A post as a card; the caller loads author, category, featured and comment_count."""
    return Card(
        id=post.id,
        title=post.title,
        url=url_for("public.post", slug=post.slug),
        published_at=post.published_at,
        excerpt=post.excerpt,
        section=section_link(post.category),
        author=Link(post.author.display_name, url_for("public.author", slug=post.author.slug)),
        picture=picture(post.featured),
        comment_count=post.__dict__.get("comment_count") or 0,
    )


def cards(posts) -> list[Card]:
    return [card(p) for p in posts]
