"""Absolute URLs of our own site for feeds, sitemaps, canonical links and JSON-LD."""

import re
from urllib.parse import quote

from flask import current_app, g, request, url_for

_SLOT = "HLHRSYNDICATIONSLOT"
# Characters XML 1.0 cannot carry at all (not even escaped): C0 controls but tab/LF/CR,
# lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")(/(?!/))')


def site_root() -> str:
    """``SITE_URL`` when configured (behind a proxy), else the root this request came to."""
    return (current_app.config.get("SITE_URL") or request.url_root).rstrip("/")


def absolute(path: str) -> str:
    return site_root() + path


def slug_path(endpoint: str, slug: str) -> str:
    """The path of ``endpoint`` for ``slug``, routed once per request (sitemaps list 50k)."""
    templates = g.setdefault("syndication_url_templates", {})
    if endpoint not in templates:
        templates[endpoint] = url_for(endpoint, slug=_SLOT).partition(_SLOT)[::2]
    before, after = templates[endpoint]
    return f"{before}{quote(slug, safe='')}{after}"


def xml_text(value) -> str:
    """Text XML can carry: characters XML 1.0 forbids are dropped (escaping is Jinja's)."""
    return _NOT_XML.sub("", str(value or ""))


def absolutise_links(html: str) -> str:
    """Root-relative ``href``/``src`` in sanitised HTML made absolute, for feed readers."""
    root = site_root()
    return _RELATIVE_URL.sub(lambda m: f"{m.group(1)}{root}{m.group(2)}", html)
