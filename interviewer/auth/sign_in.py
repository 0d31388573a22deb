"""The steps of signing in: the password, then (for those who turned it on) a code.

Between the two, the session cookie holds only a pending marker: the user's id, when the
password was accepted and whether to keep them signed in. It opens no page (the user is not
signed in until ``finish``) and ends after ``PENDING_SECONDS``.
"""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, url_for
from flask import session as cookie
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth import events, services, user_sessions
from interviewer.auth.models import User
from interviewer.auth.sessions import pending_marker
from interviewer.extensions import db

#: The session key of the pending marker: ``[user id, seconds since the epoch, remember]``.
PENDING = "two_factor"
#: How long the code may take to type after the password was accepted.
PENDING_SECONDS = 5 * 60


def client_address() -> str:
    return (request.remote_addr or "")[:45]


def safe_target(target: str | None) -> str:
    """``target`` when it is a path on this site, else the home page."""
    if services.is_safe_next(target):
        return target
    return url_for(current_app.config["HOME_ENDPOINT"])


def after_password(user: User, *, remember: bool, target: str | None):
    """The password was right: sign ``user`` in, or ask for their code first."""
    if not user.has_two_factor:
        return finish(user, remember=remember, target=target)
    cookie.pop(PENDING, None)
    cookie[PENDING] = [user.id, int(time.time()), bool(remember)]
    db.session.commit()  # a rehashed password
    next_path = target if services.is_safe_next(target) else None
    return redirect(url_for("auth.login_two_factor", next=next_path))


def pending_user() -> User | None:
    """The active user whose password this browser gave within ``PENDING_SECONDS``, if
    they have two-factor sign-in."""
    marker = cookie.get(PENDING)
    if not pending_marker(marker) or time.time() - marker[1] > PENDING_SECONDS:
        return None
    user = db.session.get(User, marker[0])
    if user is None or not user.active or not user.has_two_factor:
        return None
    return user


def pending_remember() -> bool:
    marker = cookie.get(PENDING)
    return bool(pending_marker(marker) and marker[2])


def finish(user: User, *, remember: bool, target: str | None):
    """Sign ``user`` in on this browser, note it in the audit log and go to ``target``."""
    user_sessions.start(user, remember=remember)
    events.record(
        db.session,
        team_id=user.team_id,
        actor=user,
        action="user.signed_in",
        subject=user,
        ip=client_address(),
    )
    db.session.commit()
    flash(f"Welcome back, {user.name}.", "success")
    return redirect(safe_target(target))


def failed(session: Session, user: User | None, reason: str) -> None:
    """Note a refused sign-in of an existing account (``reason``: ``password``,
    ``two_factor`` or ``throttled``); an unknown address is not noted. The caller commits."""
    if user is None:
        return
    events.record(
        session,
        team_id=user.team_id,
        actor=None,
        action="user.sign_in_failed",
        subject=user,
        reason=reason,
        ip=client_address(),
    )


def user_by_email(session: Session, email: str | None) -> User | None:
    """The account of ``email`` (as typed), active or not."""
    if not email:
        return None
    return session.scalar(select(User).where(User.email == services.normalize_email(email)))
