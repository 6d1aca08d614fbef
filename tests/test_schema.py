"""The migrations build exactly the schema the models describe, on this run's database."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import _config
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from hlhr import create_app
from hlhr.database import MIGRATIONS_DIR
from hlhr.extensions import db


def _differences() -> list:
    """What ``flask db migrate`` would write: models vs the database, types and defaults too."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, db.metadata)


@pytest.fixture
def empty_app(tmp_path, databases):
    url = databases.empty("schema")
    app = create_app(_config(tmp_path, url))
    with app.app_context():
        yield app
        db.engine.dispose()
    databases.drop(url)


def test_migrations_build_the_schema_of_the_models(empty_app):
    assert inspect(db.engine).get_table_names() == []
    upgrade(directory=str(MIGRATIONS_DIR))
    tables = set(inspect(db.engine).get_table_names())
    assert tables == set(db.metadata.tables) | {"alembic_version"}
    assert _differences() == []


def test_migrations_go_down_to_nothing_and_up_again(empty_app):
    upgrade(directory=str(MIGRATIONS_DIR))
    downgrade(directory=str(MIGRATIONS_DIR), revision="base")
    assert inspect(db.engine).get_table_names() == ["alembic_version"]
    upgrade(directory=str(MIGRATIONS_DIR))
    assert _differences() == []
