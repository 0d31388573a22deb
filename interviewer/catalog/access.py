"""Loading the team's skills and levels by id; the views' role checks come before."""

from __future__ import annotations

from typing import Any

from interviewer.catalog.models import Level, Skill
from interviewer.db import get_in_team_or_404


def get_skill_or_404(skill_id: Any, *options: Any) -> Skill:
    """A skill of the signed-in user's team, or 404."""
    return get_in_team_or_404(Skill, skill_id, *options)


def get_level_or_404(level_id: Any, *options: Any) -> Level:
    """A level of the signed-in user's team, or 404."""
    return get_in_team_or_404(Level, level_id, *options)
