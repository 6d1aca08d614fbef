"""The reader-facing site: home, articles, pages, archives, media."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import comments, feeds, search, views  # noqa: E402,F401  (routes register themselves on bp)
