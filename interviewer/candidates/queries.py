"""Read-side queries of the candidate pages."""

from __future__ import annotations

from sqlalchemy.orm import Session, selectinload

from interviewer.db import in_team
from interviewer.plans.models import Job, JobStatus


def open_jobs(session: Session, team_id: int) -> list[Job]:
    """The team's jobs that take candidates (open and draft ones) with their plans, by title."""
    return session.scalars(
        in_team(Job, team_id)
        .where(Job.status != JobStatus.CLOSED)
        .options(selectinload(Job.stages))
        .order_by(Job.title)
    ).all()
