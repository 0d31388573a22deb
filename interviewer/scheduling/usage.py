"""Scheduling's answers to plans: how many interviews of some stages are on record.

Connected when ``interviewer.scheduling`` is imported.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.plans import signals as plans_signals
from interviewer.scheduling.models import Interview


@plans_signals.stage_interviews.connect
def interviews_of_stages(
    sender: object, *, session: Session, stage_ids: list[int], **kwargs: object
) -> int:
    """The number of interviews, cancelled ones too, of the stages ``stage_ids``."""
    return session.scalar(
        select(func.count()).select_from(Interview).where(Interview.plan_stage_id.in_(stage_ids))
    )
