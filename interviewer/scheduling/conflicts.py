"""The rules a booking must pass: nobody double-booked, inside everyone's availability and
weekly and daily limits, with the team's minimum break between one interviewer's
interviews (``limits``), in plan order. Checked under row locks (``SELECT ... FOR UPDATE`` on
PostgreSQL, in a stable order) so two bookings of the same person at once run one after the
other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.candidates.models import Application, Candidate
from interviewer.plans.models import Job, PlanStage
from interviewer.scheduling import pools
from interviewer.scheduling.availability import (
    load_availability,
    overlaps,
    week_start,
    zone,
    zone_label,
)
from interviewer.scheduling.limits import (
    Booking,
    break_clash,
    daily_count,
    weekly_count,
)
from interviewer.scheduling.models import (
    Interview,
    InterviewStatus,
    PanelMember,
)


class SchedulingError(Exception):
    """A booking that cannot be made; ``field`` names the form field the reason belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SchedulingConflict(SchedulingError):
    """The slot clashes with someone's time, availability, limits, break or the plan order."""


def span(start: datetime, end: datetime, tz: str | None) -> str:
    """``Tue 31 Mar, 14:00-15:00 (Berlin time)``: an interval as a person reads it."""
    local_start, local_end = start.astimezone(zone(tz)), end.astimezone(zone(tz))
    return f"{local_start:%a %d %b}, {local_start:%H:%M}-{local_end:%H:%M} ({zone_label(tz)})"


def moment(at: datetime, tz: str | None) -> str:
    local = at.astimezone(zone(tz))
    return f"{local:%a %d %b}, {local:%H:%M} ({zone_label(tz)})"


@dataclass(frozen=True)
class BookedInterview:
    """A scheduled interview of the candidate, as the checks need it."""

    id: int
    application_id: int
    plan_stage_id: int
    stage_name: str
    job_title: str
    starts_at: datetime
    ends_at: datetime


def candidate_interviews(
    session: Session, candidate_id: int, exclude_id: int | None = None
) -> list[BookedInterview]:
    """Every scheduled (not cancelled) interview of the candidate, in any job (one query)."""
    rows = session.execute(
        select(
            Interview.id,
            Interview.application_id,
            Interview.plan_stage_id,
            PlanStage.name,
            Job.title,
            Interview.starts_at,
            Interview.ends_at,
        )
        .join(Application, Application.id == Interview.application_id)
        .join(PlanStage, PlanStage.id == Interview.plan_stage_id)
        .join(Job, Job.id == Application.job_id)
        .where(
            Application.candidate_id == candidate_id,
            Interview.status == InterviewStatus.SCHEDULED,
        )
        .order_by(Interview.starts_at)
    ).all()
    return [BookedInterview(*row) for row in rows if row[0] != exclude_id]


