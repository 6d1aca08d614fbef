"""Search pages: ``/search/?q=`` (results, filters, pages) and ``/search/suggest`` (JSON)."""

import json
from dataclasses import replace

from flask import abort, current_app, render_template, request, url_for

from .. import cards
from .. import search as search_index
from ..site import iso_datetime, long_date
from . import bp

MIN_SUGGEST_LENGTH = 2


@bp.get("/search/")
def search():
    """Search results.

    Answers 400 with the form for an over-long query, 503 with the form while the index is
    unavailable; :raise 404: for a page past the last one.
    """
    wanted = search_index.parse_request(request.args, current_app.config["SEARCH_MAX_QUERY_LENGTH"])
    context = {"wanted": wanted, "search_query": wanted.q, "link": _linker(wanted)}
    if wanted.too_long:
        return render_template("public/search.html", **context), 400
    if not wanted.q:
        return render_template("public/search.html", **context)
    try:
        results = search_index.search(wanted.q, wanted.filters, wanted.page)
    except search_index.SearchUnavailable:
        return render_template("public/search.html", unavailable=True, **context), 503
    if wanted.page > results.pages:
        abort(404)
    hits = [(cards.card(hit.post), hit) for hit in results.hits]
    return render_template("public/search.html", results=results, hits=hits, **context)


def _linker(wanted):
    """``link(page=2, tag="x", q="y")``: this search's URL with some arguments changed."""

    def link(page=1, q=None, **changes):
        filters = replace(wanted.filters, **changes)
        args = {"q": wanted.q if q is None else q, **filters.args()}
        if page > 1:
            args["page"] = page
        return url_for("public.search", **args)

    return link


@bp.get("/search/suggest")
def suggest():
    """Up to five title matches for the live box, as JSON (503 while the index is down)."""
    q = search_index.clean_text(request.args.get("q"))
    q = q[: current_app.config["SEARCH_MAX_QUERY_LENGTH"]]
    payload = {"query": q, "results": [], "all_url": url_for("public.search", q=q)}
    if len(q) < MIN_SUGGEST_LENGTH:
        return _json(payload)
    try:
        found = search_index.suggest(q)
    except search_index.SearchUnavailable:
        payload["error"] = "Search is temporarily unavailable."
        return _json(payload, 503)
    payload["results"] = [_suggestion(item) for item in found]
    response = _json(payload)
    response.headers["Cache-Control"] = "public, max-age=30"
    return response


def _json(payload, status=200):
    """JSON with ``<``, ``>`` and ``&`` escaped, so no echo of the query can read as markup."""
    text = json.dumps(payload, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return current_app.response_class(text, status=status, mimetype="application/json")


def _suggestion(item):
    card = cards.card(item.post)
    return {
        "title": item.post.title,
        "parts": [{"text": text, "mark": matched} for text, matched in item.parts],
        "url": card.url,
        "date": long_date(card.published_at),
        "datetime": iso_datetime(card.published_at),
        "section": card.section.label if card.section else None,
        "thumbnail": card.picture.thumbnail if card.picture else None,
    }
