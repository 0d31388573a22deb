"""The rules of jobs and plans."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.plans.models import BUILTIN_STAGE_TYPES, StageType


def ensure_team_defaults(session: Session, team: Team) -> None:
    """Give ``team`` the built-in stage types it does not have yet."""
    existing = set(session.scalars(select(StageType.key).where(StageType.team_id == team.id)).all())
    for key, name in BUILTIN_STAGE_TYPES.items():
        if key not in existing:
            session.add(StageType(team_id=team.id, key=key, name=name, builtin=True))
    session.flush()
