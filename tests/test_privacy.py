"""Readers' privacy guarantees: no cookies, no e-mail shown, hashes expire, images clean."""

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from hlhr import privacy, questions, throttle
from hlhr.extensions import db
from hlhr.models import Comment, CommentStatus, SpentQuestion, ThrottleEvent, utcnow

SECRET_EMAIL = "hidden.reader.7f3a@example.org"
OPTIONAL_PATHS = ["/feed/", "/feed/atom/", "/sitemap.xml", "/robots.txt"]


def _comment_form(post, **fields):
    question = questions.new_question(post.id)
    return {
        "author": "Nadia",
        "email": SECRET_EMAIL,
        "url": "https://nadia.example",
        "comment": "A reader's view.",
        "comment_parent": "",
        "question_token": question.token,
        "question_answer": str(question.answer),
        "address": "",
    } | fields


@pytest.fixture
def published(make_post):
    post = make_post(title="Privacy article", tags=("rights",))
    db.session.add(
        Comment(post_id=post.id, author_name="Nadia", author_email=SECRET_EMAIL,
                author_url="https://nadia.example", body="Approved words.",
                status=CommentStatus.APPROVED)
    )  # fmt: skip
    db.session.commit()
    return post


def reader_paths(post):
    month = post.published_at.strftime("/%Y/%m/")
    return [
        "/",
        f"/{post.slug}/",
        f"/{post.slug}/?replytocom=1",
        "/category/news/",
        "/tag/rights/",
        f"/author/{post.author.slug}/",
        month,
        "/search/?q=privacy",
        "/search/suggest?q=pri",
        f"/{post.slug}/comments/sent/",
        "/no-such-page/",
        *OPTIONAL_PATHS,
    ]


def test_no_reader_response_sets_a_cookie(client, published):
    for path in reader_paths(published):
        response = client.get(path)
        # search may honestly answer 503 while its index is being built
        assert response.status_code < 500 or path.startswith("/search/"), path
        assert "Set-Cookie" not in response.headers, path
    refused = client.post(f"/{published.slug}/comments/", data=_comment_form(published, email=""))
    accepted = client.post(f"/{published.slug}/comments/", data=_comment_form(published))
    assert refused.status_code == 400 and accepted.status_code == 303
    for response in (refused, accepted, client.get(accepted.headers["Location"])):
        assert "Set-Cookie" not in response.headers


def test_commenter_email_appears_nowhere_public(client, published):
    client.post(f"/{published.slug}/comments/", data=_comment_form(published))
    for path in reader_paths(published):
        body = client.get(path).get_data(as_text=True)
        assert SECRET_EMAIL not in body, path
        assert "hidden.reader.7f3a" not in body, path
    refused = client.post(f"/{published.slug}/comments/", data=_comment_form(published, url="x:"))
    # the only place it may appear is the reader's own refused form, in the e-mail field
    assert refused.get_data(as_text=True).count(SECRET_EMAIL) == 1


def _old_rows(round_=0):
    long_ago = utcnow() - throttle.RETENTION - timedelta(days=1)
    recent = utcnow() - timedelta(days=2)
    for created in (long_ago, recent):
        db.session.add(ThrottleEvent(scope="comment", key_hash="a" * 64, created_at=created))
    post_id = db.session.scalar(select(Comment.post_id))
    for created, marker in ((long_ago, "old"), (recent, "new")):
        db.session.add(
            Comment(post_id=post_id, author_name=marker, author_email="x@example.org",
                    body=marker, ip_hash="b" * 64, created_at=created)
        )  # fmt: skip
    if not round_:
        db.session.add(SpentQuestion(nonce="expired", expires_at=utcnow() - timedelta(minutes=1)))
        db.session.add(SpentQuestion(nonce="live", expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()


def _remaining():
    db.session.expire_all()
    hashes = dict(
        db.session.execute(select(Comment.body, Comment.ip_hash).order_by(Comment.id)).all()
    )
    return (
        len(db.session.scalars(select(ThrottleEvent)).all()),
        hashes["old"],
        hashes["new"],
        set(db.session.scalars(select(SpentQuestion.nonce))),
    )


def test_flask_purge_expires_client_hashes_after_30_days(runner, published):
    _old_rows()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 throttle records." in result.output
    assert "Deleted 1 comment client hashes." in result.output
    assert "Deleted 1 spent comment questions." in result.output
    assert _remaining() == (1, None, "b" * 64, {"live"})


def test_purge_also_runs_opportunistically_once_an_hour(app, client, published):
    _old_rows()
    client.get("/")
    assert _remaining() == (1, None, "b" * 64, {"live"})
    _old_rows(round_=1)
    client.get("/")  # within the hour: nothing more is done by this process
    assert _remaining()[0] == 3
    app.extensions["hlhr_purge"]._next = 0  # an hour later
    client.get("/")
    assert _remaining()[0] == 2


def test_purge_leaves_the_request_session_alone(app, published):
    with app.test_request_context("/"):
        comment = db.session.scalar(select(Comment))
        comment.body = "unsaved edit"  # e.g. a preview that must never be committed
        privacy.purge_when_due(app.response_class())
        db.session.rollback()
    db.session.expire_all()
    assert db.session.scalar(select(Comment.body)) == "Approved words."


def test_client_hash_key_rotates_daily_and_is_not_the_address(app):
    today = throttle.client_hash("198.51.100.4")
    tomorrow = throttle.client_hash("198.51.100.4", utcnow() + timedelta(days=1))
    assert re.fullmatch(r"[0-9a-f]{64}", today) and today != tomorrow
    assert "198.51.100.4" not in today


def _jpeg_with_gps():
    image = Image.new("RGB", (800, 600), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_uploaded_images_served_to_readers_carry_no_exif_or_gps(app, client, staff):
    from hlhr.media import store_image

    data = _jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()  # the upload really has EXIF and GPS
    media = store_image(data, "holiday.jpg", alt_text="x", user=staff)
    names = [media.stored_name] + [r["name"] for r in media.renditions]
    for name in names:
        with client.get(f"/media/{name}") as response:
            assert response.status_code == 200
            assert "Set-Cookie" not in response.headers
            data = response.data
        served = Image.open(io.BytesIO(data))
        assert not served.getexif(), name
        assert b"SpyCam" not in data and b"Exif" not in data
