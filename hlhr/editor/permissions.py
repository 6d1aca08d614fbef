"""The one place that decides whether a staff member may do something.

Capabilities are named strings; a role has a set of them, and a few depend on the
object (a contributor edits only their own unpublished posts).
"""

from flask import abort

from .. import security_log
from ..models import Media, Post, PostStatus, Role

CONTRIBUTOR = frozenset(
    {"dashboard", "posts.list", "post.create", "post.edit", "post.preview", "media.list",
     "account"}
)  # fmt: skip
AUTHOR = CONTRIBUTOR | {"post.publish", "post.trash", "media.upload"}
EDITOR = AUTHOR | {
    "post.edit_any",
    "post.publish_any",
    "post.delete",
    "post.html",
    "post.editors_pick",
    "pages.manage",
    "menu.manage",
    "taxonomy.manage",
    "comments.moderate",
    "media.manage",
}
ADMIN = EDITOR | {"users.manage", "settings.manage"}
CAPABILITIES = {Role.CONTRIBUTOR: CONTRIBUTOR, Role.AUTHOR: AUTHOR, Role.EDITOR: EDITOR,
                Role.ADMIN: ADMIN}  # fmt: skip
UNPUBLISHED = (PostStatus.DRAFT, PostStatus.PENDING, PostStatus.TRASH)


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may do ``action`` (on ``obj`` when the rule depends on it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    granted = CAPABILITIES.get(user.role, frozenset())
    if isinstance(obj, Post):
        return _can_on_post(user, action, obj, granted)
    if isinstance(obj, Media) and action == "media.edit":
        own = obj.uploaded_by_id == user.id
        return "media.manage" in granted or (own and "media.upload" in granted)
    return action in granted


def _can_on_post(user, action, post, granted):
    if post.kind == "page" and "pages.manage" not in granted:
        return False
    # A new post has its author object but no author_id until it is flushed.
    owner_id = post.author_id if post.author_id is not None else getattr(post.author, "id", None)
    own = owner_id == user.id
    if action in ("post.edit", "post.preview", "post.trash", "post.restore"):
        if "post.edit_any" in granted:
            return True
        if not own or "post.edit" not in granted:
            return False
        # Contributors may not touch a post once it is published or scheduled.
        return post.status in UNPUBLISHED or "post.publish" in granted
    if action == "post.publish":
        return "post.publish_any" in granted or (own and "post.publish" in granted)
    return action in granted


def require(user, action: str, obj=None) -> None:
    """Stop the request unless ``user`` may do ``action``.

    :raise 403: and logs the refusal to ``hlhr.security``.
    """
    if not can(user, action, obj):
        target = f"{type(obj).__name__}:{getattr(obj, 'id', '')}" if obj is not None else "-"
        security_log.forbidden(
            user=getattr(user, "id", None),
            role=getattr(user, "role", None),
            action=action,
            target=target,
        )
        abort(403)
