"""Reader comments through the real form: question, moderation, refusals, threads, display."""

import html
import json
import re
import time
from datetime import timedelta
from html.parser import HTMLParser

import itsdangerous.timed
import pytest
from conftest import database_text
from sqlalchemy import delete, func, select

from hlhr import comments, questions, throttle
from hlhr.extensions import db
from hlhr.models import Comment, CommentStatus, Setting, SpentQuestion, ThrottleEvent, utcnow

QUESTION_RE = re.compile(r'<span aria-hidden="true">(\d+) ([+−]) (\d+) =</span>')
TOKEN_RE = re.compile(r'name="question_token" value="([^"]*)"')
READER = {"name": "Amina Reader", "email": "amina@example.org", "url": "", "body": "Thank you."}


def solve(page_html):
    """What a reader does: read the question on the page and answer it."""
    left, operator, right = QUESTION_RE.search(page_html).groups()
    answer = int(left) + int(right) if operator == "+" else int(left) - int(right)
    return TOKEN_RE.search(page_html).group(1), str(answer)


class FormReader(HTMLParser):
    """The values a browser would show in the comment form's fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values, self._textarea = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and "name" in attrs:
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_values(page):
    reader = FormReader()
    reader.feed(page)
    return reader.values


def form_data(token, answer, **fields):
    values = READER | fields
    return {
        "author": values["name"],
        "email": values["email"],
        "url": values["url"],
        "comment": values["body"],
        "comment_parent": values.get("parent", ""),
        "question_token": token,
        "question_answer": answer,
        "address": values.get("honeypot", ""),
    }


def spare_question(post):
    """A random single-use question, like the ones refusal pages ask.

    The article page asks one question per window, spent per client: a reader's second
    comment in the same window needs another question.
    """
    question = questions.new_question(post.id)
    return {"token": question.token, "answer": str(question.answer)}


def send(client, post, client_ip="192.0.2.10", page=None, **fields):
    """Load the article (or a refusal page), answer its question and post the comment."""
    page = page if page is not None else client.get(f"/{post.slug}/").text
    token, answer = solve(page)
    fields.setdefault("token", token)
    fields.setdefault("answer", answer)
    data = form_data(fields.pop("token"), fields.pop("answer"), **fields)
    return client.post(
        f"/{post.slug}/comments/", data=data, environ_base={"REMOTE_ADDR": client_ip}
    )


def approve_email(post, email):
    """An earlier approved comment by ``email`` (so the next one is published at once)."""
    db.session.add(
        Comment(post_id=post.id, author_name="Earlier", author_email=email, body="Earlier.",
                status=CommentStatus.APPROVED)
    )  # fmt: skip
    db.session.commit()


def stored(body):
    return db.session.scalar(select(Comment).where(Comment.body == body))


def set_setting(key, value):
    db.session.merge(Setting(key=key, value=value))
    db.session.commit()


@pytest.fixture
def article(make_post):
    return make_post(title="Detention report")


@pytest.fixture(autouse=True)
def question_clock(monkeypatch):
    """The clock that picks the question window, held still (a test never straddles two)."""

    class Clock:
        base = now = time.time()

        @classmethod
        def window_start(cls, offset=0):
            """The start of the window ``offset`` windows from the test's first one."""
            seconds = int(questions.WINDOW.total_seconds())
            return (int(cls.base) // seconds + offset) * seconds

    monkeypatch.setattr(questions, "wall_clock", lambda: Clock.now)
    return Clock


# -- the form ------------------------------------------------------------------------


def test_form_has_labelled_fields_question_and_notes(client, article):
    page = client.get(f"/{article.slug}/").text
    assert "Leave a Reply" in page
    assert "Your email address will not be published. Required fields are marked" in page
    for field_id, label in [("author", "Name"), ("email", "Email"), ("url", "Website"),
                            ("comment", "Comment")]:  # fmt: skip
        assert re.search(rf'<label for="{field_id}">{label}', page)
        assert f'id="{field_id}"' in page
    assert QUESTION_RE.search(page)
    assert re.search(r'class="visually-hidden">What is \d+ (plus|minus) \d+\?</span>', page)
    assert 'for="question-answer"' in page
    assert 'name="address"' in page and 'tabindex="-1"' in page
    assert 'action="/detention-report/comments/"' in page


def token_payload(token):
    """Anyone can read a signed token's payload: it must not hold the answer."""
    return json.loads(itsdangerous.encoding.base64_decode(token.split(".")[0]))


def test_question_is_arithmetic_and_token_hides_the_answer(app):
    window = questions.current_window()
    for n in range(50):
        random, shared = questions.new_question(7), questions.window_question(7, window + n)
        for question in (random, shared):
            assert question.answer >= 1
            assert question.text.endswith(" =")
        assert token_payload(random.token) == {"n": random.nonce, "p": 7}
        assert token_payload(shared.token) == {"n": shared.nonce, "p": 7, "w": window + n}


def test_a_window_question_is_the_same_all_window_and_new_in_the_next(app, question_clock):
    start = question_clock.window_start
    question_clock.now = start() + 1
    first = questions.window_question(7)
    question_clock.now = start(1) - 1
    assert questions.window_question(7) == first
    assert questions.window_question(8) != first
    question_clock.now = start(1)
    assert questions.window_question(7).token != first.token
    assert questions.window_question(7).nonce != first.nonce
    signed = itsdangerous.TimestampSigner(app.config["SECRET_KEY"], salt="hlhr.comment-question")
    assert signed.unsign(first.token, return_timestamp=True)[1].timestamp() == start()


def test_two_pages_of_one_window_ask_the_same_question(client, article):
    first = client.get(f"/{article.slug}/", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    second = client.get(f"/{article.slug}/", environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert solve(first.text) == solve(second.text)
    assert first.data == second.data
    assert db.session.scalar(select(SpentQuestion)) is None  # reading stores nothing


def test_closed_comments_show_no_form_and_refuse_posts(client, make_post):
    post = make_post(title="Closed one", comments_open=False)
    page = client.get(f"/{post.slug}/").text
    assert "Comments on this article are closed." in page
    assert 'name="question_token"' not in page
    open_page = client.get(f"/{make_post(title='Open one').slug}/").text
    response = send(client, post, page=open_page)
    assert response.status_code == 403
    assert db.session.scalar(select(Comment)) is None


def test_pages_and_unknown_articles_take_no_comments(client, make_post, article):
    from hlhr.models import PostKind

    page = make_post(title="About us", kind=PostKind.PAGE)
    data = form_data("x", "1")
    assert client.post(f"/{page.slug}/comments/", data=data).status_code == 404
    assert client.post("/no-such-article/comments/", data=data).status_code == 404


# -- moderation ----------------------------------------------------------------------


def test_first_comment_of_an_email_is_held_and_the_reader_is_told(client, article):
    response = send(client, article, body="My first comment.")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/{article.slug}/comments/sent/"
    result = client.get(response.headers["Location"])
    assert result.status_code == 200
    assert "Your comment is awaiting moderation" in result.text
    assert stored("My first comment.").status == CommentStatus.PENDING
    assert "My first comment." not in client.get(f"/{article.slug}/").text


def test_email_with_an_approved_comment_is_published(client, article):
    approve_email(article, "amina@example.org")
    response = send(client, article, email="Amina@Example.org", body="Published at once.")
    comment = stored("Published at once.")
    assert comment.status == CommentStatus.APPROVED
    assert response.status_code == 303
    assert response.headers["Location"] == f"/{article.slug}/#comment-{comment.id}"
    page = client.get(f"/{article.slug}/").text
    assert f'id="comment-{comment.id}"' in page and "Published at once." in page


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("One link: https://example.org/a", CommentStatus.APPROVED),
        ("Two: https://example.org/a and www.example.net", CommentStatus.PENDING),
        ("Three http://a.example http://b.example http://c.example", CommentStatus.PENDING),
    ],
)
def test_two_or_more_links_hold_the_comment(client, article, body, status):
    approve_email(article, "amina@example.org")
    send(client, article, body=body)
    assert stored(body).status == status


@pytest.mark.parametrize(
    "fields",
    [
        {"body": "Buy CHEAP pills now"},
        {"name": "cheap Amina"},
        {"email": "cheap@example.org"},
        {"url": "https://cheap.example"},
    ],
)
def test_moderation_word_anywhere_holds_the_comment(client, article, fields):
    set_setting("moderation_words", "\n  \nCheap\nviagra\n")
    approve_email(article, fields.get("email", "amina@example.org"))
    body = fields.setdefault("body", "A calm remark.")
    send(client, article, **fields)
    assert stored(body).status == CommentStatus.PENDING


def test_disallowed_word_sends_to_spam_before_anything_else(client, article):
    set_setting("disallowed_words", "casino\n")
    set_setting("moderation_words", "casino")
    approve_email(article, "amina@example.org")
    response = send(client, article, body="Best CASINO offers")
    assert stored("Best CASINO offers").status == CommentStatus.SPAM
    # A spammer is told nothing more than a held commenter.
    assert response.headers["Location"] == f"/{article.slug}/comments/sent/"


def test_without_any_rule_hit_a_known_email_is_approved(app, article):
    approve_email(article, "amina@example.org")
    data = comments.CommentInput(name="A", email="amina@example.org", body="Fine text")
    assert comments.moderate(data, {}) == CommentStatus.APPROVED
    assert comments.moderate(data, {"moderation_words": "text"}) == CommentStatus.PENDING
    assert comments.moderate(data, {"disallowed_words": "fine"}) == CommentStatus.SPAM
    new = comments.CommentInput(name="A", email="new@example.org", body="Fine")
    assert comments.moderate(new, {}) == CommentStatus.PENDING


# -- the question: wrong, expired, replayed, forged ----------------------------------


def _refusal_shows_new_question(response, old_token):
    assert response.status_code == 400
    new_token, _ = solve(response.text)
    assert new_token != old_token
    return new_token


def test_wrong_answer_is_refused_with_a_new_question_and_text_kept(client, article):
    page = client.get(f"/{article.slug}/").text
    token, answer = solve(page)
    response = send(client, article, page=page, answer=str(int(answer) + 1), body="Kept <text>")
    _refusal_shows_new_question(response, token)
    assert "That answer is not right" in response.text
    assert "Kept &lt;text&gt;</textarea>" in response.text
    # the refused token cannot be tried again, even with the right answer
    again = send(client, article, page=page, token=token, answer=answer, body="Kept <text>")
    assert "You already answered this question" in again.text
    # the new question on the refusal page works
    assert send(client, article, page=response.text, body="Kept <text>").status_code == 303
    # the guess spent the page's question for this client only
    other = send(client, article, client_ip="198.51.100.7", page=page, body="Other reader")
    assert other.status_code == 303


def test_a_wrong_guess_at_a_random_question_spends_it_for_everyone(client, article):
    page = send(client, article, token="forged", body="Retry").text  # asks a random question
    _, answer = solve(page)
    wrong = send(client, article, page=page, answer=str(int(answer) + 1), body="Retry")
    assert "That answer is not right" in wrong.text
    again = send(client, article, client_ip="198.51.100.7", page=page, body="Retry")
    assert "already answered once" in again.text
    assert stored("Retry") is None


def later_by(seconds):
    """A stand-in for the ``time`` module itsdangerous reads, ``seconds`` ahead of now."""

    class Later:
        @staticmethod
        def time():
            return time.time() + seconds

    return Later


def test_expired_question_is_refused(client, article, monkeypatch):
    page = client.get(f"/{article.slug}/").text
    token, _ = solve(page)
    later = questions.MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(itsdangerous.timed, "time", later_by(later))
    response = send(client, article, page=page, body="Written slowly")
    _refusal_shows_new_question(response, token)
    assert "The question expired" in response.text
    assert "Written slowly</textarea>" in response.text
    assert stored("Written slowly") is None


def test_a_window_question_lives_its_full_age_from_the_window_start(
    client, article, monkeypatch, question_clock
):
    """A page fetched as its window ends can be answered for two more hours, not longer."""
    start = question_clock.window_start
    question_clock.now = start(-1) - 1  # the last second of the window before last
    page = client.get(f"/{article.slug}/").text
    age = time.time() - start(-2)
    room = questions.MAX_AGE.total_seconds() - age
    monkeypatch.setattr(itsdangerous.timed, "time", later_by(room + 60))
    assert "The question expired" in send(client, article, page=page, body="Late").text
    monkeypatch.setattr(itsdangerous.timed, "time", later_by(room - 60))
    assert send(client, article, page=page, body="In time").status_code == 303


def test_two_readers_answer_the_same_window_question(client, article):
    page = client.get(f"/{article.slug}/").text
    assert send(client, article, page=page, client_ip="192.0.2.10", body="First").status_code == 303
    second = send(client, article, page=page, client_ip="198.51.100.7", body="Second")
    assert second.status_code == 303
    assert stored("First") and stored("Second")
    assert db.session.scalar(select(func.count()).select_from(SpentQuestion)) == 2


def test_replayed_question_is_refused(client, article):
    """The same client twice: refused with a random question, text kept; that one works."""
    page = client.get(f"/{article.slug}/").text
    assert send(client, article, page=page, body="First").status_code == 303
    replay = send(client, article, page=page, body="Second <words>")
    _refusal_shows_new_question(replay, solve(page)[0])
    assert "You already answered this question. Please answer this new one." in replay.text
    assert form_values(replay.text)["comment"] == "Second <words>"
    assert stored("Second <words>") is None
    # a fresh article page asks the same, spent question of this client
    assert "You already answered this question" in send(client, article, body="Third").text
    # the refusal page's random question is spent for everyone once answered
    db.session.execute(delete(ThrottleEvent))  # the flood limit is not under test here
    db.session.commit()
    assert send(client, article, page=replay.text, body="Second <words>").status_code == 303
    other = send(client, article, client_ip="198.51.100.7", page=replay.text, body="Other")
    assert "already answered once" in other.text


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "",
        lambda token: "not-a-token",
        lambda token: itsdangerous.URLSafeTimedSerializer("guessed-key", salt="x").dumps(
            {"n": "abc", "p": 1}
        ),
    ],
    ids=["tampered-signature", "missing", "garbage", "wrong-key"],
)
def test_forged_question_is_refused(client, article, forge):
    page = client.get(f"/{article.slug}/").text
    token, _ = solve(page)
    response = send(client, article, page=page, token=forge(token), body="Forged")
    _refusal_shows_new_question(response, token)
    assert "could not be checked" in response.text
    assert stored("Forged") is None


