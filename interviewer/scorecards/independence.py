"""Independence: an interviewer sees no colleague's scorecard of an application until their own
scorecards for it are submitted. Hiring managers and admins see everything.

Every page, export or API that shows scorecards, ratings or recommendations asks here first.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards import queries


def applications_open_to(session: Session, user: User, application_ids: Iterable[int]) -> set[int]:
    """Of ``application_ids``, those whose colleagues' scorecards ``user`` may see (one query).

    An interviewer qualifies for an application when they sit on at least one of its
    interviews that is not cancelled and owe no scorecard for any of them
    (``queries.owed``). A deactivated user owes nothing but sees nothing either.
    """
    ids = set(application_ids)
    if not ids:
        return set()
    if user.is_manager:
        return ids
    if not user.active:
        return set()
    owing = queries.owed(
        team_id=user.team_id, application_ids=ids, user_id=user.id
    ).with_only_columns(Interview.application_id)
    return set(
        session.scalars(
            select(Interview.application_id)
            .join(PanelMember, PanelMember.interview_id == Interview.id)
            .where(
                Interview.team_id == user.team_id,
                Interview.application_id.in_(ids),
                Interview.status != InterviewStatus.CANCELLED,
                PanelMember.user_id == user.id,
                Interview.application_id.not_in(owing),
            )
        )
    )


def may_see_others(session: Session, user: User, application_id: int) -> bool:
    """True when ``user`` may see other interviewers' scorecards of this application."""
    return application_id in applications_open_to(session, user, [application_id])
