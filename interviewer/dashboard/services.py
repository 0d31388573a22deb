"""What each role's home page reads, in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from interviewer.auth.models import User
from interviewer.candidates import blind
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards import queries, reminders
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


@dataclass
class InterviewEntry:
    """One of a user's interviews with the state of their own scorecard for it."""

    interview: Interview
    #: ``None`` while the user has not started a scorecard.
    scorecard_state: ScorecardState | None = None
    #: Over and no scorecard submitted yet.
    overdue: bool = False


#: What the list of a user's interviews shows of each, loaded with it.
INTERVIEW_OPTIONS = (
    selectinload(Interview.application).selectinload(Application.candidate),
    selectinload(Interview.application).options(*blind.STAGE_LOAD),
    selectinload(Interview.application).selectinload(Application.job),
    selectinload(Interview.plan_stage),
    selectinload(Interview.kit_version),
)


def _on_panel(user: User):
    """The scheduled interviews with ``user`` on the panel."""
    return (
        select(Interview)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .where(
            Interview.team_id == user.team_id,
            PanelMember.user_id == user.id,
            Interview.status == InterviewStatus.SCHEDULED,
        )
    )


def _submitted(user: User):
    return (
        select(Scorecard.id)
        .where(
            Scorecard.team_id == user.team_id,
            Scorecard.interview_id == Interview.id,
            Scorecard.interviewer_id == user.id,
            Scorecard.state == ScorecardState.SUBMITTED,
        )
        .exists()
    )


def upcoming_interviews(session: Session, user: User, now: datetime) -> list[Interview]:
    """``user``'s interviews not over yet, soonest first."""
    return session.scalars(
        _on_panel(user)
        .where(Interview.ends_at > now)
        .options(*INTERVIEW_OPTIONS)
        .order_by(Interview.starts_at, Interview.id)
    ).all()


def past_interviews(user: User, now: datetime):
    """A statement for ``user``'s interviews that are over: overdue scorecards first, then
    the most recent; for paginating."""
    return (
        _on_panel(user)
        .where(Interview.ends_at <= now)
        .options(*INTERVIEW_OPTIONS)
        .order_by(
            case((_submitted(user), 1), else_=0),
            Interview.starts_at.desc(),
            Interview.id.desc(),
        )
    )


def overdue_count(session: Session, user: User, now: datetime) -> int:
    """How many of ``user``'s past interviews still wait for their submitted scorecard."""
    return queries.count_owed(session, team_id=user.team_id, user_id=user.id, ended_by=now)


def interview_entries(
    session: Session, user: User, interviews: list[Interview], now: datetime
) -> list[InterviewEntry]:
    """``interviews`` with the state of ``user``'s scorecard for each, in one query."""
    ids = [interview.id for interview in interviews]
    states = (
        dict(
            session.execute(
                select(Scorecard.interview_id, Scorecard.state).where(
                    Scorecard.team_id == user.team_id,
                    Scorecard.interviewer_id == user.id,
                    Scorecard.interview_id.in_(ids),
                )
            ).all()
        )
        if ids
        else {}
    )
    return [
        InterviewEntry(
            interview=interview,
            scorecard_state=states.get(interview.id),
            overdue=interview.ends_at <= now
            and states.get(interview.id) != ScorecardState.SUBMITTED,
        )
        for interview in interviews
    ]


#: What the overdue list shows of each interview, loaded with it.
OVERDUE_LOAD = (
    selectinload(Interview.application).selectinload(Application.candidate),
    selectinload(Interview.application).selectinload(Application.job),
    selectinload(Interview.plan_stage),
)


def overdue_scorecards(
    session: Session, team_id: int, now: datetime, limit: int = 20
) -> tuple[list[queries.OwedScorecard], int]:
    """The team's scorecards still owed when reminders start (an hour after the interview
    ended), oldest first (at most ``limit``), and how many there are in all (counted in SQL)."""
    ended_by = now - reminders.FIRST_DELAY
    shown = queries.owed_scorecards(
        session, team_id=team_id, ended_by=ended_by, limit=limit, options=OVERDUE_LOAD
    )
    return shown, queries.count_owed(session, team_id=team_id, ended_by=ended_by)
