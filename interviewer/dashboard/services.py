"""What each role's home page reads, in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from interviewer.auth.models import User
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.plans.models import Job
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards.models import Scorecard, ScorecardState


def pipeline_counts(session: Session, team_id: int, job_ids: list[int]) -> dict[int, Counter]:
    """Per job: active applications per current stage id, plus ``offer`` and ``hired`` counts.

    Applications on hold count in their stage; rejected and withdrawn ones do not.
    """
    counts: dict[int, Counter] = defaultdict(Counter)
    if not job_ids:
        return counts
    rows = session.execute(
        select(
            Application.job_id,
            Application.current_stage_id,
            Application.status,
            func.count(),
        )
        .where(Application.team_id == team_id, Application.job_id.in_(job_ids))
        .group_by(Application.job_id, Application.current_stage_id, Application.status)
    )
    for job_id, stage_id, status, number in rows:
        if status in (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD):
            counts[job_id][stage_id] += number
        elif status in (ApplicationStatus.OFFER, ApplicationStatus.HIRED):
            counts[job_id][status.value] += number
    return counts


def interviews_for(session: Session, user: User, now: datetime) -> tuple[list, list]:
    """``user``'s scheduled interviews as (upcoming, past), each with their scorecard state."""
    interviews = session.scalars(
        select(Interview)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .where(
            Interview.team_id == user.team_id,
            PanelMember.user_id == user.id,
            Interview.status == InterviewStatus.SCHEDULED,
        )
        .options(
            selectinload(Interview.application).selectinload(Application.candidate),
            selectinload(Interview.application)
            .selectinload(Application.job)
            .selectinload(Job.level),
            selectinload(Interview.plan_stage),
        )
        .order_by(Interview.starts_at)
    ).all()
    states = dict(
        session.execute(
            select(Scorecard.interview_id, Scorecard.state).where(
                Scorecard.team_id == user.team_id, Scorecard.interviewer_id == user.id
            )
        ).all()
    )
    upcoming, past = [], []
    for interview in interviews:
        state = states.get(interview.id)
        entry = {"interview": interview, "scorecard_state": state or "to do"}
        if interview.ends_at > now:
            upcoming.append(entry)
        else:
            entry["overdue"] = state != ScorecardState.SUBMITTED
            past.append(entry)
    # Overdue scorecards first, then the most recent.
    past.sort(key=lambda e: (not e["overdue"], -e["interview"].starts_at.timestamp()))
    return upcoming, past
