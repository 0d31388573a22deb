"""Queueing emails, retrying a failed one, and the outbox as admins read it.

A feature queues its emails in the same transaction as the change they tell about, so an
email is never lost and never sent about a change that was rolled back: it leaves the outbox
only once the SMTP server has accepted it (:mod:`interviewer.mail.delivery`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.db import in_team, utcnow
from interviewer.mail.models import OutboxEmail, OutboxStatus

#: The outbox page's filters, by key, with their labels.
FILTERS = {"pending": "Waiting", "failed": "Failed", "sent": "Sent", "all": "All"}
#: The states each filter shows (``all``: every state).
_FILTER_STATES = {
    "pending": (OutboxStatus.WAITING, OutboxStatus.SENDING),
    "failed": (OutboxStatus.FAILED,),
    "sent": (OutboxStatus.SENT,),
}


class OutboxError(ValueError):
    """An action the email's state does not allow, in words for the admin."""


def queue_emails(session: Session, emails: Iterable[OutboxEmail]) -> list[OutboxEmail]:
    """Add ``emails`` to the outbox in the caller's transaction; flushes, never commits."""
    queued = list(emails)
    session.add_all(queued)
    session.flush()
    return queued


def can_retry(email: OutboxEmail) -> bool:
    """Whether an admin may send ``email`` again now: it failed, or waits after a failure.

    An email being sent (claimed by a sender) is left to that sender.
    """
    return email.status is OutboxStatus.FAILED or (
        email.status is OutboxStatus.WAITING and email.attempts > 0
    )


def retry_email(
    session: Session, email: OutboxEmail, *, actor: User | None, now: datetime | None = None
) -> None:
    """Queue ``email`` again, due at once, with a fresh round of attempts; flushes.

    The last error stays on the email (and in the audit event) until the next attempt.
    Raises :class:`OutboxError` for an email that is sent or being sent.
    """
    if not can_retry(email):
        raise OutboxError(
            "This email was sent already."
            if email.status is OutboxStatus.SENT
            else "This email is being sent or waits for its first attempt; it needs no retry."
        )
    audit.record(
        session,
        team_id=email.team_id,
        actor=actor,
        action="outbox_email.retried",
        subject=email,
        status=email.status.value,
        attempts=email.attempts,
        last_error=email.last_error,
    )
    email.status = OutboxStatus.WAITING
    email.attempts = 0
    email.next_attempt_at = now or utcnow()
    session.flush()


@dataclass(frozen=True)
class OutboxCounts:
    """How many emails are in each state. ``waiting`` counts those being sent too."""

    waiting: int = 0
    failed: int = 0
    sent: int = 0

    def for_filter(self, key: str) -> int | None:
        """The count shown next to a filter of :data:`FILTERS`, ``None`` for ``all``."""
        return {"pending": self.waiting, "failed": self.failed, "sent": self.sent}.get(key)


def outbox_counts(session: Session, team_id: int | None = None) -> OutboxCounts:
    """The emails of team ``team_id`` (of every team when ``None``) per state, in one query."""
    query = select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
    if team_id is not None:
        query = query.where(OutboxEmail.team_id == team_id)
    by_status = {status: count for status, count in session.execute(query)}
    return OutboxCounts(
        waiting=by_status.get(OutboxStatus.WAITING, 0) + by_status.get(OutboxStatus.SENDING, 0),
        failed=by_status.get(OutboxStatus.FAILED, 0),
        sent=by_status.get(OutboxStatus.SENT, 0),
    )


def team_outbox(team_id: int, show: str) -> Select:
    """The team's emails for the outbox page, newest first: ``show`` is a key of
    :data:`FILTERS` (``pending``: not sent yet and not failed, ``failed``, ``sent``, ``all``)."""
    query = in_team(OutboxEmail, team_id)
    if show in _FILTER_STATES:
        query = query.where(OutboxEmail.status.in_(_FILTER_STATES[show]))
    return query.order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