def test_question_of_another_article_is_refused(client, article, make_post):
    other = make_post(title="Another report")
    page = client.get(f"/{other.slug}/").text
    response = send(client, article, page=page, body="Cross-posted")
    assert response.status_code == 400
    assert "could not be checked" in response.text


def test_missing_answer_keeps_the_same_question(client, article):
    page = client.get(f"/{article.slug}/").text
    token, _ = solve(page)
    response = send(client, article, page=page, answer="", body="No answer")
    assert response.status_code == 400
    assert solve(response.text)[0] == token
    assert "Please answer the question." in response.text


def test_same_token_used_twice_at_once_stores_one_comment(client, article):
    """Spending is enforced by the table's key, not only by the check before it."""
    token, _ = solve(client.get(f"/{article.slug}/").text)
    question, _ = questions.read_question(article.id, token, "192.0.2.1")
    # a concurrent request spends the question between this one's check and its commit
    key = questions.spent_key(question, "192.0.2.1")
    db.session.add(SpentQuestion(nonce=key, expires_at=utcnow()))
    db.session.commit()
    data = comments.CommentInput(name="A", email="a@example.org", body="Race")
    with pytest.raises(comments.CommentRefused) as refused:
        comments._store(article, data, "192.0.2.1", question)
    assert refused.value.status == 400
    assert stored("Race") is None


