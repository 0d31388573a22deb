"""The audit log's table: one row per change, naming its actor and its subject."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.db import Base, TeamScoped, utcnow


class AuditEvent(TeamScoped, Base):
    """Who did what to which record, and when."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``None`` for the system (CLI, scheduled jobs) or a candidate acting through the portal.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: A dotted verb such as ``application.moved`` or ``scorecard.submitted``.
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()

    __table_args__ = (
        Index(None, "team_id", "subject_type", "subject_id"),
        # What the audit log page asks: a team's events, newest first.
        Index(None, "team_id", "created_at"),
    )
