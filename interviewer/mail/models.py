"""The outbox table: one row per email, waiting, being sent, sent or failed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from interviewer.db import Base, TeamScoped, str_enum, utcnow

#: Longest subject the table keeps.
MAX_SUBJECT = 255


class OutboxStatus(enum.StrEnum):
    """Where an email stands; :mod:`interviewer.mail.delivery` moves it along."""

    #: Queued, or waiting for its next attempt at ``next_attempt_at`` after a failure.
    WAITING = "waiting"
    #: A sender claimed it and is sending; the claim (lease) lasts until ``next_attempt_at``,
    #: after which another sender may try again (the first one crashed or hung).
    SENDING = "sending"
    SENT = "sent"
    #: Refused for good by the server, or still failing after the last attempt.
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


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
    #: The sender's display name (a candidate reads the team's public name); the address is
    #: always the configured sender's. Empty: the address alone.
    from_name: Mapped[str] = mapped_column(String(160), default="")
    subject: Mapped[str] = mapped_column(String(MAX_SUBJECT))
    body: Mapped[str] = mapped_column(Text)
    #: The attached calendar file (RFC 5545 text), empty when there is none.
    ics: Mapped[str] = mapped_column(Text, default="")
    #: The calendar file's iTIP method: ``REQUEST`` or ``CANCEL``.
    method: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, length=10), default=OutboxStatus.WAITING
    )
    #: When a sender may next take it: at once when queued, later after a failure (the
    #: backoff), and while it is being sent the end of the sender's claim.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the last attempt started.
    last_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    #: Attempts started, counted before each one is sent.
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: The body holds a secret that opens an account (a password reset link): the outbox
    #: page does not show it, or any admin could take over a colleague's account.
    private: Mapped[bool] = mapped_column(
        # A flag, not a secret, whatever its name says to the backup's secret finder.
        default=False,
        info={"secret": False},
    )

    __table_args__ = (
        # What senders ask: the emails due, oldest due first.
        Index(None, "status", "next_attempt_at"),
        # What the outbox page and its counts ask: a team's emails by state, newest first.
        Index(None, "team_id", "status", "created_at"),
    )

    def __repr__(self) -> str:
        return f"<OutboxEmail {self.id} to {self.to_email}>"

    @property
    def is_sent(self) -> bool:
        return self.status is OutboxStatus.SENT

    @property
    def is_sending(self) -> bool:
        return self.status is OutboxStatus.SENDING

    @property
    def is_failed(self) -> bool:
        return self.status is OutboxStatus.FAILED
