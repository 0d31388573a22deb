"""Inviting a colleague: the invitation, its email in the outbox, resending, revoking and
accepting it. Each step is an audit event in the caller's transaction; nothing commits here.

The link carries a random secret; only its SHA-256 is stored, so neither the database nor a
backup opens an invitation. Resending makes a new secret, so the old link dies.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from interviewer import audit
from interviewer.accounts.models import Invitation
from interviewer.auth import passwords, services, user_sessions
from interviewer.auth.models import Role, Team, User
from interviewer.db import utcnow
from interviewer.mail.models import MAX_SUBJECT, OutboxEmail
from interviewer.mail.outbox import queue_emails
from interviewer.timezones import localtime

#: How long a link opens after it was (last) sent.
LIFETIME = timedelta(days=7)

#: The absolute address of the page a token opens: ``link_for(token)``.
LinkFor = Callable[[str], str]


class InvitationError(ValueError):
    """An invitation that cannot be sent or accepted, in words for the person; ``field`` names
    the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Closed(enum.StrEnum):
    """Why a link no longer opens."""

    EXPIRED = "expired"
    REVOKED = "revoked"
    ACCEPTED = "accepted"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(invitation: Invitation, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + LIFETIME
    return token


def open_invitations(session: Session, team_id: int, *options: Any) -> list[Invitation]:
    """The team's invitations neither accepted nor revoked (expired ones too), newest first."""
    return list(
        session.scalars(
            select(Invitation)
            .where(
                Invitation.team_id == team_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .order_by(Invitation.sent_at.desc(), Invitation.id.desc())
            .options(*options)
        )
    )


def _check_new(session: Session, team: Team, email: str, now: datetime) -> str:
    """The normalised ``email``, or :class:`InvitationError` when it cannot be invited."""
    email = services.normalize_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvitationError(f"{email} is not a valid email address: {error}", "email") from None
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvitationError(f"{email} already has an account.", "email")
    pending = session.scalar(
        select(Invitation.id).where(
            Invitation.team_id == team.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    )
    if pending is not None:
        raise InvitationError(
            f"{email} has an invitation waiting already: resend it from Pending invitations.",
            "email",
        )
    return email


def invite(
    session: Session,
    *,
    team: Team,
    inviter: User,
    email: str,
    name: str,
    role: Role | str,
    link_for: LinkFor,
    now: datetime | None = None,
) -> Invitation:
    """Invite ``email`` to ``team`` with ``role`` and queue the email with the link; flushes.

    Refuses an address that has an account, or a pending invitation to this team.
    """
    now = now or utcnow()
    email = _check_new(session, team, email, now)
    invitation = Invitation(
        team=team, email=email, name=name.strip(), role=Role(role), invited_by=inviter
    )
    invitation.created_at = now
    token = _new_token(invitation, now)
    session.add(invitation)
    session.flush()
    _queue_email(session, invitation, inviter, link_for(token), now)
    _record(session, invitation, inviter, "invitation.sent", role=invitation.role.value)
    return invitation


def resend(
    session: Session,
    invitation: Invitation,
    *,
    actor: User,
    link_for: LinkFor,
    now: datetime | None = None,
) -> None:
    """Send ``invitation`` again with a new link (the old one dies) valid for 7 more days."""
    if not invitation.is_open():
        raise InvitationError("This invitation was accepted or revoked: invite them anew.")
    now = now or utcnow()
    token = _new_token(invitation, now)
    session.flush()
    _queue_email(session, invitation, actor, link_for(token), now)
    _record(session, invitation, actor, "invitation.resent")


def revoke(
    session: Session, invitation: Invitation, *, actor: User, now: datetime | None = None
) -> None:
    """Close ``invitation``: its link opens nothing from now on."""
    if not invitation.is_open():
        raise InvitationError("This invitation was accepted or revoked already.")
    invitation.revoked_at = now or utcnow()
    session.flush()
    _record(session, invitation, actor, "invitation.revoked")


def find(
    session: Session, token: str, now: datetime | None = None
) -> tuple[Invitation | None, Closed | None]:
    """The invitation whose link holds ``token`` and, if it no longer opens, why.

    ``(None, None)`` for a token no invitation has (never sent, or replaced by a resend).
    """
    if not token or len(token) > 100:
        return None, None
    invitation = session.scalar(
        select(Invitation)
        .where(Invitation.token_hash == _hash(token))
        # What the invitation's page names: loaded here, not while it renders.
        .options(joinedload(Invitation.team), joinedload(Invitation.invited_by))
    )
    if invitation is None:
        return None, None
    if invitation.accepted_at is not None:
        return invitation, Closed.ACCEPTED
    if invitation.revoked_at is not None:
        return invitation, Closed.REVOKED
    if (now or utcnow()) >= invitation.expires_at:
        return invitation, Closed.EXPIRED
    return invitation, None


def accept(
    session: Session, invitation: Invitation, password: str, now: datetime | None = None
) -> User:
    """Make the invited account with ``password``, sign it in on this browser and close the
    invitation; flushes. Refuses a weak password (``field`` ``password``)."""
    now = now or utcnow()
    if not invitation.is_pending(now):
        raise InvitationError("This invitation no longer opens: ask your admin for a new one.")
    team = invitation.team
    weakness = passwords.weakness(
        password, user_inputs=(invitation.email, invitation.name, team.name)
    )
    if weakness:
        raise InvitationError(weakness, "password")
    # Claimed in one statement: of two tabs sending the form at once, one makes the account.
    claimed = session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(accepted_at=now)
    ).rowcount
    if claimed != 1:
        raise InvitationError("This invitation was used already: sign in instead.")
    try:
        user = services.create_user(
            session,
            team=team,
            email=invitation.email,
            name=invitation.name,
            password=password,
            role=invitation.role,
            timezone=team.timezone,
        )
    except services.UserError as error:
        raise InvitationError(str(error)) from None
    _record(session, invitation, user, "invitation.accepted", user_id=user.id)
    user_sessions.start(user)
    return user


def _queue_email(
    session: Session, invitation: Invitation, sender: User, link: str, now: datetime
) -> None:
    team = invitation.team
    expires = localtime(invitation.expires_at, team.timezone, fmt="%a %d %b %Y, %H:%M")
    subject = f"{sender.name} invites you to {team.name}"
    body = "\n".join(
        [
            f"Hello {invitation.name},",
            "",
            f"{sender.name} invites you to join {team.name} as {invitation.role.label.lower()}.",
            "Choose your password here and you are signed in:",
            "",
            f"  {link}",
            "",
            f"The link works once, until {expires}. If it has expired, ask {sender.name} "
            "to send a new one.",
            "If you were not expecting this, ignore this email: nothing happens without you.",
            "",
            f"{team.name} hiring team",
        ]
    )
    queue_emails(
        session,
        [
            OutboxEmail(
                team_id=invitation.team_id,
                to_email=invitation.email,
                to_name=invitation.name,
                subject=subject[:MAX_SUBJECT],
                body=body,
                created_at=now,
            )
        ],
    )


def _record(session: Session, invitation: Invitation, actor: User, action: str, **data) -> None:
    audit.record(
        session,
        team_id=invitation.team_id,
        actor=actor,
        action=action,
        subject=invitation,
        email=invitation.email,
        **data,
    )
