"""Server-side sessions: each signed-in browser is a ``UserSession`` row.

The signed cookie carries the secret that names the row (``sid``) and when the browser was last
seen (``seen``, for the idle timeout). Signing out, a password change, "Sign out everywhere" or
an admin's deactivation revokes rows, so an old cookie copied before any of them opens nothing.
Flask-Login's own remember cookie is never set: "Keep me signed in" makes the session cookie
outlive the browser, and its row still decides.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, g, request
from flask import session as cookie
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import Session, contains_eager

from interviewer.auth.models import User, UserSession
from interviewer.db import INT_MAX, utcnow
from interviewer.extensions import db

#: The session keys this module writes, with the shapes ``interviewer.auth.sessions`` checks.
SID = "sid"
SEEN = "seen"
#: The idle clock in the cookie moves at most this often, so reading pages rarely re-sends it.
_SEEN_STEP = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime(remember: bool) -> timedelta:
    """How long a new session lasts at most: ``REMEMBER_DAYS`` when kept, else
    ``SESSION_MAX_HOURS``."""
    if remember:
        return timedelta(days=current_app.config["REMEMBER_DAYS"])
    return timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def start(user: User, *, remember: bool = False) -> UserSession:
    """Sign ``user`` in on this browser with a new session; flushes, the caller commits.

    Whatever the cookie held before is dropped (session fixation), and the sign-in time is
    noted on the user.
    """
    cookie.clear()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(
        user=user,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + lifetime(remember),
        remember=remember,
        ip_address=(request.remote_addr or "")[:45],
        user_agent=request.user_agent.string[:255],
    )
    db.session.add(row)
    cookie[SID] = token
    cookie[SEEN] = int(now.timestamp())
    cookie.permanent = remember
    login_user(user)
    user.touch_sign_in()
    db.session.flush()
    g.user_session_id = row.id
    return row


#: The loader's one query, built once: making the statement anew costs more than running it.
#: The session row's own columns are not loaded, only what the loader needs of it.
_LIVE_SESSION = (
    select(UserSession.id, UserSession.remember, User)
    .join(User, User.id == UserSession.user_id)
    # Every page's layout names the user's team: loaded here, not while it renders.
    .join(User.team)
    .options(contains_eager(User.team))
    .where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.user_id == bindparam("user_id"),
        UserSession.revoked_at.is_(None),
        UserSession.expires_at > bindparam("now"),
        User.active.is_(True),
    )
)


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the active user whose live session this cookie names, or ``None``.

    One query: the session row must be this user's, not revoked, not past its end, and the
    user active; a session not kept must have been seen within ``SESSION_IDLE_MINUTES``.
    """
    token = cookie.get(SID)
    if not (token and isinstance(user_id, str) and user_id.isascii() and user_id.isdigit()):
        return None
    number = int(user_id)
    if not 1 <= number <= INT_MAX:
        return None
    now = utcnow()
    found = db.session.execute(
        _LIVE_SESSION, {"token_hash": _hash(token), "user_id": number, "now": now}
    ).first()
    if found is None:
        return None
    session_id, remember, user = found
    if not remember and not _fresh(now):
        return None
    g.user_session_id = session_id
    return user


def _fresh(now: datetime) -> bool:
    """Whether the browser was seen within the idle timeout; moves the idle clock on."""
    seen = cookie.get(SEEN)
    moment = now.timestamp()
    if seen is None or moment - seen > current_app.config["SESSION_IDLE_MINUTES"] * 60:
        return False
    if moment - seen >= _SEEN_STEP:
        cookie[SEEN] = int(moment)
    return True


def current_id() -> int | None:
    """The id of this browser's session row, once the user is loaded."""
    return g.get("user_session_id")


def end_current() -> None:
    """Sign this browser out: its session row is revoked and the cookie emptied; the caller
    commits."""
    token = cookie.get(SID)
    if isinstance(token, str):
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    logout_user()
    cookie.clear()


def end_sessions(session: Session, user: User, *, keep_current: bool = False) -> int:
    """Revoke ``user``'s live sessions (all but this browser's with ``keep_current``); returns
    how many ended. The caller commits."""
    query = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if keep_current and current_id() is not None:
        query = query.where(UserSession.id != current_id())
    return session.execute(query).rowcount


def live_sessions(session: Session, user: User, limit: int = 20) -> list[UserSession]:
    """``user``'s sessions that still open pages, newest first (at most ``limit``)."""
    return list(
        session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.revoked_at.is_(None),
                UserSession.expires_at > utcnow(),
            )
            .order_by(UserSession.created_at.desc(), UserSession.id.desc())
            .limit(limit)
        )
    )


#: How long the row of an ended session (signed out, revoked or past its end) is kept.
ENDED_KEPT = timedelta(days=7)


def purge_ended(session: Session, now: datetime | None = None) -> int:
    """Delete the sessions that ended more than ``ENDED_KEPT`` ago: no cookie opens a page
    with them any more. Returns how many went; the caller commits."""
    cutoff = (now or utcnow()) - ENDED_KEPT
    ended = or_(UserSession.expires_at < cutoff, UserSession.revoked_at < cutoff)
    return session.execute(delete(UserSession).where(ended)).rowcount
