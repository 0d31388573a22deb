"""Queueing emails, and the outbox as admins read it.

A feature queues its emails in the same transaction as the change they tell about, so an
email is never lost and never sent about a change that was rolled back: it leaves the outbox
only once the SMTP server has accepted it (:mod:`interviewer.mail.delivery`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select
from sqlalchemy.orm import Session

from interviewer.db import in_team
from interviewer.mail.models import OutboxEmail

#: The outbox page's filters, by key, with their labels.
FILTERS = {"pending": "Waiting", "sent": "Sent", "all": "All"}


def queue_emails(session: Session, emails: Iterable[OutboxEmail]) -> list[OutboxEmail]:
    """Add ``emails`` to the outbox in the caller's transaction; flushes, never commits."""
    queued = list(emails)
    session.add_all(queued)
    session.flush()
    return queued


def team_outbox(team_id: int, show: str) -> Select:
    """The team's emails for the outbox page, newest first: ``show`` is a key of
    :data:`FILTERS` (``pending``: not sent yet, ``sent``, ``all``)."""
    query = in_team(OutboxEmail, team_id)
    if show == "pending":
        query = query.where(OutboxEmail.sent_at.is_(None))
    elif show == "sent":
        query = query.where(OutboxEmail.sent_at.is_not(None))
    return query.order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
