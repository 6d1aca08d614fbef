"""WordPress post content -> HTML for ``content.render_body`` (which sanitises it).

Block comments go, ``[caption]`` becomes <figure>, ``[embed]`` a link, the line-break
convention of the classic editor becomes paragraphs (a small ``wpautop``), links to the
old site become relative (the redirect table answers them) and images come from us.
"""

import re
from collections.abc import Callable
from html import unescape
from urllib.parse import urlsplit

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S)
_CAPTION_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S)
_CAPTION_ATTR = re.compile(r'caption="([^"]*)"')
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
_MEDIA_SHORTCODE = re.compile(r'\[(?:video|audio)\b[^\]]*?\bsrc="([^"]+)"[^\]]*\](?:\[/\w+\])?')
_DROPPED_SHORTCODE = re.compile(r"\[/?(?:gallery|playlist|contact-form-7)\b[^\]]*\]")
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_BLOCK_START = re.compile(
    r"^<(?:p|div|h[1-6]|ul|ol|li|dl|blockquote|pre|table|figure|hr|address|details|"
    r"section|aside|hr|form|iframe|script|style|!--)\b",
    re.I,
)
_URL_ATTR = re.compile(r'(\s(?:href|src)\s*=\s*)(["\'])(.*?)\2', re.S | re.I)
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_DROP_ATTRS = re.compile(r'\s(?:srcset|sizes)\s*=\s*(["\']).*?\1', re.S | re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_IMG_SRC = re.compile(r'\ssrc\s*=\s*(["\'])(.*?)\1', re.S | re.I)
_IMG_ALT = re.compile(r'\salt\s*=\s*(["\'])(.*?)\1', re.S | re.I)
_BR = re.compile(r"<br\s*/?>\r?\n?", re.I)
_PARAGRAPH_BREAK = re.compile(r"</p>\s*<p[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def convert(html: str, old_sites: tuple[str, ...], media_for: Callable[[str], str | None]) -> str:
    """WordPress ``post_content`` as plain HTML (not yet sanitised: save_post does that).

    ``media_for(path)`` gives our URL for an uploaded file's path on the old site.
    """
    html = _BLOCK_COMMENT.sub("", html or "")
    html = _CAPTION.sub(_figure, html)
    html = _EMBED.sub(lambda m: _link_paragraph(m.group(1).strip()), html)
    html = _MEDIA_SHORTCODE.sub(lambda m: _link_paragraph(m.group(1)), html)
    html = _DROPPED_SHORTCODE.sub("", html)
    html = autop(html)
    html = _DROP_ATTRS.sub("", html)
    html = _URL_ATTR.sub(lambda m: _rewrite_url(m, old_sites, media_for), html)
    return _IMG.sub(_foreign_image_as_link, html)


def _figure(match) -> str:
    inner = match.group(2)
    found = _CAPTION_MEDIA.match(inner)
    if not found:
        return inner
    caption = found.group(2).strip()
    if not caption:
        attr = _CAPTION_ATTR.search(match.group(1))
        caption = attr.group(1) if attr else ""
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{found.group(1)}{figcaption}</figure>"


def _link_paragraph(url: str) -> str:
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def autop(text: str) -> str:
    """WordPress's ``wpautop``, simplified: blank lines separate paragraphs, a single line
    break inside one is <br>; block elements and <pre> are left as they are."""
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    chunks = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk) or re.fullmatch(r"\x00\d+\x00", chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    joined = "\n".join(chunks)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], joined)


def _rewrite_url(match, old_sites, media_for) -> str:
    url = unescape(match.group(3)).strip()
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""
    if parts.netloc and origin not in old_sites:
        return match.group(0)  # a link to another site stays as it is
    path = parts.path or "/"
    if "/wp-content/uploads/" in path:
        ours = media_for(path) or media_for(_SIZE_SUFFIX.sub("", path))
        if ours:
            return f'{match.group(1)}"{ours}"'
    relative = path + (f"?{parts.query}" if parts.query else "")
    relative += f"#{parts.fragment}" if parts.fragment else ""
    return f'{match.group(1)}"{relative.replace(chr(34), "%22")}"'


def _foreign_image_as_link(match) -> str:
    """An image on another host would make readers' browsers call it: link to it instead."""
    tag = match.group(0)
    src = _IMG_SRC.search(tag)
    if src is None:
        return ""
    url = src.group(2)
    if not urlsplit(url).netloc:
        return tag
    alt = _IMG_ALT.search(tag)
    label = (alt.group(2) if alt else "") or "Image"
    return f'<a href="{url}">{label}</a>'


def comment_text(html: str) -> str:
    """A comment's HTML as the plain text our comments store (line breaks kept)."""
    text = _PARAGRAPH_BREAK.sub("\n\n", _BR.sub("\n", html or ""))
    text = _TAG.sub("", text)
    lines = [line.strip() for line in unescape(text).replace("\r", "").split("\n")]
    return "\n".join(lines).strip()


def plain_excerpt(html: str) -> str:
    """A WordPress excerpt (which may hold markup) as our plain-text excerpt."""
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())
