"""A team's own text for one kind of candidate email (and, for a rejection, one reason)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.db import Base, TeamScoped, str_enum, utcnow
from interviewer.mail.models import MAX_SUBJECT


class CandidateEmailKind(enum.StrEnum):
    """What a candidate email tells; each has a built-in text until the team edits it."""

    APPLICATION_RECEIVED = "application_received"
    INTERVIEW_INVITATION = "interview_invitation"
    INTERVIEW_RESCHEDULED = "interview_rescheduled"
    INTERVIEW_CANCELLED = "interview_cancelled"
    MOVED_ON = "moved_on"
    REJECTION = "rejection"
    WITHDRAWAL = "withdrawal"


class EmailTemplate(TeamScoped, Base):
    """A team's edited text; without one, the built-in default of the kind applies."""

    __tablename__ = "email_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CandidateEmailKind] = mapped_column(str_enum(CandidateEmailKind, length=30))
    #: The exit reason a rejection text is for; "" for the kind's default text.
    reason: Mapped[str] = mapped_column(String(120), default="")
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    updated_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("team_id", "kind", "reason"),)

    def __repr__(self) -> str:
        return f"<EmailTemplate {self.kind} {self.reason!r}>"
