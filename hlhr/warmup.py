"""A worker's first-request work, done before it takes requests (gunicorn's post_worker_init).

A fresh worker compiles templates, connects to the database, opens the search index and
fills the site caches on its first requests: measured, the first home page took 260 ms
instead of 8, the first search 100 ms instead of 30, the first article 80 ms instead of 10.
Workers are replaced every ``max_requests``, so without this some reader pays it each time.
The warm-up asks the app for those pages itself, as a robot (no view is counted) and
without a client address; nothing it does is logged as a reader's visit.
"""

import time

from .extensions import db
from .models import visible_posts

USER_AGENT = "HLHR warm-up bot"  # popular.is_bot: a warm-up never counts as a page view


def warm_up(app) -> str:
    """Request the home page, the newest article, a search and a suggestion; return a line
    for the log. Never raises: a worker that cannot warm up still starts (its first readers
    then pay as before)."""
    started = time.perf_counter()
    client = app.test_client()
    base_url = f"http://{_host(app)}"
    try:
        paths = ["/", "/search/?q=news", "/search/suggest?q=ne", *_newest_article(app)]
        answers = [
            client.get(path, base_url=base_url, headers={"User-Agent": USER_AGENT}).status_code
            for path in paths
        ]
    except Exception as error:  # the database may be down at start: serve anyway
        return f"warm-up failed ({type(error).__name__}); serving cold"
    took = 1000 * (time.perf_counter() - started)
    return f"warmed up in {took:.0f} ms (answers {' '.join(map(str, answers))})"


def _host(app) -> str:
    """A host the app accepts: the first TRUSTED_HOSTS name (a ``.example.org`` pattern
    without its dot), or the server name, or localhost."""
    trusted = app.config.get("TRUSTED_HOSTS") or []
    if trusted:
        return trusted[0].lstrip(".")
    return app.config.get("SERVER_NAME") or "localhost"


def _newest_article(app) -> list[str]:
    with app.app_context():
        newest = db.session.scalars(visible_posts().limit(1)).first()
        path = f"/{newest.slug}/" if newest else None
        db.session.remove()
    return [path] if path else []
