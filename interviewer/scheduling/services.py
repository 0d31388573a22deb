"""Booking interviews: schedule, reschedule and cancel, refusing every conflict with its reason
(the rules are in ``conflicts``), and the windows a candidate proposes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.db import utcnow
from interviewer.plans import kits
from interviewer.plans.models import PlanStage
from interviewer.scheduling import signals, video_rooms
from interviewer.scheduling.availability import (
    Interval,
    merge,
)
from interviewer.scheduling.conflicts import (
    SchedulingConflict,
    SchedulingError,
    check_conflicts,
    check_request,
    span,
)
from interviewer.scheduling.models import (
    CandidateWindow,
    Interview,
    InterviewStatus,
    PanelMember,
)

__all__ = [
    "SchedulingConflict",
    "SchedulingError",
    "cancel_interview",
    "on_panel",
    "propose_windows",
    "reschedule_interview",
    "schedule_interview",
    "span",
    "upcoming_windows",
]

#: How many windows a candidate may propose at once, and the shortest useful one.
MAX_CANDIDATE_WINDOWS = 20
MIN_WINDOW = timedelta(minutes=30)


def on_panel(interview: Interview, user: User) -> bool:
    """True when ``user`` sits on the interview's panel."""
    return any(member.user_id == user.id for member in interview.panel)


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
    when no viewer's zone applies (default: the zone of whoever books). A
    blank ``video_url`` gets the panel's or the team's video room (``video_rooms.room_for``).
    Raises ``SchedulingError`` (``SchedulingConflict`` for a clash) with the reason.
    """
    now = now or utcnow()
    check_request(application, plan_stage, starts_at, panel, now)
    tz = timezone or (actor.timezone if actor is not None else panel[0].timezone)
    ends_at = starts_at + timedelta(minutes=plan_stage.duration_minutes)
    check_conflicts(session, application, plan_stage, starts_at, ends_at, panel, tz)
    if not video_url.strip():
        video_url = video_rooms.room_for(application.team, panel)

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
    signals.interview_scheduled.send(interview, session=session)
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
    check_request(application, stage, starts_at, panel, now)
    tz = timezone or interview.timezone
    ends_at = starts_at + timedelta(minutes=stage.duration_minutes)
    check_conflicts(
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
    signals.interview_rescheduled.send(interview, session=session)
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
    signals.interview_cancelled.send(interview, session=session)
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
