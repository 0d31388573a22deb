"""Limits on guessing passwords and codes: per address and per account.

Only refused guesses count (a wrong password or code answers 401). The per-account limit
(``ACCOUNT_LOGIN_RATE_LIMIT``) counts the guesses for one email from every address, the code
step and the code forms of the account page included, so spreading an attack over many
addresses does not help; the per-address limit (``LOGIN_RATE_LIMIT``) is higher, so that one
office behind one address is not locked out by a colleague. Over either, the form answers 429
with ``Retry-After`` and says in how many minutes to try again; even the right password is
refused then, with the same answer as a wrong one.
"""

from __future__ import annotations

import math
import time

from flask import current_app, render_template, request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user

from interviewer.auth import forms, services, sign_in
from interviewer.extensions import db, limiter

#: A refused guess answers with this status; only these responses count.
REFUSED = 401


def _address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"]


def _refused(response) -> bool:
    return response.status_code == REFUSED


def account_key() -> str:
    """The account a request guesses for: the email typed into the sign-in form, the pending
    user's at the code step, the signed-in user's on the account page. Without one (an empty
    email, no pending sign-in) the request is refused before any guess is checked, so the
    shared key it gets is never counted."""
    if request.endpoint == "auth.login":
        email = services.normalize_email(request.form.get("email", ""))
    elif request.endpoint == "auth.login_two_factor":
        user = sign_in.pending_user()
        email = user.email if user is not None else ""
    else:
        email = current_user.email if current_user.is_authenticated else ""
    return f"account:{email[:254]}" if email else "account:none"


def minutes_until(reset_at: float) -> int:
    """Whole minutes (at least one) until a limit's window ends; Flask-Limiter's ``reset_at``
    is a second past the end."""
    return max(1, math.ceil((reset_at - 1 - time.time()) / 60))


#: The form each limited page shows again when refused: template, form class.
_PAGES = {
    "auth.login": ("auth/login.html", forms.LoginForm),
    "auth.login_two_factor": ("auth/login_two_factor.html", forms.TwoFactorLoginForm),
}


def _message(whose: str, limit: RequestLimit | None = None) -> str:
    """Why the guess is refused and in how many minutes to try again."""
    limit = limit or limiter.current_limit
    minutes = minutes_until(limit.reset_at) if limit is not None else 1
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts {whose}. Try again in {minutes} {unit}."


def _refuse(whose: str):
    def on_breach(limit: RequestLimit):
        """The page's form again, the input kept, saying when to retry."""
        message = _message(whose, limit)
        _note_throttled()
        if request.endpoint not in _PAGES:
            return None  # the 429 page, with the limit's message
        template, form_class = _PAGES[request.endpoint]
        form = form_class()
        return current_app.response_class(
            render_template(template, form=form, throttled=message),
            status=429,
            headers={"Retry-After": str(max(1, limit.reset_at - int(time.time())))},
        )

    return on_breach


def _note_throttled() -> None:
    if request.endpoint == "auth.login":
        user = sign_in.user_by_email(db.session, request.form.get("email"))
    elif request.endpoint == "auth.login_two_factor":
        user = sign_in.pending_user()
    else:
        user = current_user if current_user.is_authenticated else None
    if user is not None:
        sign_in.failed(db.session, user, "throttled")
        db.session.commit()


#: Apply to every view that checks a password or a code.
per_address = limiter.shared_limit(
    _address_limit,
    scope="sign-in-address",
    key_func=get_remote_address,
    methods=["POST"],
    deduct_when=_refused,
    on_breach=_refuse("from your network"),
    error_message=lambda: _message("from your network"),
)
per_account = limiter.shared_limit(
    _account_limit,
    scope="sign-in-account",
    key_func=account_key,
    methods=["POST"],
    deduct_when=_refused,
    on_breach=_refuse("for this account"),
    error_message=lambda: _message("for this account"),
)
