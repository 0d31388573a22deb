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
from interviewer.reports.models import PanelSeat
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
        past_rows = session.execute(_past_ids(user, now, before, per_page + 1)).all()
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


def _past_ids(user: User, now: datetime, before: Cursor | None, limit: int):
    """The statement of ``limit`` of ``user``'s past interviews with a submitted scorecard
    as (id, starts_at) rows, most recent first (after ``before``).

    Read from the user's panel seats (those of interviews not cancelled) by start, newest
    first, from one index, stopping once the page is full: most past seats have their
    scorecard, so a long history costs a page's worth of probes. The scorecard's state is
    asked per seat (a subquery, not a join that the planner would make of every seat).
    """
    seat = PanelSeat
    state = select(Scorecard.state).where(_own_scorecard_of(seat)).scalar_subquery().correlate(seat)
    query = select(seat.interview_id.label("id"), seat.starts_at).where(
        seat.team_id == user.team_id,
        seat.interviewer_id == user.id,
        seat.ends_at <= now,
        state == ScorecardState.SUBMITTED,
    )
    if before is not None:
        query = query.where(
            or_(
                seat.starts_at < before.starts_at,
                and_(seat.starts_at == before.starts_at, seat.interview_id < before.id),
            )
        )
    return query.order_by(seat.starts_at.desc(), seat.interview_id.desc()).limit(limit)


def _overdue_ids(session: Session, user: User, now: datetime, before: Cursor | None, limit: int):
    """One page (``limit`` and one more) of ``user``'s overdue interviews as (id, starts_at,
    state) rows, most recent first, and how many there are in all.

    In one query from the user's panel seats without a submitted scorecard (a partial
    index: a few, however long their history), each checked against its interview and
    their scorecard.
    """
    seat = PanelSeat
    rows = session.execute(
        select(Interview.id, Interview.starts_at, Scorecard.state)
        .select_from(seat)
        .join(Interview, Interview.id == seat.interview_id)
        .outerjoin(Scorecard, _own_scorecard_of(seat))
        .where(
            seat.team_id == user.team_id,
            seat.interviewer_id == user.id,
            seat.seconds.is_(None),
            seat.ends_at <= now,
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.ends_at <= now,
            or_(Scorecard.id.is_(None), Scorecard.state != ScorecardState.SUBMITTED),
        )
        .order_by(Interview.starts_at.desc(), Interview.id.desc())
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
    many there are in all (counted in the same query): the rows and count that
    ``queries.owed_summary`` gives, read from fewer rows.

    Those of decided applications no longer hold anything up; leaving them out keeps the
    list about what a manager can chase. The seats come from the report's panel seats
    without a submitted scorecard (a small partial index: every owed seat is among them),
    matched to the applications in the process by hash, so the statement never walks the
    open applications' interviews, panels and scorecards; only those seats are then
    checked against their scorecard.
    """
    ended_by = now - reminders.FIRST_DELAY
    submitted = (
        select(Scorecard.id)
        .where(_own_scorecard_of(PanelSeat), Scorecard.state == ScorecardState.SUBMITTED)
        .exists()
    )
    seats = (
        select(
            PanelSeat.interview_id,
            PanelSeat.interviewer_id.label("user_id"),
            PanelSeat.ends_at,
            User.name,
        )
        .join(Application, Application.id == PanelSeat.application_id)
        .join(User, User.id == PanelSeat.interviewer_id)
        .where(
            PanelSeat.team_id == team_id,
            PanelSeat.seconds.is_(None),
            PanelSeat.ends_at <= ended_by,
            Application.team_id == team_id,
            Application.status.in_(queries.IN_PROCESS),
            User.active.is_(True),
            ~submitted,
        )
        .cte("owed_seats")
    )
    total = select(func.count()).select_from(seats).scalar_subquery()
    order = (seats.c.ends_at, seats.c.interview_id, seats.c.name, seats.c.user_id)
    # The oldest are picked from the seats before their interviews (and the state of their
    # scorecard) are read.
    oldest = select(seats).order_by(*order).limit(limit).subquery("oldest")
    rows = session.execute(
        select(Interview, User, Scorecard.state, total.label("total"))
        .join(oldest, oldest.c.interview_id == Interview.id)
        .join(User, User.id == oldest.c.user_id)
        .outerjoin(
            Scorecard,
            and_(
                Scorecard.interview_id == oldest.c.interview_id,
                Scorecard.interviewer_id == oldest.c.user_id,
            ),
        )
        .options(*OVERDUE_LOAD)
        .order_by(oldest.c.ends_at, oldest.c.interview_id, oldest.c.name, oldest.c.user_id)
    ).all()
    shown = [
        queries.OwedScorecard(interview, user, draft=state == ScorecardState.DRAFT)
        for interview, user, state, _total in rows
    ]
    return shown, rows[0].total if rows else 0


def _own_scorecard_of(seat):
    """The join to the scorecard of the seat's interviewer for its interview."""
    return and_(
        Scorecard.interview_id == seat.interview_id,
        Scorecard.interviewer_id == seat.interviewer_id,
    )
