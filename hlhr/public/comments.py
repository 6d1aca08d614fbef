"""The "Leave a Reply" form: shown under articles, posted here, refused with the text kept."""

from dataclasses import dataclass, field

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import comments, questions, security_log
from ..extensions import csrf, db
from ..models import CommentStatus, Post, PostKind, utcnow
from . import bp

# Refusals that say something about the client (not a typo): reason -> security event.
# The signed question is this form's CSRF token, so a bad one is a CSRF failure.
LOGGED_REFUSALS = {
    "closed": "forbidden",
    "honeypot": "comment-refused",
    "wrong": "comment-refused",
    "forged": "csrf-failed",
    "expired": "csrf-failed",
    "replayed": "csrf-failed",
    "flood": "throttled",
}


@dataclass
class CommentForm:
    """Everything the form template needs: values, errors, the question, the reply target."""

    values: comments.CommentInput
    question: questions.Question
    errors: dict = field(default_factory=dict)
    message: str = ""
    reply_to: object = None  # the Comment being answered, if any
    max_depth: int = comments.MAX_DEPTH


@bp.app_template_global()
def comment_form(post, thread, reply_to_id=None):
    """A blank form for ``post``, answering ``?replytocom=`` when it names a comment shown.

    It asks the window's question, the same for every reader, so the page can be cached.
    """
    question = questions.window_question(post.id)
    parent, depth = comments.find_in_thread(thread, reply_to_id)
    if parent is not None and depth >= comments.MAX_DEPTH:
        parent = None
    values = comments.CommentInput(token=question.token, parent_id=str(parent.id) if parent else "")
    return CommentForm(values, question, reply_to=parent)


@bp.app_template_filter()
def comment_html(text):
    """A comment's plain text as paragraphs with links made clickable (nothing else)."""
    return comments.linkify(text or "")


@bp.app_template_filter()
def web_url(url):
    """The commenter's website when it is an http(s) address, else an empty string."""
    return url if url and comments.is_web_url(url) else ""


def _commentable_post(slug):
    """The visible article at ``slug`` (without the extras the article page loads).

    :raise 404: no visible article has this slug (pages take no comments).
    """
    query = select(Post).where(
        Post.slug == slug, Post.kind == PostKind.POST, Post.is_visible(utcnow())
    )
    return db.session.scalar(query) or abort(404)


@bp.post("/<slug>/comments/")
@csrf.exempt  # readers have no session (no cookies); the signed question guards the form
def post_comment(slug):
    """Store a comment, then show it (approved) or say it awaits moderation.

    :raise 404: unknown article. Refusals (400, 403, 409, 429) re-show the form.
    """
    item = _commentable_post(slug)
    data = comments.CommentInput.from_form(request.form)
    data.url = comments.normalise_url(data.url)
    try:
        comment = comments.submit_comment(item, data, request.remote_addr or "unknown")
    except comments.CommentRefused as refused:
        return _refusal(item, data, refused)
    if comment.status == CommentStatus.APPROVED:
        target = url_for("public.post", slug=item.slug, _anchor=f"comment-{comment.id}")
    else:
        target = url_for("public.comment_sent", slug=item.slug)
    return redirect(target, code=303)


def _log_refusal(item, refused):
    name = LOGGED_REFUSALS.get(refused.reason)
    if name is None:
        return
    fields = {"reason": refused.reason, "post": item.id, "client": security_log.pseudonym()}
    if name == "throttled":
        fields.update(scope=comments.FLOOD_SCOPE, wait=refused.retry_after)
    if name == "forbidden":
        security_log.forbidden(**fields)
    else:
        security_log.event(name, **fields)


def _refusal(item, data, refused):
    _log_refusal(item, refused)
    parent = comments.reply_parent(item, data.parent_id) if data.parent_id else None
    values = comments.kept_input(data, refused)
    values.parent_id = str(parent.id) if parent else ""
    form = CommentForm(
        values=values,
        question=refused.question,
        errors=refused.errors,
        message=refused.message,
        reply_to=parent,
    )
    page = render_template("public/comment_result.html", post=item, form=form, outcome="refused")
    headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else {}
    return page, refused.status, headers


@bp.get("/<slug>/comments/sent/")
def comment_sent(slug):
    """The page after a comment that waits for an editor.

    :raise 404: unknown article.
    """
    item = _commentable_post(slug)
    return render_template("public/comment_result.html", post=item, form=None, outcome="held")
