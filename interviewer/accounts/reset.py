"""A forgotten password, reset by email: asking for a link, and choosing a new password.

Asking answers the same (the same redirect and words) whether or not an account has the
address, so the page tells nobody who has an account; only an active account gets an email.
The link (:mod:`interviewer.auth.password_changes`) works for an hour, once. Its email is
private in the outbox: an admin reading the outbox must not be able to use a colleague's link.
"""

from __future__ import annotations

import logging
import time

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from interviewer import audit
from interviewer.accounts import bp
from interviewer.auth import password_changes
from interviewer.auth.forms import ForgotPasswordForm, NewPasswordForm
from interviewer.auth.models import User
from interviewer.auth.services import normalize_email
from interviewer.extensions import db, limiter
from interviewer.mail.models import OutboxEmail
from interviewer.mail.outbox import queue_emails
from interviewer.urls import trusted_link

log = logging.getLogger(__name__)

#: Requests for a link allowed from one address, and for one email address from anywhere:
#: enough for someone who retries, too few to flood an inbox or to probe many addresses.
PER_ADDRESS_LIMIT = "20 per hour"
PER_EMAIL_LIMIT = "5 per hour"
#: The one answer to every request for a link.
SENT = (
    "If an account exists for that address, we've sent a link to choose a new password; "
    "it works for one hour."
)


def _requested_email() -> str:
    return "email:" + normalize_email(str(request.form.get("email", "")))[:254]


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    PER_ADDRESS_LIMIT, methods=["POST"], error_message="Too many requests. Wait an hour."
)
@limiter.limit(
    PER_EMAIL_LIMIT,
    key_func=_requested_email,
    methods=["POST"],
    error_message="Too many links asked for this address. Use the last one, or wait an hour.",
)
def forgot_password():
    """Ask for a reset link by email; the answer never says whether the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = time.monotonic()
        user = db.session.scalar(select(User).where(User.email == normalize_email(form.email.data)))
        if user is not None and user.active:
            queue_reset_email(user)
        db.session.commit()
        # Queuing the email takes time that asking for an unknown address does not: both
        # answers leave at the same moment, so the timing does not tell who has an account.
        floor = current_app.config["PASSWORD_RESET_ANSWER_SECONDS"]
        time.sleep(max(0.0, floor - (time.monotonic() - started)))
        flash(SENT, "info")
        return redirect(url_for("auth.login"))
    return render_template("accounts/forgot_password.html", form=form)


def queue_reset_email(user: User) -> OutboxEmail:
    """Queue ``user``'s reset email, private in the outbox, and record that it was asked for;
    flushes, the caller commits."""
    link = trusted_link("accounts.reset_password", token=password_changes.reset_token(user))
    email = OutboxEmail(
        team_id=user.team_id,
        to_email=user.email,
        to_name=user.name,
        subject="Choose a new password for interviewer",
        body=_reset_body(user, link),
        private=True,
    )
    audit.record(
        db.session,
        team_id=user.team_id,
        actor=None,
        action="user.password_reset_requested",
        subject=user,
        address=(request.remote_addr or "")[:45],
    )
    queue_emails(db.session, [email])
    return email


def _reset_body(user: User, link: str) -> str:
    return (
        f"Hello {user.name},\n\n"
        f"Someone, we hope you, asked to reset the password of your interviewer account "
        f"({user.email}). To choose a new password, open this link within the hour:\n\n"
        f"{link}\n\n"
        "The link works once. If you did not ask for it, ignore this email: your password "
        "stays as it is.\n"
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the emailed link; every session of the account ends."""
    user = password_changes.user_for_reset_token(db.session, token)
    if user is None:
        return _private(render_template("accounts/reset_invalid.html"), 404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            ended = password_changes.reset_password(
                db.session, user, form.password.data, actor=user
            )
        except password_changes.PasswordError as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            log.info("password reset for user %s; %s sessions ended", user.id, ended)
            flash(
                "Your password is changed, and every browser signed in as you is signed out. "
                "Sign in with the new password.",
                "success",
            )
            return redirect(url_for("auth.login"))
    return _private(
        render_template("accounts/reset_password.html", form=form, user=user, token=token)
    )


def _private(body: str, status: int = 200):
    """A page whose address holds the reset token: never cached, never sent as a referrer."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
