"""What each role's home page reads, in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from interviewer.auth.models import User
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.plans.models import PlanStage
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scheduling.pool_models import InterviewTrainee, TrainingPhase
from interviewer.scorecards import queries, reminders
from interviewer.scorecards.models import Scorecard, ScorecardState

#: The applications the pipeline counts show; the closed ones (most of a team's history)
#: are left out in SQL.
COUNTED = (
    ApplicationStatus.ACTIVE,
    ApplicationStatus.ON_HOLD,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
)


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
        .where(
            Application.team_id == team_id,
            Application.job_id.in_(job_ids),
            Application.status.in_(COUNTED),
        )
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
    #: Set when the user sits in on the interview as a trainee, not on its panel: the
    #: phase it counts toward (no scorecard is owed).
    shadowing: TrainingPhase | None = None


#: What the list of a user's interviews shows of each, loaded with it: every one of these
#: is one row per interview, so one statement for the applications (with their candidate,
#: job, and the stage and stage type the blind review reads) joins them all.
INTERVIEW_OPTIONS = (
    selectinload(Interview.application).options(
        joinedload(Application.candidate),
        joinedload(Application.job),
        joinedload(Application.current_stage).joinedload(PlanStage.stage_type),
    ),
    joinedload(Interview.plan_stage),
    joinedload(Interview.kit_version),
)


@dataclass(frozen=True)
class Cursor:
    """Where a list of past interviews (most recent first) goes on: after this one."""

    starts_at: datetime
    id: int

    def __str__(self) -> str:
        return f"{(self.starts_at - EPOCH) // MICROSECOND}-{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """The cursor a link carries; ``None`` when there is none or it cannot be read."""
        micros, _, ident = (text or "").partition("-")
        if not (micros.isdigit() and ident.isdigit()) or len(micros) > 18:
            return None
        return cls(EPOCH + int(micros) * MICROSECOND, int(ident))


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _seats(user: User):
    """``user``'s seats on the panels of scheduled interviews (their team's only)."""
    return (
        select(Interview)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .where(
            PanelMember.team_id == user.team_id,
            PanelMember.user_id == user.id,
            Interview.status == InterviewStatus.SCHEDULED,
        )
    )


def _sitting_in(user: User):
    """(interview id, phase) of the scheduled interviews ``user`` sits in on as a trainee
    (their team's only), from the trainee seats' index."""
    return (
        select(Interview.id, InterviewTrainee.phase)
        .join(InterviewTrainee, InterviewTrainee.interview_id == Interview.id)
        .where(
            InterviewTrainee.team_id == user.team_id,
            InterviewTrainee.user_id == user.id,
            Interview.status == InterviewStatus.SCHEDULED,
        )
    )


def _submitted():
    """Whether the seat's interviewer submitted their scorecard: one probe of the
    ``(interviewer_id, state, interview_id)`` index per seat."""
    return (
        select(Scorecard.id)
        .where(
            Scorecard.interview_id == PanelMember.interview_id,
            Scorecard.interviewer_id == PanelMember.user_id,
            Scorecard.state == ScorecardState.SUBMITTED,
        )
        .exists()
    )


def _newest_first(query, before: Cursor | None):
    """``query`` most recent interview first, after ``before`` when given."""
    if before is not None:
        query = query.where(
            or_(
                Interview.starts_at < before.starts_at,
                and_(Interview.starts_at == before.starts_at, Interview.id < before.id),
            )
        )
    return query.order_by(Interview.starts_at.desc(), Interview.id.desc())


@dataclass
class MyInterviews:
    """What My interviews shows: upcoming interviews, the overdue scorecards (how many, and
    a page of them), and a page of the other past interviews, each most recent first."""

    upcoming: list[InterviewEntry]
    overdue: list[InterviewEntry]
    overdue_total: int
    #: Where the next page of overdue scorecards starts, if there is one.
    overdue_next: Cursor | None
    past: list[InterviewEntry]
    #: Where the next page of past interviews starts, if there is one.
    past_next: Cursor | None


def _page(rows: list, limit: int) -> tuple[list, Cursor | None]:
    """The first ``limit`` of ``rows`` (one more was asked for), and the cursor after them
    when there are more."""
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], Cursor(last.starts_at, last.id)


def my_interviews(
    session: Session,
    user: User,
    now: datetime,
    *,
    per_page: int,
    before: Cursor | None = None,
    overdue_before: Cursor | None = None,
    show: str = "all",
) -> MyInterviews:
    """``user``'s interviews for My interviews, in a fixed number of queries whatever their
    history: upcoming ones (``show`` "all"), overdue scorecards (all, or "overdue": from
    ``overdue_before``), past interviews with a submitted scorecard (all, or "past": from
    ``before``). Each list is one indexed query for a page of ids (with the state of the
    user's scorecard); the interviews of all three are then loaded together.
    """
    upcoming_rows: list = []
    shadowing: dict[int, TrainingPhase] = {}
    if show == "all":
        upcoming_rows = session.execute(
            _seats(user)
            .outerjoin(Scorecard, _own_scorecard(PanelMember.user_id))
            .where(Interview.ends_at > now)
            .with_only_columns(Interview.id, Interview.starts_at, Scorecard.state)
        ).all()
        shadowing = dict(session.execute(_sitting_in(user).where(Interview.ends_at > now)).all())
    overdue_rows: list = []
    overdue_total = 0
    if show in ("all", "overdue"):
        overdue_rows, overdue_total = _overdue_ids(session, user, now, overdue_before, per_page)
    past_rows: list = []
    if show in ("all", "past"):
        past_rows = session.execute(
            _newest_first(
                _seats(user).where(Interview.ends_at <= now, _submitted()),
                before,
            )
            .with_only_columns(Interview.id, Interview.starts_at)
            .limit(per_page + 1)
        ).all()
    overdue_rows, overdue_next = _page(overdue_rows, per_page)
    past_rows, past_next = _page(past_rows, per_page)
    # The past list holds the interviews whose scorecard is submitted, the others say theirs.
    states = {
        **dict.fromkeys(shadowing),
        **{row.id: row.state for row in upcoming_rows},
        **{row.id: row.state for row in overdue_rows},
        **{row.id: ScorecardState.SUBMITTED for row in past_rows},
    }
    loaded = _load(session, list(states))

    def entries(ids) -> list[InterviewEntry]:
        return [
            InterviewEntry(
                interview=loaded[id_],
                scorecard_state=states[id_],
                overdue=loaded[id_].ends_at <= now and states[id_] != ScorecardState.SUBMITTED,
            )
            for id_ in ids
        ]

    # Panel seats and trainee seats of one interview cannot both be the user's.
    upcoming = entries(row.id for row in upcoming_rows) + [
        InterviewEntry(interview=loaded[id_], shadowing=phase) for id_, phase in shadowing.items()
    ]
    upcoming.sort(key=lambda entry: (entry.interview.starts_at, entry.interview.id))
    return MyInterviews(
        upcoming=upcoming,
        overdue=entries(row.id for row in overdue_rows),
        overdue_total=overdue_total,
        overdue_next=overdue_next,
        past=entries(row.id for row in past_rows),
        past_next=past_next,
    )


def _own_scorecard(interviewer_id):
    """The join to the scorecard of ``interviewer_id`` for the interview: one probe of its
    unique key."""
    return and_(Scorecard.interview_id == Interview.id, Scorecard.interviewer_id == interviewer_id)


def _overdue_ids(session: Session, user: User, now: datetime, before: Cursor | None, limit: int):
    """One page (``limit`` and one more) of ``user``'s overdue interviews as (id, starts_at)
    rows, most recent first, and how many there are in all.

    First the user's seats without a submitted scorecard, from two indexes alone (a few,
    however long their history); then those of them that are over, by primary key. Asked
    in one query, the planner would read the team's interviews to find them.
    """
    unsubmitted = session.scalars(
        select(PanelMember.interview_id).where(
            PanelMember.team_id == user.team_id,
            PanelMember.user_id == user.id,
            ~_submitted(),
        )
    ).all()
    rows = session.execute(
        _newest_first(
            select(Interview.id, Interview.starts_at, Scorecard.state)
            .outerjoin(Scorecard, _own_scorecard(user.id))
            .where(
                Interview.id.in_(unsubmitted),
                Interview.status == InterviewStatus.SCHEDULED,
                Interview.ends_at <= now,
            ),
            None,
        )
    ).all()
    total = len(rows)
    if before is not None:
        rows = [row for row in rows if (row.starts_at, row.id) < (before.starts_at, before.id)]
    return rows[: limit + 1], total


def _load(session: Session, ids: list[int]) -> dict[int, Interview]:
    """The interviews with these ids, with what the lists show of each."""
    if not ids:
        return {}
    interviews = session.scalars(
        select(Interview).where(Interview.id.in_(ids)).options(*INTERVIEW_OPTIONS)
    ).all()
    return {interview.id: interview for interview in interviews}


#: What the overdue list shows of each interview, loaded with it.
OVERDUE_LOAD = (
    selectinload(Interview.application).options(
        joinedload(Application.candidate), joinedload(Application.job)
    ),
    selectinload(Interview.plan_stage),
)


def overdue_scorecards(
    session: Session, team_id: int, now: datetime, limit: int = 20
) -> tuple[list[queries.OwedScorecard], int]:
    """The team's scorecards still owed when reminders start (an hour after the interview
    ended) for applications still in the process, oldest first (at most ``limit``), and how
    many there are in all (counted in the same query).

    Those of decided applications no longer hold anything up; leaving them out keeps the
    list about what a manager can chase, and its cost about the open pipeline.
    """
    return queries.owed_summary(
        session,
        team_id=team_id,
        ended_by=now - reminders.FIRST_DELAY,
        in_process=True,
        limit=limit,
        options=OVERDUE_LOAD,
    )
