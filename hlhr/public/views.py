"""Reader views: parse the URL, ask ``queries`` for visible content, render."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, g, render_template, send_from_directory
from markupsafe import Markup

from .. import cards, content, search, site
from ..models import PostKind
from . import bp, queries

READ_ALSO_SIZE = 2


@bp.get("/")
def home():
    lead, latest, sections = site.cached("home", _home_cards)
    return render_template("public/home.html", lead=lead, latest=latest, sections=sections)


def _home_cards(now):
    lead, latest, sections = queries.home_sections(now)
    return (
        cards.card(lead) if lead else None,
        cards.cards(latest),
        [(cards.section_link(s), cards.cards(posts)) for s, posts in sections],
    )


@bp.get("/<slug>/")
def post(slug):
    """An article or a static page.

    :raise 404: when no visible post or page has this slug (the 404 handler then
        consults the redirect table).
    """
    item = queries.visible_post_by_slug(slug)
    if item is None:
        abort(404)
    g.viewed_post_id = item.id  # read by the view counter after the response is built
    if item.kind == PostKind.PAGE:
        return render_template("public/page.html", page=item)
    related = site.cached(
        ("related", item.id),
        lambda now: cards.cards(search.related(item, limit=queries.RELATED_SIZE, now=now)),
    )
    return render_template(
        "public/article.html",
        post=item,
        featured=cards.picture(item.featured),
        section=cards.section_link(item.category),
        body=_body_with_read_also(item, related[:READ_ALSO_SIZE]),
        related=related,
        comments=queries.approved_comments(item),
    )


def _body_with_read_also(item, read_also):
    if not read_also:
        return Markup(item.body_html)  # noqa: S704 - sanitised by content.render_body at save
    box = render_template("public/_read_also.html", links=read_also)
    return Markup(content.insert_after_paragraph(item.body_html, box))  # noqa: S704


def _archive(template, query, page, **context):
    pagination = queries.paginate(query, page, current_app.config["POSTS_PER_PAGE"])
    if pagination is None:
        abort(404)
    return render_template(
        template, pagination=pagination, posts=cards.cards(pagination.items), **context
    )


@bp.get("/category/<slug>/", defaults={"page": 1})
@bp.get("/category/<slug>/page/<int:page>/")
def category(slug, page):
    """:raise 404: unknown section or a page past the end."""
    section = queries.category_by_slug(slug) or abort(404)
    return _archive(
        "public/archive.html",
        queries.archive_query(category=section),
        page,
        heading=section.name,
        kind="Section",
        description=section.description,
        endpoint_args={"endpoint": "public.category", "slug": slug},
    )


@bp.get("/tag/<slug>/", defaults={"page": 1})
@bp.get("/tag/<slug>/page/<int:page>/")
def tag(slug, page):
    """:raise 404: unknown tag or a page past the end."""
    found = queries.tag_by_slug(slug) or abort(404)
    return _archive(
        "public/archive.html",
        queries.archive_query(tag=found),
        page,
        heading=found.name,
        kind="Tag",
        endpoint_args={"endpoint": "public.tag", "slug": slug},
    )


@bp.get("/author/<slug>/", defaults={"page": 1})
@bp.get("/author/<slug>/page/<int:page>/")
def author(slug, page):
    """:raise 404: unknown author or a page past the end."""
    person = queries.author_by_slug(slug) or abort(404)
    return _archive(
        "public/archive.html",
        queries.archive_query(author=person),
        page,
        heading=person.display_name,
        kind="Author",
        description=person.bio,
        endpoint_args={"endpoint": "public.author", "slug": slug},
    )


@bp.get("/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>/", defaults={"page": 1})
@bp.get("/<int(fixed_digits=4):year>/<int(fixed_digits=2):month>/page/<int:page>/")
def month(year, month, page):
    """:raise 404: an impossible month or a page past the end."""
    if not (1 <= month <= 12 and 1900 <= year <= 9998):
        abort(404)
    zone = ZoneInfo(current_app.config["SITE_TIMEZONE"])
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return _archive(
        "public/archive.html",
        queries.archive_query(window=(start, end)),
        page,
        heading=f"{start:%B} {year}",
        kind="Month",
        endpoint_args={"endpoint": "public.month", "year": year, "month": month},
    )


@bp.get("/media/<path:filename>")
def media(filename):
    """An uploaded image; never rendered as a document, whatever the file holds.

    :raise 404: no such file (path traversal is refused by ``send_from_directory``).
    """
    response = send_from_directory(current_app.config["UPLOAD_DIR"], filename)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
