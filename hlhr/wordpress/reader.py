"""Streaming reader of WordPress WXR 1.0-1.2 files (defusedxml, constant memory).

Yields plain records as the parser meets them and frees each element afterwards, so a
file of any size is read with the memory of one item. DTDs, entities and external
references are refused before anything is expanded (XML bombs, XXE).
"""

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/(excerpt/)?$")
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://wellformedweb.org/CommentAPI/": "wfw",
    "http://purl.org/dc/elements/1.1/": "dc",
}
CHANNEL_RECORDS = {"wp:author": "author", "wp:category": "category", "wp:tag": "tag"}


class WxrError(ValueError):
    """The file is not a readable WordPress export; the message says why."""


@dataclass
class Channel:
    """What the export says about the site it came from."""

    title: str = ""
    link: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class WxrComment:
    wp_id: int
    author: str
    email: str
    url: str
    content: str
    approved: str
    kind: str
    parent: int
    date_gmt: str
    date: str


@dataclass
class WxrItem:
    wp_id: int
    post_type: str
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    comment_status: str = "open"
    post_name: str = ""
    status: str = ""
    post_parent: int = 0
    menu_order: int = 0
    post_password: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, slug, name)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)


def local_name(tag: str) -> str:
    """``{http://wordpress.org/export/1.2/}post_id`` -> ``wp:post_id`` (any WXR version)."""
    if not tag.startswith("{"):
        return tag
    uri, _, name = tag[1:].partition("}")
    match = _WP_NAMESPACE.match(uri)
    if match:
        return f"{'excerpt' if match.group(1) else 'wp'}:{name}"
    prefix = _PREFIXES.get(uri)
    return f"{prefix}:{name}" if prefix else name


class WxrReader:
    """``for kind, record in WxrReader(file)``: kind is channel record or ``item``.

    :raise WxrError: malformed XML, a refused construct, or not a WordPress export.
    """

    def __init__(self, source):
        self.source = source
        self.channel = Channel()

    def __iter__(self):
        try:
            yield from self._records()
        except ParseError as exc:
            line, column = getattr(exc, "position", (0, 0))
            raise WxrError(f"Malformed XML at line {line}, column {column}: {exc}") from exc
        except DefusedXmlException as exc:
            raise WxrError(
                "Refused: the file declares a DTD or entities (an XML bomb or external "
                f"entity attack is possible, and WordPress never writes them): {exc!r}"
            ) from exc
        if not self.channel.wxr_version:
            raise WxrError("Not a WordPress export: there is no <wp:wxr_version>.")

    def _records(self):
        depth, channel = 0, None
        events = iterparse(self.source, events=("start", "end"), forbid_dtd=True)
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "rss":
                    raise WxrError(f"Not a WordPress export: the root is <{element.tag}>.")
                if depth == 2 and element.tag == "channel":
                    channel = element
                continue
            depth -= 1
            if depth == 2 and channel is not None:
                record = self._channel_child(element)
                channel.remove(element)  # what was read is freed: memory stays flat
                if record is not None:
                    yield record

    def _channel_child(self, element):
        name = local_name(element.tag)
        if name == "item":
            self._require_version()
            return "item", parse_item(element)
        if name in CHANNEL_RECORDS:
            self._require_version()
            return CHANNEL_RECORDS[name], _flat(element)
        key = name.removeprefix("wp:")
        if key in Channel.__dataclass_fields__:
            setattr(self.channel, key, (element.text or "").strip())
        return None

    def _require_version(self):
        if not self.channel.wxr_version:
            raise WxrError("Not a WordPress export: no <wp:wxr_version> before the content.")


def _flat(element) -> dict[str, str]:
    """Children as {local name: text}, e.g. {"wp:cat_name": "News"}."""
    return {local_name(child.tag): (child.text or "") for child in element}


def _int(value) -> int:
    try:
        return int((value or "0").strip())
    except ValueError:
        return 0


_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:comment_status": "comment_status",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_password": "post_password",
    "wp:attachment_url": "attachment_url",
}


def parse_item(element) -> WxrItem:
    """One <item>: a post, page, attachment or anything else WordPress stores as a post."""
    values = {}
    item = WxrItem(wp_id=0, post_type="")
    for child in element:
        name = local_name(child.tag)
        if name in _ITEM_FIELDS:
            values[_ITEM_FIELDS[name]] = child.text or ""
        elif name == "category":
            item.terms.append(
                (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
            )
        elif name == "wp:postmeta":
            meta = _flat(child)
            item.meta[meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comments.append(_comment(child))
        else:
            values[name] = child.text or ""
    for key, value in values.items():
        if key in _ITEM_FIELDS.values():
            setattr(item, key, value)
    item.wp_id = _int(values.get("wp:post_id"))
    item.post_type = (values.get("wp:post_type") or "post").strip()
    item.post_parent = _int(values.get("wp:post_parent"))
    item.menu_order = _int(values.get("wp:menu_order"))
    item.is_sticky = values.get("wp:is_sticky", "0").strip() == "1"
    return item


def _comment(element) -> WxrComment:
    data = _flat(element)
    return WxrComment(
        wp_id=_int(data.get("wp:comment_id")),
        author=data.get("wp:comment_author", "").strip(),
        email=data.get("wp:comment_author_email", "").strip(),
        url=data.get("wp:comment_author_url", "").strip(),
        content=data.get("wp:comment_content", ""),
        approved=data.get("wp:comment_approved", "0").strip(),
        kind=data.get("wp:comment_type", "").strip() or "comment",
        parent=_int(data.get("wp:comment_parent")),
        date_gmt=data.get("wp:comment_date_gmt", ""),
        date=data.get("wp:comment_date", ""),
    )
