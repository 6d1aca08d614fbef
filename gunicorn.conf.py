"""gunicorn settings for HLHR: ``gunicorn -c gunicorn.conf.py wsgi:app`` (``make serve``).

Environment overrides: HLHR_BIND (default 127.0.0.1:8000; put nginx in front),
HLHR_WORKERS (default 2 x CPU cores + 1, at most 8), HLHR_TIMEOUT (seconds, default 30),
HLHR_ACCESS_LOG_IPS=1 to log client addresses (off by default: readers stay anonymous; behind
nginx gunicorn only ever sees nginx's address, so the readers' addresses are in nginx's log).
"""

import os

_CORES = os.cpu_count() or 1
_MAX_WORKERS = 8  # past this a small server swaps and SQLite writers queue for nothing

wsgi_app = "wsgi:app"
bind = [os.environ.get("HLHR_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("HLHR_WORKERS", min(2 * _CORES + 1, _MAX_WORKERS)))
worker_class = "sync"
timeout = int(os.environ.get("HLHR_TIMEOUT", 30))  # a stuck worker is killed and replaced
graceful_timeout = 30  # on reload or stop, requests in flight may finish
# No keepalive setting: sync workers close every connection after its response.
max_requests = 2000  # recycle workers now and then, with jitter so they do not all restart
max_requests_jitter = 200
limit_request_line = 8190
preload_app = False  # each worker opens its own database connections and index handles
proc_name = "hlhr"

# Which proxies to trust is the app's PROXY_COUNT setting (werkzeug's ProxyFix); gunicorn
# itself believes no X-Forwarded-* header.
forwarded_allow_ips = ""

# gunicorn 25.1+ opens a control socket in $HOME/.gunicorn/ (an error at every start when HOME
# is not writable, e.g. www-data's /var/www; shared by two gunicorns of one user). Unused here.
control_socket_disable = True

accesslog = "-"  # stdout
errorlog = "-"  # stderr
loglevel = os.environ.get("HLHR_LOG_LEVEL", "info")
# Readers may be watched, so a line says what was served and how, never who asked or what
# for: no client address (%(h)s, unless asked for below), no user agent (%(a)s), no referrer
# (%(f)s), and the path without its query string (%(U)s, not %(r)s), which would hold the
# search terms of /search/?q=...
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
if os.environ.get("HLHR_ACCESS_LOG_IPS") == "1":
    access_log_format = "%(h)s " + access_log_format


def post_worker_init(worker):
    """Do the first request's work (templates, connections, the search index) before this
    worker takes readers' requests (hlhr/warmup.py). Other apps served with this file (the
    load benchmark's "hello") are left as they are."""
    if getattr(worker.wsgi, "name", None) != "hlhr":
        return
    from hlhr.warmup import warm_up

    worker.log.info("Worker %s %s", worker.pid, warm_up(worker.wsgi))
