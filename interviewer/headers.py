"""Security headers on every response: pages, static files, errors, redirects, files.

The policy allows scripts and styles from this site's own files only: no inline ``<script>``,
no ``style="..."`` attributes, no ``on...=`` handlers in the templates (a test scans them), so
an injected tag or attribute cannot run or restyle anything.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        # Bootstrap draws its icons (toggler, close button, select arrow) as data: SVGs.
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
#: Browser features the app never uses, turned off for it and anything it could embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: The candidate's pages: a portal address holds the candidate's private token, and a
#: careers page must not tell the sites it links to which posting was read. Password reset
#: and invitation addresses hold a one-time sign-in secret.
NO_REFERRER_BLUEPRINTS = frozenset({"portal", "careers"})
NO_REFERRER_PATHS = ("/portal/", "/careers/", "/password/reset/", "/invite/")
#: What the ``Server`` header says: no name of a library, no version.
SERVER = "interviewer"


def init_app(app: Flask) -> None:
    """Add the headers to every response of ``app``; the development server sends no
    ``Server`` header of its own (the app's is the one)."""
    app.after_request(add_headers)
    _quiet_development_server()


def add_headers(response: Response) -> Response:
    """Set the security headers on ``response`` (an ``after_request`` hook). A view may set
    a stricter policy of its own (an uploaded SVG's), which is kept."""
    own_policy = response.headers.get("Content-Security-Policy")
    response.headers.update(STATIC_HEADERS)
    if own_policy and "default-src 'none'" in own_policy:
        response.headers["Content-Security-Policy"] = own_policy
    response.headers["Referrer-Policy"] = referrer_policy()
    seconds = current_app.config.get("HSTS_SECONDS") or 0
    if seconds > 0:
        subdomains = current_app.config.get("HSTS_INCLUDE_SUBDOMAINS", True)
        subdomains = "; includeSubDomains" if subdomains else ""
        response.headers["Strict-Transport-Security"] = f"max-age={seconds}{subdomains}"
    # gunicorn always sends its own ``Server: gunicorn`` (no version since gunicorn 23): a
    # second one would only contradict it.
    if request.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
        response.headers.pop("Server", None)
    else:
        response.headers["Server"] = SERVER
    return response


def referrer_policy() -> str:
    """``no-referrer`` on the candidate's pages and the addresses that hold a sign-in secret
    (even a 404 under them), else the browsers' default made explicit: the origin only, and
    nothing over plain HTTP."""
    if request.blueprint in NO_REFERRER_BLUEPRINTS or request.path.startswith(NO_REFERRER_PATHS):
        return "no-referrer"
    return "strict-origin-when-cross-origin"


def _quiet_development_server() -> None:
    """Make werkzeug's server (``flask run``) leave out its ``Server: Werkzeug/x Python/y``.

    ``flask run`` offers no way to pass a request handler, so its class is changed in place;
    only the header goes, the status line and ``Date`` stay as the standard library sends
    them.
    """
    from werkzeug.serving import WSGIRequestHandler

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    WSGIRequestHandler.send_response = send_response
