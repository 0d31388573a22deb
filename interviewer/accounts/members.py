"""The team's users as an admin runs them: the list, a role change, deactivating and
reactivating. A team always keeps an active admin; a deactivated user's sessions end at once
and what they wrote (scorecards, decisions) stays."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth import totp, user_sessions
from interviewer.auth.models import Role, User
from interviewer.db import in_team


class MemberError(ValueError):
    """A change to a user that the team's rules refuse, in words for the admin."""


def team_members(team_id: int) -> Select:
    """The team's users for the users page: active first, then by name."""
    return in_team(User, team_id).order_by(User.active.desc(), User.name, User.id)


def _other_active_admins(session: Session, user: User) -> int:
    """How many active admins the team has besides ``user``.

    The rows are locked (on PostgreSQL) until the commit, so two admins removing each other
    at the same moment cannot leave the team without one.
    """
    ids = session.scalars(
        select(User.id)
        .where(
            User.team_id == user.team_id,
            User.role == Role.ADMIN,
            User.active.is_(True),
            User.id != user.id,
        )
        .with_for_update()
    ).all()
    return len(ids)


def _keep_an_admin(session: Session, user: User, what: str) -> None:
    if user.role is Role.ADMIN and user.active and not _other_active_admins(session, user):
        raise MemberError(
            f"{user.name} is the team's last admin, so they cannot be {what}: "
            "make someone else an admin first."
        )


def change_role(session: Session, user: User, role: Role | str, *, actor: User) -> bool:
    """Give ``user`` ``role``; returns whether it changed. Refuses to demote the last admin."""
    role = Role(role)
    if role is user.role:
        return False
    if role is not Role.ADMIN:
        _keep_an_admin(session, user, "given another role")
    previous = user.role
    user.role = role
    session.flush()
    _record(session, user, actor, "user.role_changed", **{"from": previous.value, "to": role.value})
    return True


def deactivate(session: Session, user: User, *, actor: User) -> int:
    """Stop ``user`` signing in and end their sessions; returns how many ended.

    Refuses the admin's own account and the team's last active admin.
    """
    if not user.active:
        raise MemberError(f"{user.name} is deactivated already.")
    if user.id == actor.id:
        raise MemberError("You cannot deactivate your own account: ask another admin.")
    _keep_an_admin(session, user, "deactivated")
    user.active = False
    ended = user_sessions.end_sessions(session, user)
    session.flush()
    _record(session, user, actor, "user.deactivated", sessions=ended)
    return ended


def reactivate(session: Session, user: User, *, actor: User) -> None:
    """Let ``user`` sign in again, with the role they had."""
    if user.active:
        raise MemberError(f"{user.name} is active already.")
    user.active = True
    session.flush()
    _record(session, user, actor, "user.reactivated")


def reset_two_factor(session: Session, user: User, *, actor: User) -> int:
    """Turn off two-factor sign-in for ``user``, who lost both their app and their recovery
    codes, and end their sessions (whoever holds one now may be the one who took the phone);
    returns how many ended. They sign in with the password and may set it up again.

    Refuses the admin's own account: their own page turns it off with a code.
    """
    if not user.has_two_factor:
        raise MemberError(f"{user.name} does not use two-factor sign-in.")
    if user.id == actor.id:
        raise MemberError("Turn off your own two-factor sign-in on your account page.")
    totp.disable(session, user)
    ended = user_sessions.end_sessions(session, user)
    _record(session, user, actor, "user.two_factor_reset", sessions=ended)
    return ended


def _record(session: Session, user: User, actor: User, action: str, **data) -> None:
    audit.record(session, team_id=user.team_id, actor=actor, action=action, subject=user, **data)