# -- flood, duplicate, honeypot, validation ------------------------------------------


def test_second_comment_within_15_seconds_is_429_with_text_kept(client, article):
    assert send(client, article, body="First thought", **spare_question(article)).status_code == 303
    response = send(client, article, body="Second thought")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 16
    assert "too quickly" in response.text
    assert "Second thought</textarea>" in response.text
    assert 'value="Amina Reader"' in response.text
    # another reader is not slowed down
    assert send(client, article, client_ip="198.51.100.9", body="Other").status_code == 303


def test_flood_window_ends_after_15_seconds(client, article):
    assert send(client, article, body="Early", **spare_question(article)).status_code == 303
    event = db.session.scalar(select(ThrottleEvent))
    event.created_at -= timedelta(seconds=16)
    db.session.commit()
    assert send(client, article, body="Later").status_code == 303


def test_duplicate_comment_is_409(client, article):
    assert send(client, article, body="Same words").status_code == 303
    response = send(client, article, client_ip="198.51.100.3", body="Same words")
    assert response.status_code == 409
    assert "already posted this comment" in response.text
    assert "Same words</textarea>" in response.text
    assert len(db.session.scalars(select(Comment)).all()) == 1


def test_honeypot_filled_stores_nothing(client, article):
    response = send(client, article, honeypot="http://spam.example", body="Bot text")
    assert response.status_code == 400
    assert stored("Bot text") is None
    assert 'name="address" type="text" value=""' in response.text


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"name": "  "}, "author", "Please enter your name."),
        ({"email": ""}, "email", "Please enter your e-mail address."),
        ({"email": "not-an-address"}, "email", "Please enter a valid e-mail address"),
        ({"url": "javascript:alert(1)"}, "url", "starting with http:// or https://"),
        ({"url": "ftp://example.org/x"}, "url", "starting with http:// or https://"),
        ({"body": " \n "}, "comment", "Please write your comment."),
        ({"body": "x" * 10_001}, "comment", "10000 characters or fewer (it has 10001)"),
        ({"name": "n" * 121}, "author", "120 characters or fewer"),
    ],
)
def test_validation_errors_are_shown_next_to_the_field(client, article, fields, field_id, message):
    response = send(client, article, **fields)
    assert response.status_code == 400
    text = html.unescape(response.text)
    error = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', text)
    assert error and message in error.group(1)
    assert re.search(rf'id="{field_id}"[^>]*aria-describedby="{field_id}-error', response.text)
    assert 'aria-invalid="true"' in response.text
    assert db.session.scalar(select(Comment)) is None


