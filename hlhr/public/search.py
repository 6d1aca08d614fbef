"""Search pages. Placeholder until the search issue lands: answers honestly with 503."""

from flask import abort

from . import bp


@bp.get("/search/")
def search():
    """:raise 503: search is not built yet."""
    abort(503, "Search is temporarily unavailable.")
