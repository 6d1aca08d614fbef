"""WordPress's query-string permalinks (``/?p=12``) on the home page answer 301.

``/`` exists here, so these links would otherwise show the home page and never reach
the redirect table that the 404 handler consults.
"""

from flask import redirect, request
from sqlalchemy import select

from ..extensions import db
from ..models import Redirect

QUERY_KEYS = ("p", "page_id", "attachment_id")


def redirect_query_permalink():
    """:return: a 301 to the imported post for ``/?p=ID``/``/?page_id=ID``, else None."""
    if request.path != "/" or not request.query_string:
        return None
    wanted = [f"/?{key}={request.args[key]}" for key in QUERY_KEYS if request.args.get(key)]
    if not wanted:
        return None
    target = db.session.scalar(select(Redirect.new_path).where(Redirect.old_path.in_(wanted)))
    return redirect(target, code=301) if target else None
