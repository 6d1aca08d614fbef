"""Alembic environment: the Flask app's engine and models (run by flask-migrate)."""

import logging

from alembic import context
from flask import current_app
from sqlalchemy import text

logger = logging.getLogger("alembic.env")
config = context.config
target_db = current_app.extensions["migrate"].db
# PostgreSQL advisory lock key ("hlhr" in ASCII) taken by every upgrade: nodes that start
# together on one database migrate one after the other, and the later ones find nothing to do.
MIGRATION_LOCK_KEY = 0x686C6872


def get_metadata():
    return target_db.metadata


def run_migrations_offline():
    """Emit SQL to stdout (``flask db upgrade --sql``)."""
    url = target_db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # An autogenerate run that found no change writes no empty migration.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    options = dict(current_app.extensions["migrate"].configure_args)  # shared by every app
    options.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # SQLite can roll DDL back, but alembic assumes it cannot and the sqlite3 driver
            # commits each CREATE on its own: a full disk mid-upgrade would leave half a
            # schema that the next `flask init-db` trips over. One transaction instead.
            options.setdefault("transactional_ddl", True)
        context.configure(connection=connection, target_metadata=get_metadata(), **options)
        with context.begin_transaction():
            _wait_for_other_migrations(connection)
            context.run_migrations()


def _wait_for_other_migrations(connection):
    """Hold the migration lock until this transaction ends (before the version is read):
    PostgreSQL's advisory lock, SQLite's write lock."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
