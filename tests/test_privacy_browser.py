"""A real browser reading the site talks only to our origin and is given no cookie."""

import re
from urllib.parse import urlsplit

import pytest

from hlhr.extensions import db
from hlhr.models import Comment, CommentStatus

pytestmark = pytest.mark.browser


@pytest.fixture
def reading(make_post):
    post = make_post(title="Reporting on detention", tags=("detention", "prisons"))
    make_post(title="A second report", days_ago=2)
    db.session.add(
        Comment(post_id=post.id, author_name="Lina", author_email="lina@example.org",
                body="See https://example.org/source for more.", status=CommentStatus.APPROVED)
    )  # fmt: skip
    db.session.commit()
    return post


def _answer(page):
    text = page.locator("label[for=question-answer] [aria-hidden=true]").first.inner_text()
    left, operator, right = re.match(r"(\d+) ([+−]) (\d+) =", text).groups()
    return str(int(left) + int(right) if operator == "+" else int(left) - int(right))


def test_reading_and_searching_only_talks_to_our_origin(live_server, page, reading):
    origin = urlsplit(live_server).netloc
    requests, sockets = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: sockets.append(socket.url))

    page.goto(f"{live_server}/")
    page.goto(f"{live_server}/{reading.slug}/")
    page.goto(f"{live_server}/search/?q=detention")
    page.goto(f"{live_server}/")
    page.locator("#site-search").press_sequentially("detent", delay=120)
    page.wait_for_timeout(800)  # let the live box ask for suggestions, if it does
    page.locator("#site-search").press("Enter")
    page.wait_for_load_state()

    assert requests, "the browser made no requests at all"
    foreign = [url for url in requests if urlsplit(url).netloc != origin]
    assert foreign == [] and sockets == []
    assert any("/search/" in url for url in requests)
    assert page.context.cookies() == []


def test_commenting_in_the_browser_sets_no_cookie(live_server, page, reading):
    origin = urlsplit(live_server).netloc
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server}/{reading.slug}/")
    page.get_by_role("link", name="Reply to Lina").click()
    assert page.locator("#reply-title").inner_text().startswith("Reply to")
    page.get_by_role("textbox", name="Comment").fill("Thank you for this report.")
    page.get_by_role("textbox", name="Name").fill("Omar")
    page.get_by_role("textbox", name="Email").fill("omar@example.org")
    page.locator("#question-answer").fill(_answer(page))
    with page.expect_navigation():
        page.get_by_role("button", name="Post Comment").click()
    assert "awaiting moderation" in page.content()
    assert page.context.cookies() == []
    assert [url for url in requests if urlsplit(url).netloc != origin] == []
    reply = db.session.scalar(db.select(Comment).where(Comment.author_name == "Omar"))
    assert reply.parent_id is not None and reply.status == CommentStatus.PENDING