def test_website_without_scheme_gets_https(client, article):
    approve_email(article, "amina@example.org")
    send(client, article, url="example.org/me", body="With site")
    comment = stored("With site")
    assert comment.author_url == "https://example.org/me"
    page = client.get(f"/{article.slug}/").text
    assert '<a class="comment-author-name" dir="auto" href="https://example.org/me" ' in page


REFUSALS = {
    "validation": {"email": "broken"},
    "wrong-answer": {"answer": "-1"},
    "forged": {"token": "forged"},
    "honeypot": {"honeypot": "x"},
}


@pytest.mark.parametrize("how", [*REFUSALS, "flood", "duplicate"])
def test_every_refusal_keeps_everything_the_reader_typed(client, article, how):
    typed = {
        "name": "Zoë <O'Brien>",
        "email": "zoe@example.org" if how != "validation" else "broken",
        "url": "https://zoe.example/?a=1&b=2",
        "body": 'Line one\n\n"Quoted" & <b>not bold</b>\nلا للتعذيب',
    }
    if how in ("flood", "duplicate"):
        earlier = typed | {"body": "warm-up"} if how == "flood" else typed
        send(client, article, **earlier, **spare_question(article))
    ip = "198.51.100.77" if how == "duplicate" else "192.0.2.10"
    response = send(client, article, client_ip=ip, **(typed | REFUSALS.get(how, {})))
    assert response.status_code in (400, 409, 429)
    kept = form_values(response.text)
    assert kept["author"] == typed["name"]
    assert kept["email"] == typed["email"]
    assert kept["url"] == typed["url"]
    assert kept["comment"] == typed["body"]
    assert 'role="alert"' in response.text


