"""The signed session cookie, opened only when what it holds has the shapes written into it.

Flask signs the cookie, so only a holder of ``SECRET_KEY`` can put anything in it; but a
cookie signed with the key and holding odd values (a list where Flask-Login keeps the user's
id, flashed messages that are not pairs of strings, a CSRF token that is a number) would
make the extensions reading it fail with a 500. Such a session is dropped, as one whose
signature does not match is: the visitor starts signed out.
"""

from __future__ import annotations

from collections.abc import Callable

from flask.sessions import SecureCookieSessionInterface

from interviewer.db import INT_MAX


def _text(value: object) -> bool:
    return isinstance(value, str)


def _ascii(value: object) -> bool:
    return isinstance(value, str) and value.isascii()


def _user_id(value: object) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10


def _token(value: object) -> bool:
    return isinstance(value, str) and value.isascii() and len(value) <= 64


def _flag(value: object) -> bool:
    return isinstance(value, bool)


def _seconds(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def pending_marker(value: object) -> bool:
    """``[user id, seconds since the epoch, remember]``: a password accepted, a code awaited."""
    return (
        isinstance(value, list)
        and len(value) == 3
        and _user_number(value[0])
        and _seconds(value[1])
        and _flag(value[2])
    )


def _user_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= INT_MAX


def _flashes(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, list | tuple) and len(item) == 2 and all(map(_text, item))
        for item in value
    )


#: What Flask, Flask-Login and Flask-WTF keep in the session, and the shape of each.
SHAPES: dict[str, Callable[[object], bool]] = {
    "_user_id": _user_id,
    "_fresh": _flag,
    "_id": _text,
    "_remember": _text,
    "_remember_seconds": _seconds,
    "_permanent": _flag,
    "_flashes": _flashes,
    "csrf_token": _ascii,
    # interviewer.auth.user_sessions: the secret naming the server-side session, and when
    # the browser was last seen.
    "sid": _token,
    "seen": _seconds,
    # interviewer.auth.sign_in: the pending marker between the password and the code.
    "two_factor": pending_marker,
}


def well_formed(session) -> bool:
    """True when every key of ``SHAPES`` that ``session`` holds has its shape."""
    return all(check(session[key]) for key, check in SHAPES.items() if key in session)


class CheckedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, emptied when what it holds is not ``well_formed``."""

    def open_session(self, app, request):
        session = super().open_session(app, request)
        if session is not None and not well_formed(session):
            return self.session_class()
        return session
