"""Invitations: an admin's offer to a colleague to join the team with a role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import Role, User
from interviewer.db import Base, TeamScoped, str_enum, utcnow


class Invitation(TeamScoped, Base):
    """A one-time link by which a colleague sets their password and joins the team.

    Pending until accepted, revoked or past ``expires_at``; resending gives it a new token
    (the old link dies) and a new expiry.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-case, as ``User.email``: the account the invitation becomes has this address.
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.INTERVIEWER)
    #: The admin who sent it; kept ``None`` if that account is ever deleted.
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: SHA-256 of the secret in the link; the secret itself is only in the email.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"secret": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    #: When the link was last sent (the first time, or the last resend).
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    invited_by: Mapped[User | None] = relationship()

    __table_args__ = (
        # What the users page and the duplicate check ask: the team's invitations by email.
        Index(None, "team_id", "email"),
    )

    def __repr__(self) -> str:
        return f"<Invitation {self.id} to {self.email}>"

    def is_pending(self, now: datetime) -> bool:
        """Not accepted, not revoked and not expired: the link still opens."""
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    def is_open(self) -> bool:
        """Neither accepted nor revoked: it may be resent, even once expired."""
        return self.accepted_at is None and self.revoked_at is None