# -- threads and display -------------------------------------------------------------


def test_replies_thread_three_levels_with_reply_links_that_need_no_script(client, article):
    approve_email(article, "amina@example.org")
    parent_id = None
    for level in (1, 2, 3, 4):
        ip = f"192.0.2.{level}"
        url = f"/{article.slug}/" + (f"?replytocom={parent_id}" if parent_id else "")
        page = client.get(url).text
        if parent_id:
            assert 'Reply to <span dir="auto">Amina Reader</span>' in page
            assert f'name="comment_parent" value="{parent_id}"' in page
            assert "Cancel reply" in page
        send(client, article, client_ip=ip, page=page, parent=str(parent_id or ""),
             body=f"Level {level}")  # fmt: skip
        comment = stored(f"Level {level}")
        assert comment.parent_id == parent_id and comment.status == CommentStatus.APPROVED
        parent_id = comment.id
    page = client.get(f"/{article.slug}/").text
    assert re.search(
        r"depth-1.*Level 1.*depth-2.*Level 2.*depth-3.*Level 3.*depth-4.*Level 4", page, re.S
    )
    assert f'href="/{article.slug}/?replytocom={parent_id}#respond"' in page
    assert page.count('class="comment-list replies"') == 3


def test_reply_to_a_comment_of_another_post_or_unapproved_is_refused(client, article, make_post):
    other = make_post(title="Other article")
    foreign = Comment(post_id=other.id, author_name="X", author_email="x@example.org",
                      body="Elsewhere", status=CommentStatus.APPROVED)  # fmt: skip
    held = Comment(post_id=article.id, author_name="Y", author_email="y@example.org",
                   body="Held", status=CommentStatus.PENDING)  # fmt: skip
    db.session.add_all([foreign, held])
    db.session.commit()
    for parent in (foreign.id, held.id, "abc", "99999"):
        response = send(client, article, parent=str(parent), body=f"Reply to {parent}")
        assert response.status_code == 400
        assert "replied to is not available" in response.text
        assert f"Reply to {parent}</textarea>" in response.text
    page = client.get(f"/{article.slug}/?replytocom={held.id}").text
    assert "Leave a Reply" in page and f'value="{held.id}"' not in page


