"""Scorecards' answers to the catalogue: how often a skill is rated.

Connected when ``interviewer.scorecards`` is imported.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.catalog import signals as catalog_signals
from interviewer.catalog.models import Skill
from interviewer.scorecards.models import Rating


@catalog_signals.skill_usage.connect
def skill_in_ratings(skill: Skill, *, session: Session, **kwargs: object) -> list[str]:
    """The line "rated on N scorecards" while ratings of ``skill`` are on record."""
    ratings = session.scalar(
        select(func.count())
        .select_from(Rating)
        .where(Rating.skill_id == skill.id, Rating.team_id == skill.team_id)
    )
    if not ratings:
        return []
    return [f"rated on {ratings} scorecard{'s' if ratings != 1 else ''}"]
