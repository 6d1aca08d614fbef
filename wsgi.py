"""WSGI entry point: ``gunicorn wsgi:app``."""

from hlhr import create_app

app = create_app()