def test_only_approved_comments_oldest_first_with_counts(client, article, make_post):
    now = utcnow()
    rows = [
        ("Newer", CommentStatus.APPROVED, now),
        ("Older", CommentStatus.APPROVED, now - timedelta(hours=2)),
        ("Spammy", CommentStatus.SPAM, now - timedelta(hours=1)),
        ("Waiting", CommentStatus.PENDING, now - timedelta(hours=1)),
        ("Binned", CommentStatus.TRASH, now - timedelta(hours=1)),
    ]
    for body, status, created in rows:
        db.session.add(Comment(post_id=article.id, author_name=body, author_email="a@b.example",
                               body=body, status=status, created_at=created))  # fmt: skip
    db.session.commit()
    page = client.get(f"/{article.slug}/").text
    assert page.index("Older") < page.index("Newer")
    for hidden in ("Spammy", "Waiting", "Binned"):
        assert hidden not in page
    assert ">2 Comments</h2>" in page
    assert re.search(r'class="comments-count"[^>]*>(<[^>]*>)*[^<]*\b2\b', page)
    make_post(title="A newer article", days_ago=0)
    assert "2 comments" in client.get("/").text


def test_linkify_makes_http_links_and_escapes_everything_else():
    out = str(comments.linkify('See https://example.org/a?b=1&c=2. Or www.example.net!\n'
                               'javascript:alert(1) <b>x</b> "q"\n\nNext'))  # fmt: skip
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>." in out
    )
    assert (
        '<a href="https://www.example.net" rel="nofollow ugc noopener">www.example.net</a>!' in out
    )
    assert "javascript:alert(1) &lt;b&gt;x&lt;/b&gt; &#34;q&#34;" in out
    assert out.count("<p>") == 2 and "<br>" in out
    assert 'href="javascript' not in out
    paren = str(comments.linkify("(see https://en.wikipedia.org/wiki/Foo_(bar))"))
    assert 'href="https://en.wikipedia.org/wiki/Foo_(bar)"' in paren


def test_stored_comment_keeps_no_raw_address(client, article):
    send(client, article, client_ip="203.0.113.200", body="Hashed")
    comment = stored("Hashed")
    assert comment.ip_hash == throttle.client_hash("203.0.113.200")
    assert "203.0.113.200" not in comment.ip_hash
    dump = database_text()
    assert "203.0.113.200" not in dump
