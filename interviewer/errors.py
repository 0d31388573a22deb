"""Error pages. The 500 handler rolls the session back so a failed request leaves nothing behind."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from interviewer.api import problems
from interviewer.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    403: ("Not allowed", "Your role does not give access to this page."),
    404: ("Not found", "There is nothing here. It may have been removed, or the link is wrong."),
    405: ("Not possible this way", "Use the buttons on the page rather than the address bar."),
    413: (
        "File too large",
        "What you sent is larger than this site accepts: a CV may be up to 10 MB. Go back, "
        "choose a smaller file and send the form again.",
    ),
    429: ("Too many tries", "Too many attempts in a short time. Wait a minute and try again."),
    500: ("Something went wrong", "The error has been logged. Nothing was saved; try again."),
}


def _render(code: int, detail: str | None = None):
    if problems.wants_problem():
        return problems.problem(code, detail or MESSAGES[code][1]), code
    title, message = MESSAGES[code]
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def register(app: Flask) -> None:
    """Attach the error handlers to ``app``."""

    @app.errorhandler(400)
    def bad_request(error):
        return _render(400)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400, "The form had expired or was sent from elsewhere. Reload the page and try again."
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _render(403)

    @app.errorhandler(404)
    def not_found(error):
        return _render(404)

    @app.errorhandler(405)
    def method_not_allowed(error):
        response, code = _render(405)
        return response, code, {"Allow": ", ".join(error.valid_methods or ())}

    @app.errorhandler(413)
    def too_large(error):
        return _render(413)

    @app.errorhandler(HTTPException)
    def other_http_error(error):
        # The API's own answers (422 invalid input, 409, 412, 428...) as problem details.
        if problems.wants_problem():
            return problems.from_exception(error)
        return error

    @app.errorhandler(RateLimitExceeded)
    def too_many(error):
        if error.response is not None:
            return error.response  # the limit's own answer (a sign-in form saying when)
        return _render(429, error.description)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        log.error("unhandled error", exc_info=getattr(error, "original_exception", error))
        return _render(500)
