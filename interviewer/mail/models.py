"""The outbox table: one row per email, queued or sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from interviewer.db import Base, TeamScoped, utcnow

#: Longest subject the table keeps.
MAX_SUBJECT = 255


class OutboxEmail(TeamScoped, Base):
    """One email waiting to be sent, or sent."""

    __tablename__ = "outbox_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The interview it is about, if any; the email is kept when the interview is deleted.
    #: Only the id: mail sits below the features and knows none of their models.
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview.id", ondelete="SET NULL"), index=True
    )
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(160), default="")
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT))
    body: Mapped[str] = mapped_column(Text)
    #: The attached calendar file (RFC 5545 text), empty when there is none.
    ics: Mapped[str] = mapped_column(Text, default="")
    #: The calendar file's iTIP method: ``REQUEST`` or ``CANCEL``.
    method: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index(None, "sent_at", "created_at"),)

    def __repr__(self) -> str:
        return f"<OutboxEmail {self.id} to {self.to_email}>"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
