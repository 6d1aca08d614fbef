"""Reader comments: the form's rules, the math question, moderation, and plain-text display.

Nothing here reads ``request``: the view hands in what the reader typed and the client
address, and turns ``CommentRefused`` back into the form with the reader's text kept.
"""

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from . import throttle
from .extensions import db
from .models import Comment, CommentStatus, Post, SpentQuestion, utcnow
from .site import get_settings

QUESTION_MAX_AGE = timedelta(hours=3)  # a token's lifetime, counted from its window's start
QUESTION_WINDOW = timedelta(hours=1)  # an article page asks one question per window
wall_clock = time.time  # seconds since the epoch: which question window it is
FLOOD_SCOPE = "comment"
FLOOD_WINDOW = timedelta(seconds=15)
MAX_DEPTH = 5  # replies nest this deep; deeper "Reply" links are not offered
HOLD_AT_LINKS = 2
LIMITS = {"name": 120, "email": 254, "url": 300, "body": 10_000}
LINK_REL = "nofollow ugc noopener"

# Form field name for each CommentInput attribute (WordPress names, so browsers autofill).
FORM_NAMES = {
    "name": "author",
    "email": "email",
    "url": "url",
    "body": "comment",
    "parent_id": "comment_parent",
    "token": "question_token",
    "answer": "question_answer",
    "honeypot": "address",
}
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_ID_RE = re.compile(r"[0-9]{1,18}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_TRAILING_PUNCTUATION = ".,;:!?'\")]}"

QUESTION_PROBLEMS = {
    "forged": "The question could not be checked. Please answer the new question.",
    "expired": "The question expired. Please answer the new question.",
    "replayed": "This question was already answered once. Please answer the new question.",
    "wrong": "That answer is not right. Please answer the new question.",
    "unanswered": "Please answer the question.",
}


@dataclass
class CommentInput:
    """What the reader typed, cleaned of control characters but otherwise as given."""

    name: str = ""
    email: str = ""
    url: str = ""
    body: str = ""
    parent_id: str = ""
    token: str = ""
    answer: str = ""
    honeypot: str = ""  # a hidden field that only robots fill in

    @classmethod
    def from_form(cls, form) -> "CommentInput":
        values = {f.name: clean_text(form.get(FORM_NAMES[f.name], "")) for f in fields(cls)}
        for single_line in ("name", "email", "url", "parent_id", "token", "answer"):
            values[single_line] = " ".join(values[single_line].split())
        values["body"] = values["body"].strip()
        return cls(**values)


@dataclass(frozen=True)
class Question:
    """A math question like "19 − 17 =", carried by a signed token naming its nonce.

    ``window`` is set for the question an article page shows to every reader during one
    ``QUESTION_WINDOW``; it is None for a random question, asked after a refused POST.
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


@dataclass
class CommentRefused(Exception):
    """The comment was not stored; ``errors`` maps fields to what the reader should fix.

    ``reason`` is a short code for the log: closed, honeypot, forged, expired, replayed,
    wrong, unanswered, invalid, flood or duplicate.
    """

    status: int
    message: str
    question: Question
    errors: dict = field(default_factory=dict)
    retry_after: int | None = None
    reason: str = ""


def clean_text(value: str) -> str:
    """Drop control characters and lone surrogates; normalise line ends."""
    return _CONTROL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


# -- the math question ---------------------------------------------------------------
#
# An article page asks every reader the same question during one window, so its body (and
# ETag) stays the same and conditional GETs get 304. That question is spent per client (by
# a keyed daily pseudonym, never the address); a random question, asked on the pages that
# answer a POST, is spent for everyone. Either way a client gets one answer per token.


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
    return window * int(QUESTION_WINDOW.total_seconds())


def current_window() -> int:
    return int(wall_clock() // QUESTION_WINDOW.total_seconds())


def window_question(post_id: int, window: int | None = None) -> Question:
    """The question every reader of the article gets during ``window`` (default: now).

    Its nonce comes from the secret key, the article and the window, and its token is
    signed as of the window's start: the same all window, valid ``QUESTION_MAX_AGE`` from
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
    """The question a token carries, or the problem with it (forged, expired, replayed).

    ``client`` is the address answering: a window question is replayed only by its own.
    """
    try:
        payload = _serializer().loads(token, max_age=int(QUESTION_MAX_AGE.total_seconds()))
    except SignatureExpired:
        return None, "expired"
    except BadData:
        return None, "forged"
    question = _payload_question(post_id, token, payload)
    if question is None:
        return None, "forged"
    if db.session.get(SpentQuestion, spent_key(question, client)) is not None:
        return None, "replayed"
    return question, None


def _spend(question: Question, client: str) -> None:
    """Mark the question answered (the caller commits; a second spend fails on the key)."""
    key = spent_key(question, client)
    db.session.add(SpentQuestion(nonce=key, expires_at=utcnow() + QUESTION_MAX_AGE))


def check_question(post_id: int, data: CommentInput, client: str) -> tuple[Question, str | None]:
    """The question to show next and what is wrong with the answer (a ``QUESTION_PROBLEMS`` key).

    A wrong answer spends the question, so one token allows one guess per client.
    """
    question, problem = read_question(post_id, data.token, client)
    if question is None:
        return new_question(post_id), problem
    if not data.answer:
        return question, "unanswered"
    if data.answer.lstrip("+") != str(question.answer):
        _spend(question, client)
        db.session.commit()
        return new_question(post_id), "wrong"
    return question, None


# -- validation ----------------------------------------------------------------------


def normalise_url(url: str) -> str:
    """``example.org`` -> ``https://example.org``; anything but http(s) stays as typed."""
    if url and "://" not in url and "." in url and ":" not in url.split("/")[0]:
        return f"https://{url}"
    return url


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _too_long(label: str, value: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"Please shorten the {label} to {limit} characters or fewer (it has {len(value)})."
    return None


def _field_errors(data: CommentInput) -> dict:
    errors = {}
    if not data.name:
        errors["name"] = "Please enter your name."
    if not data.email:
        errors["email"] = "Please enter your e-mail address."
    elif not EMAIL_RE.fullmatch(data.email):
        errors["email"] = "Please enter a valid e-mail address, like name@example.org."
    if data.url and not is_web_url(data.url):
        errors["url"] = "Please enter a web address starting with http:// or https://."
    if not data.body:
        errors["body"] = "Please write your comment."
    labels = {"name": "name", "email": "e-mail address", "url": "website", "body": "comment"}
    for name, label in labels.items():
        problem = _too_long(label, getattr(data, name), LIMITS[name])
        if problem and name not in errors:
            errors[name] = problem
    return errors


def reply_parent(post: Post, parent_id: str) -> Comment | None:
    """The approved comment of ``post`` being replied to, if it may still get replies."""
    if not _ID_RE.fullmatch(parent_id):
        return None
    parent = db.session.get(Comment, int(parent_id))
    if parent is None or parent.post_id != post.id or parent.status != CommentStatus.APPROVED:
        return None
    return parent if comment_depth(parent) < MAX_DEPTH else None


def comment_depth(comment: Comment) -> int:
    depth, current = 1, comment
    while current.parent_id is not None and depth <= MAX_DEPTH:
        current = db.session.get(Comment, current.parent_id)
        depth += 1
    return depth


def validate(post: Post, data: CommentInput) -> dict:
    """Field -> what to fix; empty when the comment may be stored."""
    errors = _field_errors(data)
    if data.parent_id and reply_parent(post, data.parent_id) is None:
        errors["parent"] = "The comment you replied to is not available any more."
    return errors


# -- moderation ----------------------------------------------------------------------


def word_list(text: str) -> list[str]:
    """A settings list: one word or phrase a line, blank lines ignored."""
    return [line.strip().casefold() for line in (text or "").splitlines() if line.strip()]


def listed_word(words: list[str], data: CommentInput) -> str | None:
    """The first listed word found inside name, e-mail, website or text (like WordPress)."""
    haystack = "\n".join((data.name, data.email, data.url, data.body)).casefold()
    return next((word for word in words if word in haystack), None)


def count_links(text: str) -> int:
    return len(URL_RE.findall(text))


def has_approved_comment(email: str) -> bool:
    query = select(Comment.id).where(
        func.lower(Comment.author_email) == email.casefold(),
        Comment.status == CommentStatus.APPROVED,
    )
    return db.session.scalar(query.limit(1)) is not None


def moderate(data: CommentInput, settings: dict) -> CommentStatus:
    """Spam for a disallowed word; held for a moderation word, many links or a new e-mail."""
    if listed_word(word_list(settings.get("disallowed_words", "")), data):
        return CommentStatus.SPAM
    if (
        listed_word(word_list(settings.get("moderation_words", "")), data)
        or count_links(data.body) >= HOLD_AT_LINKS
        or not has_approved_comment(data.email)
    ):
        return CommentStatus.PENDING
    return CommentStatus.APPROVED


# -- submission ----------------------------------------------------------------------


def _refuse_flood(client: str, question: Question) -> None:
    """:raise CommentRefused: 429 when this client commented within ``FLOOD_WINDOW``."""
    oldest = throttle.oldest_in_window(FLOOD_SCOPE, client, FLOOD_WINDOW)
    if oldest is None:
        return
    wait = max(1, int((oldest + FLOOD_WINDOW - utcnow()).total_seconds()) + 1)
    message = (
        "You are posting comments too quickly. "
        f"Please wait {wait} seconds, then send your comment again."
    )
    raise CommentRefused(429, message, question, retry_after=wait, reason="flood")


def _refuse_duplicate(post: Post, data: CommentInput, question: Question) -> None:
    """:raise CommentRefused: 409 when the same person already sent this text here."""
    query = select(Comment.id).where(
        Comment.post_id == post.id,
        func.lower(Comment.author_email) == data.email.casefold(),
        Comment.body == data.body,
        Comment.status != CommentStatus.TRASH,
    )
    if db.session.scalar(query.limit(1)) is not None:
        message = "You have already posted this comment here."
        errors = {"body": "This exact comment was sent."}
        raise CommentRefused(409, message, question, errors, reason="duplicate")


def submit_comment(post: Post, data: CommentInput, client: str) -> Comment:
    """Check, moderate and store a reader's comment; ``client`` is only ever hashed.

    :raise CommentRefused: 403 comments closed, 400 honeypot / fields / question,
        429 flood, 409 duplicate.
    """
    if not post.comments_open:
        message = "Comments on this article are closed."
        raise CommentRefused(403, message, new_question(post.id), reason="closed")
    if data.honeypot:
        message = "Your comment could not be accepted. Please leave the hidden field empty."
        raise CommentRefused(400, message, new_question(post.id), reason="honeypot")
    errors = validate(post, data)
    question, problem = check_question(post.id, data, client)
    if problem:
        errors["answer"] = QUESTION_PROBLEMS[problem]
    if errors:
        message = "Your comment was not posted yet. Please correct what is marked below."
        raise CommentRefused(400, message, question, errors, reason=problem or "invalid")
    _refuse_flood(client, question)
    _refuse_duplicate(post, data, question)
    return _store(post, data, client, question)


def _store(post: Post, data: CommentInput, client: str, question: Question) -> Comment:
    comment = Comment(
        post_id=post.id,
        parent_id=int(data.parent_id) if data.parent_id else None,
        author_name=data.name,
        author_email=data.email,
        author_url=data.url,
        body=data.body,
        status=moderate(data, get_settings()),
        ip_hash=throttle.client_hash(client),
    )
    db.session.add(comment)
    _spend(question, client)
    throttle.record(FLOOD_SCOPE, client)
    try:
        db.session.commit()
    except IntegrityError:  # another request spent the same question first
        db.session.rollback()
        retry = new_question(post.id)
        problem = QUESTION_PROBLEMS["replayed"]
        raise CommentRefused(400, problem, retry, {"answer": problem}, reason="replayed") from None
    return comment


def kept_input(data: CommentInput, refused: CommentRefused) -> CommentInput:
    """What to put back in the form: everything typed, with the question that is shown now."""
    answer = data.answer if refused.question.token == data.token else ""
    return replace(data, token=refused.question.token, answer=answer, honeypot="")


# -- display -------------------------------------------------------------------------


def _split_url(candidate: str) -> str:
    """Trim sentence punctuation that follows a URL (keeping balanced parentheses)."""
    while candidate and candidate[-1] in _TRAILING_PUNCTUATION:
        if candidate[-1] == ")" and candidate.count("(") >= candidate.count(")"):
            break
        candidate = candidate[:-1]
    return candidate


def _linkify_line(text: str) -> Markup:
    parts, position = [], 0
    for match in URL_RE.finditer(text):
        url = _split_url(match.group())
        if not url or url.lower() in ("http://", "https://", "www."):
            continue
        href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<a href="{}" rel="{}">{}</a>').format(href, LINK_REL, url))
        position = match.start() + len(url)
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def linkify(text: str) -> Markup:
    """Plain comment text -> paragraphs with clickable http(s) links; everything else escaped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    html = Markup("")
    for paragraph in paragraphs:
        lines = Markup("<br>\n").join(_linkify_line(line) for line in paragraph.split("\n"))
        html += Markup("<p>{}</p>").format(lines)
    return html


def find_in_thread(roots: list, comment_id) -> tuple[Comment | None, int]:
    """A comment of an ``approved_comments`` tree and its depth (1 = top level)."""
    wanted = str(comment_id or "")
    stack = [(c, 1) for c in roots]
    while stack:
        comment, depth = stack.pop()
        if str(comment.id) == wanted:
            return comment, depth
        stack.extend((reply, depth + 1) for reply in getattr(comment, "replies", []))
    return None, 0
