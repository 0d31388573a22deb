"""Changing and resetting a password: the rules a new one must pass, the sessions that end
with the old one, the audit event, and the one-hour link of a reset by email.

A reset token is signed with the app's key and carries the user's id and a fingerprint of
their password hash: once the password changes (the reset itself, a change, an admin's
``flask set-password``) every earlier link opens nothing, so each link works once.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from interviewer.auth import events, passwords, user_sessions
from interviewer.auth.models import User
from interviewer.db import INT_MAX

RESET_SALT = "interviewer.password-reset"
#: How long a reset link works, in seconds.
RESET_MAX_AGE = 3600
#: No genuine token is longer; a longer one is not even checked.
_MAX_TOKEN_LENGTH = 200


class PasswordError(ValueError):
    """A password refused, in words for the person; ``field`` names the form field at fault
    (``current`` or ``password``, the new one)."""

    def __init__(self, message: str, field: str = "password") -> None:
        super().__init__(message)
        self.field = field


def weakness_for(user: User, password: str) -> str | None:
    """Why ``password`` may not be ``user``'s, or ``None``: the rules of
    :func:`interviewer.auth.passwords.weakness`, with their email, name and team's name
    counted as guessable words."""
    return passwords.weakness(password, user_inputs=(user.email, user.name, user.team.name))


def change_password(session: Session, user: User, *, current: str, new: str) -> int:
    """Give ``user`` the password ``new`` once ``current`` is proved; ends every other session
    of theirs (this browser stays signed in) and records ``user.password_changed``.

    Returns how many sessions ended; raises :class:`PasswordError`. Flushes, never commits.
    """
    if not user.check_password(current):
        raise PasswordError("This is not your current password. Type it again.", "current")
    if current == new:
        raise PasswordError("The new password must differ from the current one.")
    if problem := weakness_for(user, new):
        raise PasswordError(problem)
    return _replace(
        session, user, new, action="user.password_changed", actor=user, keep_current=True
    )


def reset_password(session: Session, user: User, new: str, *, actor: User | None) -> int:
    """Give ``user`` the password ``new`` without the old one: through a reset link (``actor``
    is the user) or by an admin at the command line (``actor`` is ``None``); ends every session
    of theirs and records ``user.password_reset``.

    Returns how many sessions ended; raises :class:`PasswordError`. Flushes, never commits.
    """
    if problem := weakness_for(user, new):
        raise PasswordError(problem)
    return _replace(session, user, new, action="user.password_reset", actor=actor)


def _replace(
    session: Session,
    user: User,
    new: str,
    *,
    action: str,
    actor: User | None,
    keep_current: bool = False,
) -> int:
    user.set_password(new)
    ended = user_sessions.end_sessions(session, user, keep_current=keep_current)
    events.record(
        session,
        team_id=user.team_id,
        actor=actor,
        action=action,
        subject=user,
        sessions_ended=ended,
    )
    session.flush()
    return ended


# The reset link's token --------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    """What the token holds of the password hash: it changes with every new hash."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def reset_token(user: User) -> str:
    """The signed token of a reset link for ``user``'s current password (see the module)."""
    return _serializer().dumps([user.id, _fingerprint(user)])


def user_for_reset_token(session: Session, token: str) -> User | None:
    """The active user a genuine reset token names, within the hour and while their password
    is still the one it was made for; else ``None`` (forged, expired, used or odd tokens)."""
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_LENGTH:
        return None
    try:
        payload = _serializer().loads(token, max_age=RESET_MAX_AGE)
    except (BadData, TypeError, ValueError):
        return None
    if not (isinstance(payload, list) and len(payload) == 2):
        return None
    user_id, fingerprint = payload
    if type(user_id) is not int or not 1 <= user_id <= INT_MAX:
        return None
    if not (isinstance(fingerprint, str) and fingerprint.isascii()):
        return None
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(fingerprint.encode(), _fingerprint(user).encode()):
        return None
    return user
