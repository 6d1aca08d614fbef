"""The search change log: "post X changed", written in the same transaction as the change.

Rows are inserted on the flush's own connection, so a rollback drops them with the change
and a row flushed before commit is logged like any other. ORM bulk ``update()`` /
``delete()`` statements are logged too; raw SQL text is not (use the ORM or run
``flask search sync`` after a manual ``flask search rebuild``).
"""

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, object_session

from ..models import Category, Post, SearchLog, Tag, User, post_tags, utcnow

SESSION_FLAG = "hlhr_search_log_written"
# What renaming one of these changes in the index (the posts pointing at it).
RENAMED_FIELDS = {Tag: ("name", "slug"), Category: ("name", "slug"), User: ("display_name",)}


def install(after_commit) -> None:
    """Register the hooks once per process; ``after_commit(session)`` applies the log."""
    if event.contains(Post, "after_insert", _post_written):
        return
    for name in ("after_insert", "after_update", "after_delete"):
        event.listen(Post, name, _post_written)
    for model in RENAMED_FIELDS:
        event.listen(model, "after_update", _owner_renamed)
    for model in (Tag, Category):
        event.listen(model, "before_delete", _owner_deleted)
    event.listen(Session, "do_orm_execute", _bulk_statement)
    event.listen(Session, "after_commit", lambda session: _after_commit(session, after_commit))


def write_log(connection, post_ids, session=None) -> None:
    """Append one log row per post id on ``connection`` (inside the caller's transaction)."""
    ids = sorted({int(i) for i in post_ids if i is not None})
    if not ids:
        return
    now = utcnow()
    rows = [{"post_id": i, "created_at": now} for i in ids]
    connection.execute(insert(SearchLog.__table__), rows)
    if session is not None:
        session.info[SESSION_FLAG] = True


def _post_written(_mapper, connection, target):
    write_log(connection, [target.id], object_session(target))


def _owner_renamed(mapper, connection, target):
    state = inspect(target)
    if any(state.attrs[name].history.has_changes() for name in RENAMED_FIELDS[mapper.class_]):
        ids = connection.execute(_posts_of(mapper.class_, mapper.class_.id == target.id))
        write_log(connection, ids.scalars(), object_session(target))


def _owner_deleted(mapper, connection, target):
    ids = connection.execute(_posts_of(mapper.class_, mapper.class_.id == target.id))
    write_log(connection, ids.scalars(), object_session(target))


def _posts_of(model, whereclause):
    """SELECT of the ids of posts whose index document shows a row of ``model``."""
    if model is Post:
        query = select(Post.id)
    elif model is Tag:
        query = select(post_tags.c.post_id).join(Tag, Tag.id == post_tags.c.tag_id)
    elif model is Category:
        query = select(Post.id).join(Category, Category.id == Post.category_id)
    else:
        query = select(Post.id).join(User, User.id == Post.author_id)
    return query if whereclause is None else query.where(whereclause)


def _bulk_statement(state):
    """Log the posts an ORM bulk UPDATE/DELETE touches (found before it runs)."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    model = state.bind_mapper.class_
    if model not in (Post, Tag, Category):
        return None  # bulk updates of users never change what the index shows by name
    ids = _affected_ids(state, model)
    result = state.invoke_statement()
    write_log(state.session.connection(), ids, state.session)
    return result


def _affected_ids(state, model):
    if model is Post and isinstance(state.parameters, list):
        # ``session.execute(update(Post), [{"id": 1, ...}, ...])``: rows named by primary key.
        return [row.get("id") for row in state.parameters if isinstance(row, dict)]
    query = _posts_of(model, state.statement.whereclause)
    return list(state.session.connection().execute(query).scalars())


def _after_commit(session, apply_log):
    if session.info.pop(SESSION_FLAG, False):
        apply_log(session)
