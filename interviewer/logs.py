"""Logging, request ids and error reporting, set up once by the app factory.

Every request gets an id: the caller's ``X-Request-ID`` when it is a sensible one (a proxy or
load balancer that made one), else a new one; it goes back in the ``X-Request-ID`` response
header. With ``LOG_FORMAT=json`` every log line is one JSON object (time, level, logger,
message, and inside a request its id, method, path and the signed-in user's id) and each
request ends with an access line that adds the status and duration. Plain text stays the
default. With ``SENTRY_DSN`` set, errors also go to Sentry when sentry-sdk is installed.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

log = logging.getLogger(__name__)
access_log = logging.getLogger("interviewer.access")

#: The name of the root handler this module installs, so building an app again replaces it.
HANDLER_NAME = "interviewer"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REQUEST_ID_HEADER = "X-Request-ID"
#: An incoming request id is kept when it is this: bounded, and nothing that could break a
#: header or a log line (uuids, hex, base64 and the ids of common proxies all fit).
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}", re.ASCII)
#: URL arguments that carry a secret (portal links, calendar feeds): masked in access lines.
SECRET_ARGUMENTS = ("token",)


def configure_logging(app: Flask) -> None:
    """Install the root log handler (text or JSON) and the request id hooks on ``app``.

    The debugger's output and pytest's log capture are left alone, unless a test asks for
    JSON lines.
    """
    json_lines = app.config["LOG_FORMAT"] == "json"
    if not app.debug and (json_lines or not app.testing):
        _install_handler(json_lines)
        logging.getLogger("interviewer").setLevel(app.config["LOG_LEVEL"])
    # Registered before the extensions' hooks: the id exists before anything can log.
    app.before_request(_start_request)
    app.after_request(_finish_request)


def _install_handler(json_lines: bool) -> None:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.set_name(HANDLER_NAME)
    if json_lines:
        handler.setFormatter(
            JsonFormatter(
                "%(levelname)s %(name)s %(message)s",
                rename_fields={"levelname": "level", "name": "logger"},
                timestamp="time",
            )
        )
        handler.addFilter(RequestFields())
        # Flask's own handler on its logger would print the app's errors a second time, as text.
        logging.getLogger("interviewer").removeHandler(default_handler)
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


class RequestFields(logging.Filter):
    """Adds the request's id, method, path and signed-in user to each record logged in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and "request_id" in g:
            record.request_id = g.request_id
            record.method = request.method
            record.path = logged_path()
            user_id = signed_in_user_id()
            if user_id is not None:
                record.user_id = user_id
        return True


def request_id_from(header: str | None) -> str:
    """The caller's request id when it is safe to log and echo, else a new one."""
    if header and SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def logged_path() -> str:
    """The request's path, with secret URL arguments (portal and feed tokens) masked."""
    path = request.path
    for name in SECRET_ARGUMENTS:
        secret = (request.view_args or {}).get(name)
        if isinstance(secret, str) and secret:
            path = path.replace(secret, "[secret]")
    return path


def signed_in_user_id() -> int | None:
    """The id of the user Flask-Login loaded for this request, if one is signed in.

    Asking ``current_user`` here would load a user (a query) for requests that never
    needed one, such as ``/healthz``.
    """
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        return user.id
    return None


def _start_request() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()
    if "sentry" in current_app.extensions:
        import sentry_sdk

        sentry_sdk.set_tag("request_id", g.request_id)


def _finish_request(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id is None:
        return response
    response.headers[REQUEST_ID_HEADER] = request_id
    if current_app.config["LOG_FORMAT"] == "json":
        duration = (time.perf_counter() - g.request_started) * 1000
        access_log.info(
            "%s %s %s",
            request.method,
            logged_path(),
            response.status_code,
            extra={"status": response.status_code, "duration_ms": round(duration, 2)},
        )
    return response


def init_error_reporting(app: Flask) -> None:
    """Send errors to Sentry when ``SENTRY_DSN`` is set; without sentry-sdk, warn and go on."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    try:
        import sentry_sdk
        from sentry_sdk.integrations.flask import FlaskIntegration
    except ImportError:
        log.warning(
            "SENTRY_DSN is set but sentry-sdk is not installed (pip install "
            "'interviewer[sentry]'); errors are only logged."
        )
        return
    # No personal data leaves: the request id tag finds the request's log lines.
    sentry_sdk.init(dsn=dsn, integrations=[FlaskIntegration()], send_default_pii=False)
    app.extensions["sentry"] = True
