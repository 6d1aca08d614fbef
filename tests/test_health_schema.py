"""``/healthz`` checks the database's schema against the migrations this code ships."""

import pytest
from search_support import index  # noqa: F401  (fixture)
from sqlalchemy import text

from hlhr import create_app, health
from hlhr.extensions import db


def _set_revision(revision: str | None) -> None:
    db.session.execute(text("DELETE FROM alembic_version"))
    if revision is not None:
        db.session.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
    db.session.commit()


def _previous_revision() -> str:
    script = health._migrations()
    (head,) = script.get_heads()
    return script.get_revision(head).down_revision


def test_a_current_schema_is_ok(client):
    assert client.get("/healthz").json["database"] == {"status": "ok"}


@pytest.mark.parametrize(("revision", "schema"), [("previous", "outdated"), (None, "missing")])
def test_an_outdated_or_unmigrated_schema_answers_503(client, revision, schema):
    _set_revision(_previous_revision() if revision == "previous" else revision)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert response.json["database"] == {"status": "error", "schema": schema}


def test_a_schema_a_newer_node_migrated_is_still_served(client, index):  # noqa: F811
    _set_revision("f00dfeedbeef")  # not among this code's migrations: written by newer code
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == {"status": "ok", "schema": "newer"}


def test_a_wrong_database_path_is_reported_as_a_missing_schema(tmp_path):
    """SQLite creates an empty file for a mistyped path: the database answers, but is empty."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'typo.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    with app.app_context():
        response = app.test_client().get("/healthz")
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 503
    assert response.json["database"] == {"status": "error", "schema": "missing"}
    assert response.json["search"] == {"status": "unknown"}
