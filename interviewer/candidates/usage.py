"""Candidates' answers to plans: how many applications are currently at some stages.

Connected when ``interviewer.candidates`` is imported.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.candidates.models import Application
from interviewer.plans import signals as plans_signals


@plans_signals.stage_candidates.connect
def applications_at_stages(
    sender: object, *, session: Session, stage_ids: list[int], **kwargs: object
) -> int:
    """The number of applications, closed ones too, whose current stage is in ``stage_ids``."""
    return session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.current_stage_id.in_(stage_ids))
    )
