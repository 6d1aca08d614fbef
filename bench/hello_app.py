"""The yardstick for bench/load.sh: a minimal Flask page, served exactly like HLHR.

gunicorn -c gunicorn.conf.py --chdir bench hello_app:app
"""

from flask import Flask, render_template_string

TEMPLATE = "<!doctype html><title>{{ title }}</title><p>{{ text }}</p>"

app = Flask(__name__)


@app.get("/")
def hello():
    return render_template_string(TEMPLATE, title="Hello", text="Hello, world")
