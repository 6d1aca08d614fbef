"""HLHR: a server-rendered news site with full-text search."""

from flask import Flask


def create_app(test_config=None):
    """Build the application: config -> extensions -> blueprints -> errors -> CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    from . import (
        backup,
        busy,
        caching,
        cli,
        config,
        database,
        diskfull,
        editor,
        errors,
        health,
        privacy,
        search,
        security,
        security_log,
        site,
        wordpress,
    )
    from .public import bp as public_bp

    config.load_config(app, test_config)
    security_log.init_app(app)
    database.init_app(app)
    caching.init_app(app)  # first, so its after_request hook runs after all others
    security.init_app(app)
    site.init_app(app)
    privacy.init_app(app)
    search.init_app(app)
    app.register_blueprint(public_bp)
    editor.init_app(app)
    health.init_app(app)
    errors.init_app(app)
    busy.init_app(app)  # after privacy: its after_request hook must run before the purge
    diskfull.init_app(app)  # big uploads spooled to a full disk: 507, not 500
    cli.init_app(app)
    backup.init_app(app)
    wordpress.init_app(app)
    return app
