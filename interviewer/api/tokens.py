"""Issuing, checking and revoking API tokens (the rules; the pages and the API call these)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload

from interviewer import audit
from interviewer.api.models import ApiToken
from interviewer.auth.models import Role, User
from interviewer.db import utcnow

READ = "read"
WRITE = "write"
SCORECARDS_WRITE = "scorecards:write"
SCOPES = (READ, WRITE, SCORECARDS_WRITE)
#: What each scope lets a token do, as the token pages say it.
SCOPE_LABELS = {
    READ: "Read: what you can see on the pages",
    WRITE: "Write: create and change what you can change on the pages",
    SCORECARDS_WRITE: "Scorecards: draft and submit your own scorecards",
}
TEAM = "team"
PERSONAL = "personal"
#: Marks the app's tokens, so a secret scanner (or a person) can recognise a leaked one.
TOKEN_PREFIX = "ivw_"
#: How long after its last use a token's "last used" is written again: reads stay reads.
_TOUCH_STEP = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    """The stored form of a token: SHA-256 is enough for 256 random bits."""
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(
    session: Session,
    user: User,
    *,
    kind: str,
    name: str,
    scopes: tuple[str, ...] | list[str],
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its secret, which is shown once and never stored."""
    allowed = scopes_for(user, kind)
    unknown = set(scopes) - set(allowed)
    if unknown or not scopes:
        raise ValueError(f"Choose the token's scopes among {', '.join(allowed)}.")
    if kind == TEAM and user.role != Role.ADMIN:
        raise PermissionError("Only admins create team tokens.")
    if expires_at is not None and expires_at <= utcnow():
        raise ValueError("Choose an expiry date in the future, or none.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        team_id=user.team_id,
        user=user,
        kind=kind,
        name=name.strip()[:80],
        token_hash=hash_token(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        scopes=" ".join(s for s in SCOPES if s in scopes),
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        team_id=user.team_id,
        actor=user,
        action="user.api_token_created",
        subject=token,
        name=token.name,
        kind=kind,
        scopes=token.scopes,
        prefix=token.prefix,
    )
    return token, raw


def scopes_for(user: User, kind: str = PERSONAL) -> tuple[str, ...]:
    """The scopes ``user`` may give a token: an interviewer changes nothing on the pages but
    their own scorecards (and availability), so their tokens read and write scorecards only."""
    if kind == PERSONAL and user.role == Role.INTERVIEWER:
        return (READ, SCORECARDS_WRITE)
    return SCOPES


def authenticate(session: Session, raw: str, address: str | None) -> ApiToken | None:
    """The live token ``raw`` names, with its last use noted, or ``None``.

    A token stops opening anything once revoked or expired, and when the person it acts for
    is deactivated (or, for a team token, is no longer an admin).
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    now = utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_active or (token.kind == TEAM and token.user.role != Role.ADMIN):
        return None
    if token.last_used_at is None or now - token.last_used_at >= _TOUCH_STEP:
        _touch(session, token, now, address)
    return token


def _touch(session: Session, token: ApiToken, now: datetime, address: str | None) -> None:
    """Note the token's use at once, in its own short transaction, even on a reading request.

    The one write a GET may make (``tests/conftest.py`` allows it): on SQLite a writer
    committing in between makes it fail, and then the use goes unnoted this once.
    """
    try:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == token.id)
            .values(last_used_at=now, last_used_ip=(address or "")[:45] or None)
        )
        session.commit()
    except OperationalError:
        session.rollback()


def revoke(session: Session, token: ApiToken, *, actor: User | None = None) -> None:
    """Close ``token`` for good; the caller commits."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            session,
            team_id=token.team_id,
            actor=actor,
            action="user.api_token_revoked",
            subject=token,
            name=token.name,
            kind=token.kind,
            prefix=token.prefix,
        )


def is_live(token: ApiToken, now: datetime | None = None) -> bool:
    """Whether ``token`` still opens the API (not revoked, not expired)."""
    now = now or utcnow()
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)


def listed(session: Session, team_id: int, *, kind: str, user_id: int | None = None) -> list:
    """The team's tokens of ``kind`` (one person's, with ``user_id``), newest first, with
    their person loaded: what the token pages list."""
    statement = (
        select(ApiToken)
        .where(ApiToken.team_id == team_id, ApiToken.kind == kind)
        .options(selectinload(ApiToken.user))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    if user_id is not None:
        statement = statement.where(ApiToken.user_id == user_id)
    return list(session.scalars(statement))


def allows(token: ApiToken, scope: str) -> bool:
    """Whether ``token`` carries ``scope``: ``write`` includes writing one's own scorecards."""
    scopes = token.scope_set
    if scope == READ:
        return bool(scopes)
    if scope == SCORECARDS_WRITE:
        return SCORECARDS_WRITE in scopes or WRITE in scopes
    return scope in scopes
