"""Reader comments: the form's rules, moderation, and plain-text display (the math
question that guards the form is in questions.py).

Nothing here reads ``request``: the view hands in what the reader typed and the client
address, and turns ``CommentRefused`` back into the form with the reader's text kept.
"""

import re
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from . import questions, throttle
from .extensions import db
from .models import Comment, CommentStatus, Post, utcnow
from .questions import Question
from .site import get_settings

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
        raise CommentRefused(403, message, questions.new_question(post.id), reason="closed")
    if data.honeypot:
        message = "Your comment could not be accepted. Please leave the hidden field empty."
        raise CommentRefused(400, message, questions.new_question(post.id), reason="honeypot")
    errors = validate(post, data)
    question, problem = questions.check_question(post.id, data.token, data.answer, client)
    if problem:
        errors["answer"] = questions.PROBLEMS[problem]
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
    questions.spend(question, client)
    throttle.record(FLOOD_SCOPE, client)
    try:
        db.session.commit()
    except IntegrityError:  # another request spent the same question first
        db.session.rollback()
        retry = questions.new_question(post.id)
        problem = questions.PROBLEMS["replayed"]
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