def panel_bookings(
    session: Session,
    user_ids: Sequence[int],
    start: datetime,
    end: datetime,
    exclude_id: int | None = None,
) -> dict[int, list[tuple[datetime, datetime, int]]]:
    """Per user, their scheduled interviews touching ``start``-``end``.

    Each as (start, end, interview id), in one query that reads the interviews by their end
    and the panels by primary key: none of the team's history before ``start``.
    """
    bookings: dict[int, list[tuple[datetime, datetime, int]]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return bookings
    rows = session.execute(
        select(PanelMember.user_id, Interview.id, Interview.starts_at, Interview.ends_at)
        .join(Interview, Interview.id == PanelMember.interview_id)
        .where(
            PanelMember.user_id.in_(list(user_ids)),
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.starts_at < end,
            Interview.ends_at > start,
        )
        .order_by(Interview.starts_at)
    )
    for user_id, interview_id, starts_at, ends_at in rows:
        if interview_id != exclude_id:
            bookings[user_id].append((starts_at, ends_at, interview_id))
    return bookings


def limit_refusal(
    user: User,
    bookings: Sequence[Booking],
    start: datetime,
    end: datetime,
    min_break: int,
    tz: str,
) -> str | None:
    """Why ``limits.within_limits`` refuses ``start``-``end`` for ``user``, times in ``tz``
    (days and weeks in the interviewer's own); ``None`` when it does not."""
    clash = break_clash(bookings, start, end, min_break)
    if clash is not None:
        return (
            f"{user.name} needs a break of {min_break} minute{'s' if min_break != 1 else ''} "
            f"between interviews and has one {span(clash[0], clash[1], tz)}."
        )
    limit = user.weekly_interview_limit
    if limit is not None and weekly_count(bookings, start, user.timezone) >= limit:
        monday = week_start(start, user.timezone).astimezone(zone(user.timezone))
        return (
            f"{user.name} has reached the weekly limit of {limit} interview"
            f"{'s' if limit != 1 else ''} (week of {monday:%a %d %b})."
        )
    limit = user.daily_interview_limit
    if limit is not None and daily_count(bookings, start, user.timezone) >= limit:
        day = start.astimezone(zone(user.timezone))
        return (
            f"{user.name} has reached the daily limit of {limit} interview"
            f"{'s' if limit != 1 else ''} ({day:%a %d %b}, {zone_label(user.timezone)})."
        )
    return None


def lock_people(session: Session, user_ids: Sequence[int], candidate_id: int) -> None:
    """Lock the people's rows so that concurrent bookings of any of them wait for this one.

    Users first, by id, then the candidate: every booking takes locks in that order, so two
    bookings cannot wait for each other. Renders no lock clause on SQLite.
    """
    session.execute(
        select(User.id).where(User.id.in_(sorted(user_ids))).order_by(User.id).with_for_update()
    ).all()
    session.execute(
        select(Candidate.id).where(Candidate.id == candidate_id).with_for_update()
    ).all()


def check_request(
    application: Application,
    stage: PlanStage,
    starts_at: datetime,
    panel: Sequence[User],
    now: datetime,
) -> None:
    """The checks that need no other rows: open application, right job, future, panel size."""
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be time zone aware")
    candidate = application.candidate.name
    if application.candidate.is_erased:
        raise SchedulingError("This candidate's data was erased; they cannot be scheduled.")
    if application.status.is_closed:
        raise SchedulingError(
            f"{candidate}'s application is {application.status.label.lower()}; "
            "a closed application cannot be scheduled."
        )
    if stage.job_id != application.job_id:
        raise SchedulingError(f"{stage.name} is not a stage of this job's plan.")
    if starts_at < now:
        raise SchedulingError("That time has passed; choose a later one.", "starts_on")
    ids = [user.id for user in panel]
    if len(set(ids)) != len(ids):
        raise SchedulingError("Choose each interviewer once.", "panel")
    if len(ids) != stage.panel_size:
        needed = f"{stage.panel_size} interviewer{'s' if stage.panel_size != 1 else ''}"
        raise SchedulingError(f"{stage.name} needs {needed}; {len(ids)} chosen.", "panel")
    for user in panel:
        if user.team_id != application.team_id or not user.active:
            raise SchedulingError(f"{user.name} cannot interview for this team.", "panel")


@dataclass(frozen=True)
class StageBound:
    """Another stage of the plan and the time it holds this stage's interview to."""

    stage: PlanStage
    #: True for a stage before this one (done by ``at``), False for one after it (from ``at``).
    earlier: bool
    #: An earlier stage: when its last interview ends, ``None`` while it is not scheduled.
    #: A later stage: when its first interview starts.
    at: datetime | None


@dataclass(frozen=True)
class PlanOrder:
    """Where the plan order lets an interview of ``stage`` sit among the application's
    other interviews: after every earlier stage is done, before any later one booked."""

    stage: PlanStage
    #: The other stages that bound it, in plan order.
    bounds: list[StageBound]

    @property
    def blocked(self) -> str | None:
        """Why the stage cannot be scheduled at any time yet (an earlier stage is not)."""
        for bound in self.bounds:
            if bound.earlier and bound.at is None:
                return self._not_scheduled(bound.stage)
        return None

    @property
    def earliest(self) -> datetime | None:
        """The interview may start from this time: every earlier stage's interviews are over."""
        ends = [b.at for b in self.bounds if b.earlier and b.at is not None]
        return max(ends) if ends else None

    @property
    def latest(self) -> datetime | None:
        """The interview must end by this time: the first booked later stage starts."""
        begins = [b.at for b in self.bounds if not b.earlier]
        return min(begins) if begins else None

    def refusal(self, starts_at: datetime, ends_at: datetime, tz: str) -> str | None:
        """Why ``starts_at``-``ends_at`` breaks the plan order (the first stage, in plan
        order, that it breaks), or ``None`` when it keeps it."""
        name = self.stage.name
        for bound in self.bounds:
            other = bound.stage.name
            if bound.earlier and bound.at is None:
                return self._not_scheduled(bound.stage)
            if bound.earlier and bound.at > starts_at:
                return (
                    f"{name} cannot be scheduled before {other} is done: "
                    f"{other} ends {moment(bound.at, tz)}."
                )
            if not bound.earlier and bound.at < ends_at:
                return f"{name} must be done before {other}, which starts {moment(bound.at, tz)}."
        return None

    def _not_scheduled(self, other: PlanStage) -> str:
        return (
            f"{self.stage.name} cannot be scheduled before {other.name} is done: "
            f"{other.name} is not scheduled yet."
        )


def plan_order(
    session: Session,
    application: Application,
    stage: PlanStage,
    booked: Sequence[BookedInterview],
) -> PlanOrder:
    """The plan order for an interview of ``stage`` of ``application`` (one query).

    ``booked`` holds the candidate's scheduled interviews (``candidate_interviews``). An
    earlier stage is done for this interview when the application has a scheduled interview
    of it that ends by the time this one starts, or when the application has already moved
    past it (a screen held by phone, say); a later stage already booked must start after
    this one ends.
    """
    stages = session.scalars(
        select(PlanStage).where(PlanStage.job_id == stage.job_id).order_by(PlanStage.position)
    ).all()
    current = application.current_stage
    own = [b for b in booked if b.application_id == application.id]
    bounds = []
    for other in stages:
        interviews = [b for b in own if b.plan_stage_id == other.id]
        if other.position < stage.position:
            if interviews:
                bounds.append(StageBound(other, True, max(b.ends_at for b in interviews)))
            elif current is None or other.position >= current.position:
                bounds.append(StageBound(other, True, None))
        elif other.position > stage.position and interviews:
            bounds.append(StageBound(other, False, min(b.starts_at for b in interviews)))
    return PlanOrder(stage, bounds)


def check_conflicts(
    session: Session,
    application: Application,
    stage: PlanStage,
    starts_at: datetime,
    ends_at: datetime,
    panel: Sequence[User],
    tz: str,
    exclude_id: int | None = None,
) -> None:
    """Lock the people involved, then refuse any clash (in a fixed number of queries)."""
    candidate = application.candidate
    lock_people(session, [user.id for user in panel], candidate.id)
    pools.check_panel_qualified(session, stage, panel)

    booked = candidate_interviews(session, candidate.id, exclude_id)
    same_stage = [
        b for b in booked if b.application_id == application.id and b.plan_stage_id == stage.id
    ]
    if same_stage:
        raise SchedulingConflict(
            f"{stage.name} is already scheduled for {candidate.name} "
            f"({moment(same_stage[0].starts_at, tz)}); reschedule that interview instead."
        )
    refusal = plan_order(session, application, stage, booked).refusal(starts_at, ends_at, tz)
    if refusal:
        raise SchedulingConflict(refusal, "starts_on")
    for other in booked:
        if overlaps([(other.starts_at, other.ends_at)], starts_at, ends_at):
            raise SchedulingConflict(
                f"{candidate.name} already has an interview "
                f"{span(other.starts_at, other.ends_at, tz)}: {other.stage_name} "
                f"for {other.job_title}.",
                "starts_on",
            )

    # Whole weeks either side, whatever each interviewer's zone, for the weekly limits (and
    # far more than any break).
    horizon = (starts_at - timedelta(days=8), ends_at + timedelta(days=8))
    bookings = panel_bookings(session, [u.id for u in panel], *horizon, exclude_id=exclude_id)
    availability = load_availability(session, panel, starts_at, ends_at)
    candidates_own = {other.id for other in booked}
    min_break = application.team.min_break_minutes
    for user in panel:
        for other_start, other_end, other_id in bookings[user.id]:
            if overlaps([(other_start, other_end)], starts_at, ends_at):
                whom = "this candidate" if other_id in candidates_own else "another candidate"
                raise SchedulingConflict(
                    f"{user.name} already has an interview "
                    f"{span(other_start, other_end, tz)} with {whom}.",
                    "panel",
                )
        reason = availability[user.id].check(starts_at, ends_at)
        if reason:
            raise SchedulingConflict(reason, "panel")
        reason = limit_refusal(user, bookings[user.id], starts_at, ends_at, min_break, tz)
        if reason:
            raise SchedulingConflict(reason, "panel")
