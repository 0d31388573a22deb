"""The retention period: a candidate whose every application closed more than the team's
``retention_months`` ago is anonymised by the erasure service, once a day (the worker's
``apply_retention`` job at 03:00 UTC, or ``flask apply-retention``), with an audit event
each whose actor is the system. A candidate with an open application is never touched, nor
one who never applied to a job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.db import utcnow
from interviewer.privacy.erasure import RETENTION, erase_candidate

#: When the daily run happens (UTC).
RUN_AT = time(3, 0)
#: How far ahead the Candidate data page looks.
PREVIEW_DAYS = 7
CLOSED = [status for status in ApplicationStatus if status.is_closed]


def cutoff(now: datetime, months: int) -> datetime:
    """The moment before which a last application must have closed to be due at ``now``."""
    return now - relativedelta(months=months)


def due_on(last_closed: datetime, months: int) -> datetime:
    """When a candidate whose last application closed at ``last_closed`` becomes due."""
    return last_closed + relativedelta(months=months)


def next_run(at_or_after: datetime) -> datetime:
    """The first daily run at or after ``at_or_after``: that day's 03:00 UTC, or the next."""
    run = at_or_after.replace(hour=RUN_AT.hour, minute=RUN_AT.minute, second=0, microsecond=0)
    return run if run >= at_or_after else run + timedelta(days=1)


def _last_closed():
    """Per candidate of a team: when their last application closed, for those whose every
    application is closed."""
    still_open = func.sum(case((Application.status.in_(CLOSED), 0), else_=1))
    return (
        select(
            Application.candidate_id.label("candidate_id"),
            func.max(Application.closed_at).label("last_closed"),
        )
        .group_by(Application.candidate_id)
        .having(still_open == 0, func.count(Application.closed_at) == func.count())
    )


def due_before(team_id: int, moment: datetime) -> Select:
    """``(Candidate, last closed)`` of the team's candidates not erased yet whose last
    application closed before ``moment``, the longest closed first."""
    last = _last_closed().where(Application.team_id == team_id).subquery()
    return (
        select(Candidate, last.c.last_closed)
        .join(last, last.c.candidate_id == Candidate.id)
        .where(
            Candidate.team_id == team_id,
            Candidate.erased_at.is_(None),
            last.c.last_closed < moment,
        )
        .order_by(last.c.last_closed, Candidate.id)
    )


def preview(team: Team, now: datetime | None = None) -> Select:
    """What the daily run will anonymise within :data:`PREVIEW_DAYS`, the next due first."""
    now = now or utcnow()
    return due_before(team.id, cutoff(now + timedelta(days=PREVIEW_DAYS), team.retention_months))


@dataclass(frozen=True)
class Upcoming:
    """A line of the preview: who, when their last application closed, when they go."""

    candidate: Candidate
    last_closed: datetime
    due_at: datetime
    runs_at: datetime


def upcoming(
    session: Session, candidates: list[Candidate], months: int, now: datetime
) -> list[Upcoming]:
    """The preview's lines for one page of ``candidates``, each with when their last
    application closed and the run that will anonymise them (one query)."""
    ids = [candidate.id for candidate in candidates]
    last = _last_closed().where(Application.candidate_id.in_(ids)).subquery()
    closed = dict(session.execute(select(last.c.candidate_id, last.c.last_closed)).all())
    lines = []
    for candidate in candidates:
        due = due_on(closed[candidate.id], months)
        lines.append(Upcoming(candidate, closed[candidate.id], due, next_run(max(due, now))))
    return lines


def apply_retention(session: Session, now: datetime | None = None) -> int:
    """Anonymise every team's candidates past its retention period; flushes, returns how
    many. The actor of each audit event is the system."""
    now = now or utcnow()
    erased = 0
    for team in session.scalars(select(Team).order_by(Team.id)):
        statement = due_before(team.id, cutoff(now, team.retention_months))
        for candidate in session.scalars(statement).all():
            if erase_candidate(session, candidate, actor=None, reason=RETENTION, now=now):
                erased += 1
    return erased
