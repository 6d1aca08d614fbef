"""Moving a WordPress site in (``flask import-wxr``) and out (``flask export-wxr``)."""


def init_app(app):
    from .cli import export_command, import_command
    from .legacy import redirect_query_permalink

    app.before_request(redirect_query_permalink)
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
