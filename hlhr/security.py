"""Response headers that every page carries (DESIGN.md section 7), proxy and host trust."""

import logging

from flask import current_app, jsonify
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import busy

# Not ``__name__``: "hlhr.security" is the security log, and a refused Host is no event
# worth an alert (scanners that find the server by its address send one with every probe).
log = logging.getLogger("hlhr.hosts")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Same-origin keeps CSRF's referrer check working for staff while telling no other
    # site which article a reader came from.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

BAD_HOST_MESSAGE = "The address this request was sent to was not recognised by this site."


def init_app(app):
    app.after_request(add_security_headers)
    app.register_error_handler(SecurityError, untrusted_host)
    trust_proxies(app, app.config["PROXY_COUNT"])


def trust_proxies(app, count: int) -> None:
    """Behind ``count`` reverse proxies, take the client address and scheme from their
    X-Forwarded-* headers (flood control and throttling need the real client)."""
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def untrusted_host(error):
    """400 for a ``Host`` (or a trusted proxy's ``X-Forwarded-Host``) not in TRUSTED_HOSTS.

    Flask refuses such a request before it has a URL adapter, so the page is rendered
    straight from the Jinja environment: no ``url_for``, no context processors, no database.
    """
    log.info("400: %s", error.description[:300])
    headers = {"Cache-Control": "no-store"}
    if busy.wants_json():
        return jsonify(error="bad_host", message=BAD_HOST_MESSAGE), 400, headers
    page = current_app.jinja_env.get_template("errors/bad_host.html").render(
        message=BAD_HOST_MESSAGE, site_name=current_app.config["SITE_NAME"]
    )
    return page, 400, headers
