"""Posts and pages from WXR items, through ``publishing.save_post`` (one sanitiser), with
their comments, old-permalink redirects and view counts."""

from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Comment,
    CommentStatus,
    Post,
    PostKind,
    PostStatus,
    PostView,
    Redirect,
    utcnow,
)
from ..publishing import PublishingError, check_slug, make_slug, save_post
from .links import body_sha256, fingerprint
from .markup import comment_text, convert, plain_excerpt

STATUSES = {
    "publish": PostStatus.PUBLISHED,
    "future": PostStatus.SCHEDULED,
    "draft": PostStatus.DRAFT,
    "pending": PostStatus.PENDING,
    "private": PostStatus.DRAFT,  # never public here: readers could not see it there either
    "trash": PostStatus.TRASH,
}
SKIPPED_STATUSES = {
    "auto-draft": "an auto-draft WordPress made, never saved by its author",
    "inherit": "a revision of another post",
}
COMMENT_STATUSES = {
    "1": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
    "post-trashed": CommentStatus.TRASH,
}
VIEW_META_KEYS = ("post_views_count", "views", "_post_views_count", "hlhr_views")
SEO_META = {
    "seo_title": ("_hlhr_seo_title", "_yoast_wpseo_title", "rank_math_title"),
    "seo_description": ("_hlhr_seo_description", "_yoast_wpseo_metadesc", "rank_math_description"),
}
NO_DATE = "0000-00-00 00:00:00"
NOTE = "Imported from WordPress"


def wp_datetime(value: str, zone: ZoneInfo | None = None) -> datetime | None:
    """WordPress's "2023-04-11 07:30:00" (GMT, or local time in ``zone``) as aware UTC."""
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        naive = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return naive.replace(tzinfo=zone or UTC).astimezone(UTC)


def item_label(item) -> str:
    return f"{item.post_type} {item.wp_id} “{item.title.strip()[:60]}”"


