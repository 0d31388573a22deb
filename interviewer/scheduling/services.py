"""Booking interviews: schedule, reschedule and cancel, refusing every conflict with its reason.

The checks run inside the caller's transaction after the rows of the people involved are
locked (``SELECT ... FOR UPDATE`` on PostgreSQL, in a stable order), so two managers booking
the same interviewer or candidate at once are served one after the other and the second one
sees the first booking. SQLite serialises writers on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.candidates.models import Application, Candidate
from interviewer.db import utcnow
from interviewer.plans import kits
from interviewer.plans.models import Job, PlanStage
from interviewer.scheduling.availability import (
    Interval,
    load_availability,
    merge,
    overlaps,
    week_end,
    week_start,
    zone,
    zone_label,
)
from interviewer.scheduling.models import (
    CandidateWindow,
    Interview,
    InterviewStatus,
    PanelMember,
)

#: How many windows a candidate may propose at once, and the shortest useful one.
MAX_CANDIDATE_WINDOWS = 20
MIN_WINDOW = timedelta(minutes=30)


class SchedulingError(Exception):
    """A booking that cannot be made; ``field`` names the form field the reason belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SchedulingConflict(SchedulingError):
    """The slot clashes with someone's time, availability, weekly limit or the plan order."""


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

    Each as (start, end, candidate id), in one query.
    """
    bookings: dict[int, list[tuple[datetime, datetime, int]]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return bookings
    rows = session.execute(
        select(
            PanelMember.user_id,
            Interview.id,
            Interview.starts_at,
            Interview.ends_at,
            Application.candidate_id,
        )
        .join(Interview, Interview.id == PanelMember.interview_id)
        .join(Application, Application.id == Interview.application_id)
        .where(
            PanelMember.user_id.in_(list(user_ids)),
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.starts_at < end,
            Interview.ends_at > start,
        )
        .order_by(Interview.starts_at)
    )
    for user_id, interview_id, starts_at, ends_at, candidate_id in rows:
        if interview_id != exclude_id:
            bookings[user_id].append((starts_at, ends_at, candidate_id))
    return bookings


def weekly_count(bookings: Sequence[tuple[datetime, datetime, int]], at: datetime, tz: str) -> int:
    """How many of ``bookings`` start in the week (in zone ``tz``) that holds ``at``."""
    first = week_start(at, tz)
    last = week_end(first, tz)
    return sum(1 for start, _end, _candidate in bookings if first <= start < last)


def _lock_people(session: Session, user_ids: Sequence[int], candidate_id: int) -> None:
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


def _check_request(
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


def passed(stage: PlanStage, current_position: int | None) -> bool:
    """True when the application has moved beyond ``stage`` in its plan."""
    return current_position is not None and stage.position < current_position


def check_plan_order(
    stage: PlanStage,
    stages: Sequence[PlanStage],
    booked: Sequence[BookedInterview],
    application_id: int,
    starts_at: datetime,
    ends_at: datetime,
    tz: str,
    current_position: int | None = None,
) -> None:
    """Refuse a slot that breaks the plan order.

    An earlier stage is done for this interview when the application has a scheduled
    interview of it that ends by the time this one starts, or when the application has
    already moved past it (``current_position``: a screen held by phone, say); a later stage
    already booked must start after this one ends.
    """
    own = [b for b in booked if b.application_id == application_id]
    for other in stages:
        interviews = [b for b in own if b.plan_stage_id == other.id]
        if other.position < stage.position:
            if not interviews:
                if passed(other, current_position):
                    continue
                raise SchedulingConflict(
                    f"{stage.name} cannot be scheduled before {other.name} is done: "
                    f"{other.name} is not scheduled yet.",
                    "starts_on",
                )
            ends = max(b.ends_at for b in interviews)
            if ends > starts_at:
                raise SchedulingConflict(
                    f"{stage.name} cannot be scheduled before {other.name} is done: "
                    f"{other.name} ends {moment(ends, tz)}.",
                    "starts_on",
                )
        elif other.position > stage.position and interviews:
            begins = min(b.starts_at for b in interviews)
            if begins < ends_at:
                raise SchedulingConflict(
                    f"{stage.name} must be done before {other.name}, which starts "
                    f"{moment(begins, tz)}.",
                    "starts_on",
                )


def _check_conflicts(
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
    _lock_people(session, [user.id for user in panel], candidate.id)

    booked = candidate_interviews(session, candidate.id, exclude_id)
    same_stage = [
        b for b in booked if b.application_id == application.id and b.plan_stage_id == stage.id
    ]
    if same_stage:
        raise SchedulingConflict(
            f"{stage.name} is already scheduled for {candidate.name} "
            f"({moment(same_stage[0].starts_at, tz)}); reschedule that interview instead."
        )
    stages = session.scalars(
        select(PlanStage).where(PlanStage.job_id == stage.job_id).order_by(PlanStage.position)
    ).all()
    current = application.current_stage
    check_plan_order(
        stage,
        stages,
        booked,
        application.id,
        starts_at,
        ends_at,
        tz,
        current_position=current.position if current else None,
    )
    for other in booked:
        if overlaps([(other.starts_at, other.ends_at)], starts_at, ends_at):
            raise SchedulingConflict(
                f"{candidate.name} already has an interview "
                f"{span(other.starts_at, other.ends_at, tz)}: {other.stage_name} "
                f"for {other.job_title}.",
                "starts_on",
            )

    # Whole weeks either side, whatever each interviewer's zone, for the weekly limits.
    horizon = (starts_at - timedelta(days=8), ends_at + timedelta(days=8))
    bookings = panel_bookings(session, [u.id for u in panel], *horizon, exclude_id=exclude_id)
    availability = load_availability(session, panel, starts_at, ends_at)
    for user in panel:
        for other_start, other_end, other_candidate in bookings[user.id]:
            if overlaps([(other_start, other_end)], starts_at, ends_at):
                whom = "this candidate" if other_candidate == candidate.id else "another candidate"
                raise SchedulingConflict(
                    f"{user.name} already has an interview "
                    f"{span(other_start, other_end, tz)} with {whom}.",
                    "panel",
                )
        reason = availability[user.id].check(starts_at, ends_at)
        if reason:
            raise SchedulingConflict(reason, "panel")
        limit = user.weekly_interview_limit
        if limit is not None and weekly_count(bookings[user.id], starts_at, user.timezone) >= limit:
            monday = week_start(starts_at, user.timezone).astimezone(zone(user.timezone))
            raise SchedulingConflict(
                f"{user.name} has reached the weekly limit of {limit} interview"
                f"{'s' if limit != 1 else ''} (week of {monday:%a %d %b}).",
                "panel",
            )


def schedule_interview(
    session: Session,
    application: Application,
    plan_stage: PlanStage,
    starts_at: datetime,
    panel: Sequence[User],
    *,
    location: str = "",
    video_url: str = "",
    actor: User | None = None,
    now: datetime | None = None,
    timezone: str | None = None,
) -> Interview:
    """Book ``plan_stage`` for ``application`` at ``starts_at`` with ``panel``.

    The duration comes from the stage. ``timezone`` is the zone the interview is shown in
    when no viewer's zone applies (default: the first interviewer's). Raises
    ``SchedulingError`` (``SchedulingConflict`` for a clash) with the reason.
    """
    now = now or utcnow()
    _check_request(application, plan_stage, starts_at, panel, now)
    tz = timezone or panel[0].timezone
    ends_at = starts_at + timedelta(minutes=plan_stage.duration_minutes)
    _check_conflicts(session, application, plan_stage, starts_at, ends_at, panel, tz)

    kit = kits.kit_for_interview(session, plan_stage, actor)
    interview = Interview(
        team_id=application.team_id,
        application=application,
        plan_stage=plan_stage,
        kit_version=kit,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=tz,
        location=location.strip(),
        video_url=video_url.strip(),
        panel=[PanelMember(team_id=application.team_id, user_id=user.id) for user in panel],
    )
    session.add(interview)
    session.flush()
    kits.mark_kit_used(session, kit, now)
    audit.record(
        session,
        team_id=application.team_id,
        actor=actor,
        action="interview.scheduled",
        subject=interview,
        application_id=application.id,
        plan_stage_id=plan_stage.id,
        starts_at=starts_at.isoformat(),
        panel=[user.id for user in panel],
    )
    return interview


def reschedule_interview(
    session: Session,
    interview: Interview,
    starts_at: datetime,
    panel: Sequence[User],
    *,
    reason: str,
    location: str | None = None,
    video_url: str | None = None,
    actor: User | None = None,
    now: datetime | None = None,
    timezone: str | None = None,
) -> Interview:
    """Move ``interview`` (and change its panel) for ``reason``, with the same checks.

    The calendar identity (``uid``) stays and ``sequence`` goes up, so calendars update the
    event they already hold.
    """
    now = now or utcnow()
    if interview.status != InterviewStatus.SCHEDULED:
        raise SchedulingError("A cancelled interview cannot be rescheduled; schedule a new one.")
    if interview.ends_at <= now:
        raise SchedulingError("This interview has already taken place.")
    if not reason.strip():
        raise SchedulingError("Say why the interview moves.", "reason")
    application, stage = interview.application, interview.plan_stage
    _check_request(application, stage, starts_at, panel, now)
    tz = timezone or interview.timezone
    ends_at = starts_at + timedelta(minutes=stage.duration_minutes)
    _check_conflicts(
        session, application, stage, starts_at, ends_at, panel, tz, exclude_id=interview.id
    )

    previous = {
        "starts_at": interview.starts_at.isoformat(),
        "panel": [member.user_id for member in interview.panel],
    }
    wanted = {user.id for user in panel}
    for member in list(interview.panel):
        if member.user_id not in wanted:
            interview.panel.remove(member)
    kept = {member.user_id for member in interview.panel}
    for user in panel:
        if user.id not in kept:
            interview.panel.append(PanelMember(team_id=interview.team_id, user_id=user.id))
    interview.starts_at, interview.ends_at, interview.timezone = starts_at, ends_at, tz
    if location is not None:
        interview.location = location.strip()
    if video_url is not None:
        interview.video_url = video_url.strip()
    interview.sequence += 1
    session.flush()
    audit.record(
        session,
        team_id=interview.team_id,
        actor=actor,
        action="interview.rescheduled",
        subject=interview,
        reason=reason.strip(),
        previous=previous,
        starts_at=starts_at.isoformat(),
        panel=sorted(wanted),
    )
    return interview


def cancel_interview(
    session: Session,
    interview: Interview,
    reason: str,
    *,
    actor: User | None = None,
) -> Interview:
    """Cancel ``interview`` for ``reason``; its calendar event is cancelled through ``sequence``."""
    if interview.status == InterviewStatus.CANCELLED:
        raise SchedulingError("This interview is already cancelled.")
    if not reason.strip():
        raise SchedulingError("Say why the interview is cancelled.", "reason")
    interview.status = InterviewStatus.CANCELLED
    interview.cancel_reason = reason.strip()
    interview.sequence += 1
    session.flush()
    audit.record(
        session,
        team_id=interview.team_id,
        actor=actor,
        action="interview.cancelled",
        subject=interview,
        reason=interview.cancel_reason,
    )
    return interview


def propose_windows(
    session: Session,
    application: Application,
    windows: Sequence[Interval],
    *,
    now: datetime | None = None,
) -> list[CandidateWindow]:
    """Replace the candidate's proposed windows for ``application`` with ``windows``.

    Windows are aware (start, end) pairs; overlapping ones are joined. Slot suggestions keep
    inside them. Raises ``SchedulingError`` for a window that is empty, too short or over.
    """
    now = now or utcnow()
    if application.status.is_closed:
        raise SchedulingError("This application is closed; no interviews will be scheduled.")
    if len(windows) > MAX_CANDIDATE_WINDOWS:
        raise SchedulingError(f"Propose at most {MAX_CANDIDATE_WINDOWS} windows.")
    for start, end in windows:
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("windows must be time zone aware")
        if end - start < MIN_WINDOW:
            raise SchedulingError("Each window must last at least 30 minutes.")
        if end <= now:
            raise SchedulingError("A window has already passed; choose a later time.")
    for old in session.scalars(
        select(CandidateWindow).where(CandidateWindow.application_id == application.id)
    ):
        session.delete(old)
    created = [
        CandidateWindow(
            team_id=application.team_id,
            application_id=application.id,
            starts_at=start,
            ends_at=end,
        )
        for start, end in merge(windows)
    ]
    session.add_all(created)
    session.flush()
    audit.record(
        session,
        team_id=application.team_id,
        actor=None,
        action="application.windows_proposed",
        subject=application,
        windows=[[w.starts_at.isoformat(), w.ends_at.isoformat()] for w in created],
    )
    return created


def upcoming_windows(
    session: Session, application_id: int, now: datetime | None = None
) -> list[CandidateWindow]:
    """The candidate's proposed windows for the application that have not ended, in order."""
    now = now or utcnow()
    return list(
        session.scalars(
            select(CandidateWindow)
            .where(CandidateWindow.application_id == application_id, CandidateWindow.ends_at > now)
            .order_by(CandidateWindow.starts_at)
        )
    )
