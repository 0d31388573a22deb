"""Interviewer pools: who may fill the panel seats of a stage."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.plans.models import PlanStage


def qualified_interviewers(session: Session, stage: PlanStage) -> list[User]:
    """The interviewers who may fill ``stage``'s panel seats, by name.

    Every active user of the team, until the stage has a pool.
    """
    return list(
        session.scalars(
            select(User)
            .where(User.team_id == stage.team_id, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )
