"""Independence: an interviewer sees no colleague's scorecard of an application until their own
scorecards for it are submitted. Hiring managers and admins see everything.

Every page, export or API that shows scorecards, ratings or recommendations asks here first.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards.models import Scorecard, ScorecardState


def applications_open_to(session: Session, user: User, application_ids: Iterable[int]) -> set[int]:
    """Of ``application_ids``, those whose colleagues' scorecards ``user`` may see (one query).

    An interviewer qualifies for an application when they sit on at least one of its
    interviews and have submitted a scorecard for every one of them that is not cancelled.
    """
    ids = set(application_ids)
    if not ids:
        return set()
    if user.is_manager:
        return ids
    rows = session.execute(
        select(Interview.application_id, Scorecard.state)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .outerjoin(
            Scorecard,
            and_(Scorecard.interview_id == Interview.id, Scorecard.interviewer_id == user.id),
        )
        .where(
            Interview.team_id == user.team_id,
            Interview.application_id.in_(ids),
            Interview.status != InterviewStatus.CANCELLED,
            PanelMember.user_id == user.id,
        )
    ).all()
    sitting: set[int] = set()
    pending: set[int] = set()
    for application_id, state in rows:
        sitting.add(application_id)
        if state != ScorecardState.SUBMITTED:
            pending.add(application_id)
    return sitting - pending


def may_see_others(session: Session, user: User, application_id: int) -> bool:
    """True when ``user`` may see other interviewers' scorecards of this application."""
    return application_id in applications_open_to(session, user, [application_id])
