"""Loading pools and their members by id: the signed-in user's team only (else 404)."""

from __future__ import annotations

from typing import Any

from interviewer.db import get_in_team_or_404
from interviewer.plans.models import StageType
from interviewer.scheduling.pool_models import InterviewerPool, PoolMember


def get_pool_or_404(pool_id: Any, *options: Any) -> InterviewerPool:
    """One of the team's pools."""
    return get_in_team_or_404(InterviewerPool, pool_id, *options)


def get_pool_member_or_404(member_id: Any, *options: Any) -> PoolMember:
    """A member of one of the team's pools."""
    return get_in_team_or_404(PoolMember, member_id, *options)


def get_stage_type_or_404(stage_type_id: Any) -> StageType:
    """One of the team's stage types."""
    return get_in_team_or_404(StageType, stage_type_id)
