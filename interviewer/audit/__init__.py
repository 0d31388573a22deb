"""Audit events: who did what to which record, and when (the table is in ``models``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import User


def record(
    session: Session,
    *,
    team_id: int,
    actor: User | None,
    action: str,
    subject: Any,
    **data: Any,
) -> AuditEvent:
    """Add an audit event about ``subject`` (any model with an ``id``) to the session."""
    event = AuditEvent(
        team_id=team_id,
        actor=actor,
        action=action,
        subject_type=type(subject).__tablename__,
        subject_id=subject.id,
        data=data,
    )
    session.add(event)
    return event
