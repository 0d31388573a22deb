"""Users: authentication and creation."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from interviewer.auth import passwords
from interviewer.auth.models import Role, Team, User


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


@cache
def _decoy_hash() -> str:
    return generate_password_hash("decoy password", method="scrypt")


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else ``None``.

    An unknown email costs a password check too, so the answer's timing does not tell
    which addresses have an account.
    """
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        check_password_hash(_decoy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        # The password is at hand only now: rehash it at today's method and cost.
        user.set_password(password)
    return user


def create_user(
    session: Session,
    *,
    team: Team,
    email: str,
    name: str,
    password: str,
    role: Role | str = Role.INTERVIEWER,
    timezone: str = "UTC",
) -> User:
    """Add a user to ``team``; refuses an email that is already taken."""
    email = normalize_email(email)
    try:
        # The same check as the sign-in form's, so that every account can sign in.
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise UserError(f"{email} is not a valid email address: {error}") from None
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError(f"{email} already has an account.")
    weakness = passwords.weakness(password, user_inputs=(email, name, team.name))
    if weakness:
        raise UserError(weakness)
    user = User(team=team, email=email, name=name.strip(), role=Role(role), timezone=timezone)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def is_safe_next(target: str | None) -> bool:
    """True for a path on this site (``/jobs``), false for other hosts or schemes."""
    if not target:
        return False
    if target.startswith("//") or target.startswith("/\\") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/")