class PostImporter:
    def __init__(self, links, terms, attachments, old_sites, zone_name, report):
        self.links, self.terms, self.attachments = links, terms, attachments
        self.old_sites, self.zone, self.report = old_sites, ZoneInfo(zone_name), report
        self._redirects_by_path = None
        self._new_redirects: list[dict] = []

    def finish(self) -> None:
        """Write the new redirects in one statement (executemany), after the last item."""
        if self._new_redirects:
            now = utcnow()
            rows = [{**row, "created_at": now} for row in self._new_redirects]
            db.session.execute(Redirect.__table__.insert(), rows)
            self._new_redirects.clear()

    def add(self, item) -> None:
        reason = self._skip_reason(item)
        if reason:
            self.report.skip(item_label(item), reason)
            return
        post, outcome = self._post(item)
        if outcome != "unchanged":  # an unchanged item's redirects and views are in place
            self._redirects(item, post)
            self._views(item, post, outcome)
        CommentImporter(self, post, item).run()

    def _skip_reason(self, item) -> str:
        if item.post_type not in ("post", "page"):
            return f"post type “{item.post_type}” has no counterpart here"
        if item.status in SKIPPED_STATUSES:
            return SKIPPED_STATUSES[item.status]
        if item.status not in STATUSES:
            return f"unknown status “{item.status}”"
        return ""

    def _post(self, item) -> tuple[Post, str]:
        print_ = fingerprint(item, leave_out=("comments",))
        known = self.links.get("post", item.wp_id)
        post = db.session.get(Post, known[0]) if known else None
        if post is not None and known[1] == print_:
            self.report.count(item.post_type, "unchanged")
            return post, "unchanged"
        outcome = "updated" if post is not None else "created"
        post = post or Post()
        self._fill(post, item)
        try:
            save_post(post, None, note=NOTE, commit=False)
        except PublishingError as exc:  # save_post refused: say so, keep the transaction
            raise PublishingError(f"{item_label(item)}: {exc}") from exc
        self.links.put("post", item.wp_id, post.id, print_)
        if self._redirects_by_path is not None:  # save_post dropped any redirect from here
            self._redirects_by_path.pop(f"/{post.slug}/", None)
        self.report.count(item.post_type, outcome)
        return post, outcome

    def _fill(self, post: Post, item) -> None:
        post.kind = PostKind.PAGE if item.post_type == "page" else PostKind.POST
        post.title = (item.title.strip() or f"Untitled {item.post_type} {item.wp_id}")[:300]
        post.slug = self._slug(item)
        post.body_format, post.body_source = self._body(item)
        post.excerpt = plain_excerpt(item.excerpt)
        post.status = self._status(item)
        post.published_at = self._published_at(item)
        post.expires_at = wp_datetime(item.meta.get("_hlhr_expires_at", ""))
        post.author_id = self.terms.author_id(item.creator.strip())
        post.category_id, post.tags = self._taxonomy(item)
        post.sticky = item.is_sticky
        post.comments_open = item.comment_status.strip() != "closed"
        post.menu_order = item.menu_order
        post.featured_media_id = self.attachments.ids.get(_int(item.meta.get("_thumbnail_id")))
        for field_name, keys in SEO_META.items():
            value = next((item.meta[k] for k in keys if item.meta.get(k)), "")
            setattr(post, field_name, "" if "%%" in value else value.strip()[:300])

    def _body(self, item) -> tuple[str, str]:
        """Our own exports carry the body's source; used only while the content is the one
        exported with it (an edit made in WordPress since then wins)."""
        body_format = item.meta.get("_hlhr_body_format")
        if body_format in ("markdown", "html") and item.meta.get(
            "_hlhr_body_sha256"
        ) == body_sha256(item.content):
            return body_format, self.attachments.relink(item.meta.get("_hlhr_body_source", ""))
        return "html", convert(item.content, self.old_sites, self.attachments.url_for_path)

    def _slug(self, item) -> str:
        for candidate in (unquote(item.post_name.strip()), item.title):
            base = make_slug(candidate)
            if not base:
                continue
            try:
                return check_slug(base)
            except PublishingError:
                self.report.note(f"{item_label(item)}: slug “{base}” is reserved here")
                return check_slug(f"{base}-{item.wp_id}")
        return f"{item.post_type}-{item.wp_id}"

    def _status(self, item) -> PostStatus:
        status = STATUSES[item.status]
        if item.status == "private":
            self.report.note(f"{item_label(item)}: private in WordPress, imported as a draft")
        if item.post_password.strip() and status == PostStatus.PUBLISHED:
            self.report.note(f"{item_label(item)}: password-protected, imported as a draft")
            status = PostStatus.DRAFT
        return status

    def _published_at(self, item) -> datetime | None:
        found = wp_datetime(item.post_date_gmt) or wp_datetime(item.post_date, self.zone)
        if STATUSES[item.status] in (PostStatus.DRAFT, PostStatus.PENDING):
            return wp_datetime(item.post_date_gmt)  # WordPress drafts have no date yet
        return found

    def _taxonomy(self, item):
        category_id, tags = None, []
        for domain, raw_slug, name in item.terms:
            if domain == "category" and category_id is None:
                category_id = self.terms.category_id(raw_slug, name)
            elif domain == "category":
                self.report.note(f"{item_label(item)}: also in section “{name}” (one kept)")
            elif domain == "post_tag":
                tag = self.terms.tag(raw_slug, name)
                tags += [tag] if tag is not None and tag not in tags else []
        return category_id, tags

    def _redirects(self, item, post: Post) -> None:
        """Old permalinks (the item's link, ``?p=ID``, ``?page_id=ID``) answer 301."""
        new_path = f"/{post.slug}/"
        link = urlsplit(item.link.strip())
        old_paths = {f"/?p={item.wp_id}"}
        if item.post_type == "page":
            old_paths.add(f"/?page_id={item.wp_id}")
        if link.path:
            old_paths.add(unquote(link.path) + (f"?{link.query}" if link.query else ""))
        for old_path in sorted(old_paths - {new_path}):
            self._ensure_redirect(old_path[:1000], new_path)

    def _ensure_redirect(self, old_path: str, new_path: str) -> None:
        """Plain statements and a dict of paths, not Redirect objects: thousands of those in
        the session would make every save_post's redirect cleanup scan them all."""
        if self._redirects_by_path is None:
            rows = db.session.execute(select(Redirect.old_path, Redirect.new_path))
            self._redirects_by_path = dict(rows.all())
        table = Redirect.__table__
        current = self._redirects_by_path.get(old_path)
        if current is None:
            self._new_redirects.append({"old_path": old_path, "new_path": new_path})
        elif current != new_path:
            db.session.execute(
                table.update().where(table.c.old_path == old_path).values(new_path=new_path)
            )
        self._redirects_by_path[old_path] = new_path

    def _views(self, item, post: Post, outcome: str) -> None:
        views = max((_int(item.meta.get(key)) for key in VIEW_META_KEYS), default=0)
        if views <= 0:
            return
        day = (post.published_at or utcnow()).date()
        row = None if outcome == "created" else db.session.get(PostView, (post.id, day))
        if row is None:
            db.session.add(PostView(post_id=post.id, day=day, views=views))
        elif row.views != views:
            row.views = views


