"""``flask export-wxr``: the whole site as a WXR 1.2 file WordPress's importer accepts.

Written as a stream (rows are read in batches), to a temporary name renamed at the end,
so a failed export never leaves half a file. Password hashes are never written; comment
IP addresses are empty because we never had them.
"""

import os
from collections import defaultdict
from datetime import UTC
from email.utils import format_datetime
from html import escape
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Category, Comment, Media, Post, PostStatus, PostView, Tag, User
from ..syndication.urls import xml_text
from .links import body_sha256
from .media import MEDIA_PREFIX

STATUSES = {
    PostStatus.PUBLISHED: "publish",
    PostStatus.SCHEDULED: "future",
    PostStatus.DRAFT: "draft",
    PostStatus.PENDING: "pending",
    PostStatus.TRASH: "trash",
}
COMMENT_STATUSES = {"approved": "1", "pending": "0", "spam": "spam", "trash": "trash"}
NO_DATE = "0000-00-00 00:00:00"
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file written by HLHR: import it with the WordPress
     Importer (Tools > Import > WordPress). -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
"""
BATCH = 500


def cdata(value) -> str:
    """Text in CDATA the way WordPress writes it (a ``]]>`` inside is split in two)."""
    return "<![CDATA[" + xml_text(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text(value) -> str:
    return escape(xml_text(value), quote=True)


def tag(name: str, value, raw=False) -> str:
    return f"<{name}>{value if raw else cdata(value)}</{name}>"


def export_wxr(path, site_url: str) -> dict:
    """Write the site to ``path``; return how many of each kind were written."""
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8") as out:
            counts = _Exporter(out, site_url).write()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return counts


class _Exporter:
    def __init__(self, out, site_url):
        self.out, self.site = out, site_url
        self.zone = ZoneInfo(current_app.config["SITE_TIMEZONE"])
        self.counts = defaultdict(int)
        self.media_offset = db.session.scalar(select(func.max(Post.id))) or 0
        self.tag_offset = db.session.scalar(select(func.max(Category.id))) or 0

    def write(self) -> dict:
        self.out.write(HEAD)
        self._channel()
        for user in db.session.scalars(select(User).order_by(User.id)):
            self._author(user)
        for category in _parents_first(db.session.scalars(select(Category)).all()):
            self._category(category)
        for term in db.session.scalars(select(Tag).order_by(Tag.id)):
            self._tag(term)
        # Closed even when writing fails: on PostgreSQL a batched read holds a server cursor.
        with db.session.scalars(select(Media).order_by(Media.id)).yield_per(BATCH) as media_rows:
            for media in media_rows:
                self._attachment(media)
        self._posts()
        self.out.write("</channel>\n</rss>\n")
        return dict(self.counts)

    def _w(self, *lines) -> None:
        self.out.write("\n".join(lines) + "\n")

    def _channel(self) -> None:
        from ..site import get_settings

        name = get_settings()["site_name"]
        self._w(
            tag("title", text(name), raw=True),
            tag("link", text(self.site), raw=True),
            tag("description", text(current_app.config["SITE_TAGLINE"]), raw=True),
            tag("language", "en", raw=True),
            tag("wp:wxr_version", "1.2", raw=True),
            tag("wp:base_site_url", text(self.site), raw=True),
            tag("wp:base_blog_url", text(self.site), raw=True),
            tag("generator", "HLHR", raw=True),
        )

    def _author(self, user: User) -> None:
        self.counts["authors"] += 1
        self._w(
            "<wp:author>"
            + tag("wp:author_id", user.id, raw=True)
            + tag("wp:author_login", user.slug)
            + tag("wp:author_email", user.email)
            + tag("wp:author_display_name", user.display_name)
            + tag("wp:author_first_name", "")
            + tag("wp:author_last_name", "")
            + "</wp:author>"
        )

    def _category(self, category: Category) -> None:
        self.counts["sections"] += 1
        parent = category.parent.slug if category.parent else ""
        self._w(
            "<wp:category>"
            + tag("wp:term_id", category.id, raw=True)
            + tag("wp:category_nicename", _wp_slug(category.slug))
            + tag("wp:category_parent", _wp_slug(parent))
            + tag("wp:cat_name", category.name)
            + tag("wp:category_description", category.description)
            + "</wp:category>"
        )

    def _tag(self, term: Tag) -> None:
        self.counts["tags"] += 1
        self._w(
            "<wp:tag>"
            + tag("wp:term_id", term.id + self.tag_offset, raw=True)
            + tag("wp:tag_slug", _wp_slug(term.slug))
            + tag("wp:tag_name", term.name)
            + "</wp:tag>"
        )

    def _dates(self, value) -> tuple[str, str]:
        """(local, GMT) the way WordPress stores them; drafts without a date get zeros."""
        if value is None:
            return NO_DATE, NO_DATE
        local = value.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S")
        return local, value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")

    def _attachment(self, media: Media) -> None:
        self.counts["attachments"] += 1
        url = self.site + MEDIA_PREFIX + quote(media.stored_name)
        local, gmt = self._dates(media.created_at)
        self._w(
            "<item>",
            tag("title", text(media.original_name or media.stored_name), raw=True),
            tag("link", text(url), raw=True),
            tag("dc:creator", ""),
            f'<guid isPermaLink="false">{text(url)}</guid>',
            tag("content:encoded", ""),
            tag("excerpt:encoded", escape(media.caption, quote=False)),
            tag("wp:post_id", media.id + self.media_offset, raw=True),
            tag("wp:post_date", local),
            tag("wp:post_date_gmt", gmt),
            tag("wp:post_name", _wp_slug(Path(media.stored_name).stem)),
            tag("wp:status", "inherit"),
            tag("wp:post_parent", 0, raw=True),
            tag("wp:post_type", "attachment"),
            tag("wp:attachment_url", url),
            _meta("_wp_attached_file", media.stored_name),
            _meta("_wp_attachment_image_alt", media.alt_text),
            "</item>",
        )

    def _posts(self) -> None:
        query = (
            select(Post)
            .options(selectinload(Post.tags))
            .order_by(Post.id)
            .execution_options(yield_per=BATCH)
        )
        with db.session.scalars(query) as posts:
            for post in posts:
                self._post(post)

    def _post(self, post: Post) -> None:
        self.counts[f"{post.kind}s"] += 1
        url = f"{self.site}/{quote(post.slug)}/"
        content = _absolute(post.body_html, self.site)
        local, gmt = self._dates(post.published_at)
        pub_date = format_datetime(post.published_at, usegmt=True) if post.published_at else ""
        self._w(
            "<item>",
            tag("title", text(post.title), raw=True),
            tag("link", text(url), raw=True),
            tag("pubDate", pub_date, raw=True),
            tag("dc:creator", post.author.slug),
            f'<guid isPermaLink="false">{text(self.site)}/?p={post.id}</guid>',
            "<description></description>",
            tag("content:encoded", content),
            tag("excerpt:encoded", escape(post.excerpt, quote=False)),
            tag("wp:post_id", post.id, raw=True),
            tag("wp:post_date", local),
            tag("wp:post_date_gmt", gmt),
            tag("wp:comment_status", "open" if post.comments_open else "closed"),
            tag("wp:ping_status", "closed"),
            tag("wp:post_name", _wp_slug(post.slug)),
            tag("wp:status", STATUSES[post.status]),
            tag("wp:post_parent", 0, raw=True),
            tag("wp:menu_order", post.menu_order, raw=True),
            tag("wp:post_type", post.kind.value),
            tag("wp:post_password", ""),
            tag("wp:is_sticky", int(post.sticky), raw=True),
            *self._terms(post),
            *self._post_meta(post, content),
            *self._comments(post),
            "</item>",
        )

    def _terms(self, post: Post) -> list[str]:
        terms = [("category", post.category)] if post.category else []
        terms += [("post_tag", t) for t in post.tags]
        return [
            f'<category domain="{domain}" nicename="{text(_wp_slug(term.slug))}">'
            f"{cdata(term.name)}</category>"
            for domain, term in terms
        ]

    def _post_meta(self, post: Post, content: str) -> list[str]:
        views = db.session.scalar(
            select(func.sum(PostView.views)).where(PostView.post_id == post.id)
        )
        meta = {
            "_thumbnail_id": post.featured_media_id and post.featured_media_id + self.media_offset,
            "post_views_count": views,
            # HLHR's own fields: WordPress keeps them, and a re-import into HLHR reads them.
            "_hlhr_body_format": post.body_format,
            "_hlhr_body_source": post.body_source,
            "_hlhr_body_sha256": body_sha256(content),
            "_hlhr_seo_title": post.seo_title,
            "_hlhr_seo_description": post.seo_description,
            "_hlhr_expires_at": self._dates(post.expires_at)[1] if post.expires_at else "",
        }
        return [_meta(key, value) for key, value in meta.items() if value]

    def _comments(self, post: Post) -> list[str]:
        rows = db.session.scalars(
            select(Comment).where(Comment.post_id == post.id).order_by(Comment.id)
        )
        return [self._comment(c) for c in rows]

    def _comment(self, comment: Comment) -> str:
        self.counts["comments"] += 1
        local, gmt = self._dates(comment.created_at)
        return (
            "<wp:comment>"
            + tag("wp:comment_id", comment.id, raw=True)
            + tag("wp:comment_author", comment.author_name)
            + tag("wp:comment_author_email", comment.author_email)
            + tag("wp:comment_author_url", text(comment.author_url), raw=True)
            + tag("wp:comment_author_IP", "")
            + tag("wp:comment_date", local)
            + tag("wp:comment_date_gmt", gmt)
            # Our comments are plain text; WordPress reads comment content as HTML.
            + tag("wp:comment_content", escape(comment.body, quote=False))
            + tag("wp:comment_approved", COMMENT_STATUSES[comment.status.value])
            + tag("wp:comment_type", "comment")
            + tag("wp:comment_parent", comment.parent_id or 0, raw=True)
            + tag("wp:comment_user_id", comment.user_id or 0, raw=True)
            + "</wp:comment>"
        )


def _meta(key: str, value) -> str:
    return (
        "<wp:postmeta>" + tag("wp:meta_key", key) + tag("wp:meta_value", value) + "</wp:postmeta>"
    )


def _wp_slug(slug: str) -> str:
    """WordPress keeps Unicode slugs percent-encoded in lower case."""
    return quote(slug or "", safe="-_.~").lower()


def _absolute(html: str, site: str) -> str:
    return html.replace(' href="/', f' href="{site}/').replace(' src="/', f' src="{site}/')


def _parents_first(categories: list[Category]) -> list[Category]:
    """WordPress creates a section's parent before the section: order roots first."""
    children = defaultdict(list)
    for category in categories:
        children[category.parent_id].append(category)
    ordered, queue = [], sorted(children[None], key=lambda c: c.id)
    while queue:
        category = queue.pop(0)
        ordered.append(category)
        queue += sorted(children[category.id], key=lambda c: c.id)
    return ordered
