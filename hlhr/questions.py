"""The math question that guards the comment form (no JavaScript, no third party).

An article page asks every reader the same question during one window, so its body (and
ETag) stays the same and conditional GETs get 304. That question is spent per client (by
a keyed daily pseudonym, never the address); a random question, asked on the pages that
answer a POST, is spent for everyone. Either way a client gets one answer per token.
"""

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from . import throttle
from .extensions import db
from .models import SpentQuestion, utcnow

MAX_AGE = timedelta(hours=3)  # a token's lifetime, counted from its window's start
WINDOW = timedelta(hours=1)  # an article page asks one question per window
wall_clock = time.time  # seconds since the epoch: which question window it is

PROBLEMS = {
    "forged": "The question could not be checked. Please answer the new question.",
    "expired": "The question expired. Please answer the new question.",
    "replayed": "This question was already answered once. Please answer the new question.",
    "answered": "You already answered this question. Please answer this new one.",
    "wrong": "That answer is not right. Please answer the new question.",
    "unanswered": "Please answer the question.",
}


@dataclass(frozen=True)
class Question:
    """A math question like "19 − 17 =", carried by a signed token naming its nonce.

    ``window`` is set for the question an article page shows to every reader during one
    ``WINDOW``; it is None for a random question, asked after a refused POST.
    """

    token: str
    left: int
    operator: str
    right: int
    nonce: str = ""
    window: int | None = None

    @property
    def text(self) -> str:
        return f"{self.left} {self.operator} {self.right} ="

    @property
    def spoken(self) -> str:
        word = "plus" if self.operator == "+" else "minus"
        return f"What is {self.left} {word} {self.right}?"

    @property
    def answer(self) -> int:
        return self.left + self.right if self.operator == "+" else self.left - self.right


class _StampedSigner(TimestampSigner):
    """Signs with a given time instead of now: a window's token is the same all window.

    Only for ``dumps``: ``loads`` would measure the age from this time too.
    """

    def __init__(self, *args, stamp: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.stamp = stamp

    def get_timestamp(self) -> int:
        return self.stamp


def _serializer(stamp: int | None = None) -> URLSafeTimedSerializer:
    """The question tokens' serializer; ``stamp`` signs with that time (default: now)."""
    key, salt = current_app.config["SECRET_KEY"], "hlhr.comment-question"
    if stamp is None:
        return URLSafeTimedSerializer(key, salt=salt)
    stamped = {"signer": _StampedSigner, "signer_kwargs": {"stamp": stamp}}
    return URLSafeTimedSerializer(key, salt=salt, **stamped)


def _keyed_digest(message: str) -> bytes:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def _question(token: str, nonce: str, window: int | None = None) -> Question:
    """Operands derived from the nonce with the secret key: the token does not reveal them."""
    digest = _keyed_digest(f"comment-question:{nonce}")
    left = 2 + digest[0] % 19
    if digest[2] % 2:
        return Question(token, left, "+", 1 + digest[1] % 9, nonce, window)
    return Question(token, left, "−", 1 + digest[1] % (left - 1), nonce, window)


def new_question(post_id: int) -> Question:
    """A random question, spent for everyone once answered (refusal pages ask these)."""
    nonce = secrets.token_urlsafe(16)
    return _question(_serializer().dumps({"n": nonce, "p": post_id}), nonce)


def _window_start(window: int) -> int:
    return window * int(WINDOW.total_seconds())


def current_window() -> int:
    return int(wall_clock() // WINDOW.total_seconds())


def window_question(post_id: int, window: int | None = None) -> Question:
    """The question every reader of the article gets during ``window`` (default: now).

    Its nonce comes from the secret key, the article and the window, and its token is
    signed as of the window's start: the same all window, valid ``MAX_AGE`` from
    that start (at least two hours for a page fetched as the window ends).
    """
    window = current_window() if window is None else window
    digest = _keyed_digest(f"comment-question-window:{post_id}:{window}")
    nonce = base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    payload = {"n": nonce, "p": post_id, "w": window}
    return _question(_serializer(_window_start(window)).dumps(payload), nonce, window)


def spent_key(question: Question, client: str) -> str:
    """The ``SpentQuestion`` key: the nonce, plus the client's pseudonym for a window question.

    The pseudonym is ``security_log.pseudonym``'s keyed daily hash, taken for the window's
    day, so crossing midnight does not make a spent question new again. At most
    22 + 1 + 16 characters: it fits the 64-character column.
    """
    if question.window is None:
        return question.nonce
    day = datetime.fromtimestamp(_window_start(question.window), UTC)
    return f"{question.nonce}:{throttle.client_hash(client, day)[:16]}"


def _payload_question(post_id: int, token: str, payload) -> Question | None:
    """The question a verified token's payload names, or None when it is not for ``post_id``."""
    if not isinstance(payload, dict) or payload.get("p") != post_id:
        return None
    nonce, window = str(payload.get("n") or ""), payload.get("w")
    if not nonce or not (window is None or type(window) is int):
        return None
    return _question(token, nonce, window)


def read_question(post_id: int, token: str, client: str) -> tuple[Question | None, str | None]:
    """The question a token carries, or the problem with it: forged, expired, replayed (a
    random question answered before) or answered (this client answered the window's
    question already: a second comment within the hour, or a neighbour behind one address).
    """
    try:
        payload = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except SignatureExpired:
        return None, "expired"
    except BadData:
        return None, "forged"
    question = _payload_question(post_id, token, payload)
    if question is None:
        return None, "forged"
    if db.session.get(SpentQuestion, spent_key(question, client)) is not None:
        return None, "replayed" if question.window is None else "answered"
    return question, None


def spend(question: Question, client: str) -> None:
    """Mark the question answered (the caller commits; a second spend fails on the key)."""
    key = spent_key(question, client)
    db.session.add(SpentQuestion(nonce=key, expires_at=utcnow() + MAX_AGE))


def check_question(
    post_id: int, token: str, answer: str, client: str
) -> tuple[Question, str | None]:
    """The question to show next and what is wrong with the answer (a ``PROBLEMS`` key).

    A wrong answer spends the question, so one token allows one guess per client.
    """
    question, problem = read_question(post_id, token, client)
    if question is None:
        return new_question(post_id), problem
    if not answer:
        return question, "unanswered"
    if answer.lstrip("+") != str(question.answer):
        spend(question, client)
        try:
            db.session.commit()
        except IntegrityError:  # the same guess sent twice at once: the other one spent it
            db.session.rollback()
        return new_question(post_id), "wrong"
    return question, None