def _int(value) -> int:
    try:
        return int(str(value or "0").strip())
    except ValueError:
        return 0


class CommentImporter:
    """One item's comments, threads kept: parents are linked after all are stored."""

    def __init__(self, owner: PostImporter, post: Post, item):
        self.owner, self.post, self.item = owner, post, item
        self.local: dict[int, int] = {}
        self.changed: list[tuple[Comment, object, str]] = []

    def run(self) -> None:
        for data in self.item.comments:
            self._comment(data)
        if not self.changed:
            return
        db.session.flush()  # one flush gives every new comment of the post its id
        for comment, data, print_ in self.changed:
            self.owner.links.put("comment", data.wp_id, comment.id, print_)
            self.local[data.wp_id] = comment.id
        for comment, data, _print in self.changed:
            self._link_parent(comment, data.parent)

    def _link_parent(self, comment: Comment, wp_parent: int) -> None:
        parent = self.local.get(wp_parent) or self._known(wp_parent)
        if wp_parent and parent is None:
            self.owner.report.note(f"comment {comment.id}: its parent was not imported")
        if comment.parent_id != parent:
            comment.parent_id = parent

    def _known(self, wp_id):
        known = self.owner.links.get("comment", wp_id) if wp_id else None
        return known[0] if known else None

    def _comment(self, data) -> None:
        report, what = self.owner.report, f"comment {data.wp_id} on {item_label(self.item)}"
        body = comment_text(data.content)
        if data.kind in ("pingback", "trackback"):
            report.skip(what, f"a {data.kind}, not a reader's comment")
            return
        if not body:
            report.skip(what, "empty")
            return
        print_ = fingerprint(data)
        known = self.owner.links.get("comment", data.wp_id)
        if known is not None and known[1] == print_:
            self.local[data.wp_id] = known[0]  # unchanged: not even loaded
            report.count("comment", "unchanged")
            return
        comment = db.session.get(Comment, known[0]) if known else None
        report.count("comment", "updated" if comment is not None else "created")
        comment = comment or Comment(post_id=self.post.id)
        self._fill(comment, data, body)
        self.changed.append((comment, data, print_))

    def _fill(self, comment: Comment, data, body: str) -> None:
        url = data.url if urlsplit(data.url).scheme in ("http", "https") else ""
        comment.post_id = self.post.id
        comment.author_name = (data.author or "Anonymous")[:120]
        comment.author_email = data.email[:254]
        comment.author_url = url[:300]
        comment.body = body
        comment.status = COMMENT_STATUSES.get(data.approved, CommentStatus.PENDING)
        comment.created_at = (
            wp_datetime(data.date_gmt) or wp_datetime(data.date, self.owner.zone) or utcnow()
        )
        comment.ip_hash = None  # WordPress kept raw addresses; we never store them
        db.session.add(comment)
