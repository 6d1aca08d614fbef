"""Last-Modified and If-Modified-Since on reader pages (ETags are in test_serving.py)."""

import re
import time
from datetime import UTC, datetime

import pytest
from werkzeug.http import http_date, parse_date

from hlhr import caching, questions
from hlhr.extensions import db
from hlhr.models import Comment, CommentStatus
from hlhr.publishing import save_post, trash_post

NOON = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC).timestamp()
TOKEN_RE = re.compile(r'name="question_token" value="([^"]*)"')


@pytest.fixture
def clock(monkeypatch):
    """The wall clock caching reads, set by the test: ``clock.now = ...``."""

    class Clock:
        now = NOON

    monkeypatch.setattr(caching, "wall_clock", lambda: Clock.now)
    return Clock


def since(timestamp: float) -> dict:
    return {"If-Modified-Since": http_date(timestamp)}


def test_an_article_answers_if_modified_since(client, make_post, clock):
    post = make_post("Torture report", comments_open=False)
    clock.now = NOON + 0.4
    first = client.get(f"/{post.slug}/")
    assert first.status_code == 200
    assert first.headers["Last-Modified"] == http_date(NOON)
    assert first.headers["ETag"]
    clock.now = NOON + 3600  # an hour later the same body keeps its date
    again = client.get(
        f"/{post.slug}/", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert client.get(f"/{post.slug}/", headers=since(NOON + 7200)).status_code == 304
    older = client.get(f"/{post.slug}/", headers=since(NOON - 1))
    assert older.status_code == 200 and older.data == first.data
    assert older.headers["Last-Modified"] == http_date(NOON)
    head = client.head(f"/{post.slug}/", headers=since(NOON))
    assert head.status_code == 304


def test_an_edit_moves_the_date_and_the_old_one_gets_the_new_page(client, make_post, clock):
    post = make_post("Torture report", comments_open=False)
    before = client.get(f"/{post.slug}/")
    clock.now = NOON + 60
    post.title = "Torture report, corrected"
    save_post(post, post.author)
    after = client.get(
        f"/{post.slug}/", headers={"If-Modified-Since": before.headers["Last-Modified"]}
    )
    assert after.status_code == 200
    assert "Torture report, corrected" in after.text
    assert after.headers["Last-Modified"] == http_date(NOON + 60)


def test_a_post_taken_off_a_list_changes_its_date(client, make_post, clock):
    """A list's newest post would not move when an older one leaves; the page's date does."""
    make_post("Newest report", days_ago=1)
    leaving = make_post("Retracted report", days_ago=2)
    home = client.get("/")
    assert "Retracted report" in home.text
    clock.now = NOON + 120
    trash_post(leaving)
    again = client.get("/", headers={"If-Modified-Since": home.headers["Last-Modified"]})
    assert again.status_code == 200
    assert "Retracted report" not in again.text
    assert parse_date(again.headers["Last-Modified"]) > parse_date(home.headers["Last-Modified"])


def test_a_newly_approved_comment_changes_the_article_date(client, make_post, clock):
    post = make_post("Torture report", comments_open=False)
    before = client.get(f"/{post.slug}/")
    clock.now = NOON + 5
    comment = Comment(post_id=post.id, author_name="Amal", author_email="amal@example.org",
                      body="Thank you for this report.", status=CommentStatus.APPROVED)  # fmt: skip
    db.session.add(comment)
    db.session.commit()
    after = client.get(
        f"/{post.slug}/", headers={"If-Modified-Since": before.headers["Last-Modified"]}
    )
    assert after.status_code == 200
    assert "Thank you for this report." in after.text


def test_a_body_replaced_within_the_same_second_has_no_date(client, make_post, clock):
    """Whole-second dates cannot tell two bodies of one second apart, so none is given."""
    post = make_post("Torture report", comments_open=False)
    clock.now = NOON + 0.1
    first = client.get(f"/{post.slug}/")
    clock.now = NOON + 0.6
    post.title = "Torture report, corrected"
    save_post(post, post.author)
    second = client.get(
        f"/{post.slug}/", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert second.status_code == 200
    assert "Torture report, corrected" in second.text
    assert "Last-Modified" not in second.headers
    assert second.headers["ETag"] != first.headers["ETag"]
    clock.now = NOON + 30  # the next change, in a later second, is dated again
    post.title = "Torture report, corrected twice"
    save_post(post, post.author)
    assert client.get(f"/{post.slug}/").headers["Last-Modified"] == http_date(NOON + 30)


def test_a_clock_stepping_back_never_dates_a_new_body_earlier(client, make_post, clock):
    post = make_post("Torture report", comments_open=False)
    first = client.get(f"/{post.slug}/")
    clock.now = NOON - 3600
    post.title = "Torture report, corrected"
    save_post(post, post.author)
    second = client.get(
        f"/{post.slug}/", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert second.status_code == 200
    assert "Last-Modified" not in second.headers  # its second would equal the previous body's


def test_an_open_comment_form_revalidates_within_its_question_window(
    client, make_post, clock, monkeypatch
):
    """Every reader gets the window's question: 304 all window, a new page in the next."""
    window = int(questions.WINDOW.total_seconds())
    start = (int(time.time()) // window - 1) * window  # the last window: its tokens still load
    question_time = {"now": start + 5}
    monkeypatch.setattr(questions, "wall_clock", lambda: question_time["now"])
    post = make_post("Torture report")
    first = client.get(f"/{post.slug}/")
    assert "question_token" in first.text
    assert first.headers["Last-Modified"] == http_date(NOON)
    question_time["now"], clock.now = start + window - 1, NOON + window - 6  # window's end
    assert client.get(f"/{post.slug}/", headers=since(NOON)).status_code == 304
    tagged = {"If-None-Match": first.headers["ETag"]}
    assert client.get(f"/{post.slug}/", headers=tagged).status_code == 304
    question_time["now"], clock.now = start + window, NOON + window - 5  # the next window
    later = client.get(f"/{post.slug}/", headers=since(NOON))
    assert later.status_code == 200
    assert TOKEN_RE.search(later.text).group(1) != TOKEN_RE.search(first.text).group(1)
    assert later.headers["ETag"] != first.headers["ETag"]
    assert later.headers["Last-Modified"] == http_date(NOON + window - 5)
    assert client.get(f"/{post.slug}/", headers=tagged).status_code == 200


def test_if_none_match_wins_over_if_modified_since(client, make_post, clock):
    post = make_post("Torture report", comments_open=False)
    first = client.get(f"/{post.slug}/")
    stale_tag = {"If-None-Match": '"an-older-body"'} | since(NOON + 60)
    assert client.get(f"/{post.slug}/", headers=stale_tag).status_code == 200
    both = {"If-None-Match": first.headers["ETag"]} | since(NOON - 60)
    assert client.get(f"/{post.slug}/", headers=both).status_code == 304


@pytest.mark.parametrize("url", ["/editor/login", "/no-such-page/", "/healthz"])
def test_pages_that_are_not_cacheable_keep_neither_header(client, clock, url):
    response = client.get(url, headers=since(NOON + 60))
    assert response.status_code != 304
    assert "Last-Modified" not in response.headers
    assert "ETag" not in response.headers


def test_the_record_is_bounded_and_forgets_the_least_recent_url():
    seen = caching.FirstSeen(max_entries=2)
    assert seen.version("/a/", "a1", NOON).second == int(NOON)
    seen.version("/b/", "b1", NOON + 1)
    seen.version("/a/", "a1", NOON + 2)  # /a/ served again: /b/ is now the oldest
    seen.version("/c/", "c1", NOON + 3)
    assert seen.version("/a/", "a1", NOON + 4).second == int(NOON)
    assert seen.version("/b/", "b1", NOON + 5).second == int(NOON + 5)
