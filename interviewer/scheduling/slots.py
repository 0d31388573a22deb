"""Slot suggestions: the next times when the candidate and enough interviewers are free.

A slot is suggested when it lies inside the candidate's proposed windows (if they proposed
any), clashes with none of the candidate's interviews, keeps the plan order, and enough
interviewers have it inside their availability, are free with the team's minimum break
around it, and are under their weekly and daily limits. Of those, the ones with the fewest
interviews that week sit on the panel, to spread the load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.plans.models import PlanStage
from interviewer.scheduling.availability import covers, load_availability, merge, overlaps, zone
from interviewer.scheduling.conflicts import (
    candidate_interviews,
    panel_bookings,
    plan_order,
)
from interviewer.scheduling.limits import weekly_count, within_limits
from interviewer.scheduling.models import CandidateWindow
from interviewer.scheduling.pools import qualified_interviewers

#: Slots start on these steps (UTC, so on the hour or half hour in nearly every zone).
STEP = timedelta(minutes=30)
#: How far ahead suggestions look.
HORIZON = timedelta(days=14)


@dataclass
class Slot:
    """A free time for the stage with the interviewers suggested for it."""

    starts_at: datetime
    ends_at: datetime
    panel: list[User]
    #: Interviews each panel member already has in that week, by user id.
    load: dict[int, int] = field(default_factory=dict)

    @property
    def value(self) -> str:
        """The slot as one form value: ``2026-03-30T08:00:00+00:00|3,5``."""
        return f"{self.starts_at.isoformat()}|{','.join(str(u.id) for u in self.panel)}"


@dataclass
class Suggestions:
    slots: list[Slot]
    #: Why no slot can be suggested at all (the stage cannot be booked yet), if so.
    blocked: str | None = None
    #: The candidate's proposed windows that limited the search (none: no limit).
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)

    @property
    def candidate_windows(self) -> bool:
        return bool(self.windows)


def parse_slot(value: str) -> tuple[datetime, list[int]]:
    """The start and interviewer ids of a ``Slot.value``; ``ValueError`` when malformed."""
    start_text, _, ids_text = value.partition("|")
    starts_at = datetime.fromisoformat(start_text)
    if starts_at.tzinfo is None:
        raise ValueError("slot start without a time zone")
    return starts_at, [int(part) for part in ids_text.split(",") if part]


def _first_step(now: datetime) -> datetime:
    """The first slot boundary at or after ``now``."""
    base = now.replace(minute=0, second=0, microsecond=0)
    while base < now:
        base += STEP
    return base


def suggest_slots(
    session: Session,
    application: Application,
    stage: PlanStage,
    now: datetime,
    *,
    tz: str = "UTC",
    limit: int = 10,
    per_day: int = 3,
    pool: Sequence[User] | None = None,
    exclude_interview_id: int | None = None,
) -> Suggestions:
    """Up to ``limit`` free slots for ``stage`` in the next two weeks, earliest first.

    At most ``per_day`` slots per day (in zone ``tz``) and none overlapping within a day, so
    the list offers a choice of days. Interviewers come from ``pool`` (default: those
    qualified for the stage); those who stated no availability are left out. Runs a fixed
    number of queries. ``exclude_interview_id`` is an interview being moved: its time is free.
    """
    candidate = application.candidate
    if application.status.is_closed:
        return Suggestions([], f"{candidate.name}'s application is closed.")
    booked = candidate_interviews(session, candidate.id, exclude_interview_id)
    if any(b.application_id == application.id and b.plan_stage_id == stage.id for b in booked):
        return Suggestions([], f"{stage.name} is already scheduled; reschedule it instead.")
    order = plan_order(session, application, stage, booked)
    if order.blocked:
        return Suggestions([], order.blocked)
    duration = timedelta(minutes=stage.duration_minutes)
    # The plan order bounds the search: after every earlier stage, before any later one.
    start, end = _first_step(now), now + HORIZON
    if order.earliest is not None:
        start = _first_step(max(start, order.earliest))
    if order.latest is not None:
        end = min(end, order.latest)

    windows = merge(
        (w.starts_at, w.ends_at)
        for w in session.scalars(
            select(CandidateWindow).where(
                CandidateWindow.application_id == application.id,
                CandidateWindow.ends_at > start,
            )
        )
    )
    candidate_busy = [(b.starts_at, b.ends_at) for b in booked]

    if pool is None:
        pool = qualified_interviewers(session, stage)
    availability = load_availability(session, pool, start, end)
    pool = [user for user in pool if availability[user.id].stated]
    free_time = {user.id: availability[user.id].intervals(start, end) for user in pool}
    bookings = panel_bookings(
        session,
        [u.id for u in pool],
        start - timedelta(days=8),
        end + timedelta(days=8),
        exclude_id=exclude_interview_id,
    )

    min_break = application.team.min_break_minutes
    slots: list[Slot] = []
    per_date: dict = {}
    at = start
    while at + duration <= end and len(slots) < limit:
        slot_end = at + duration
        day = at.astimezone(zone(tz)).date()
        taken = per_date.get(day, [])
        if (
            len(taken) < per_day
            and (not taken or taken[-1] <= at)
            and (not windows or covers(windows, at, slot_end))
            and not overlaps(candidate_busy, at, slot_end)
        ):
            slot = _panel_for(stage, pool, free_time, bookings, at, slot_end, min_break)
            if slot is not None:
                slots.append(slot)
                per_date[day] = [*taken, slot_end]
        at += STEP
    return Suggestions(slots, windows=windows)


def _panel_for(stage, pool, free_time, bookings, start, end, min_break=0) -> Slot | None:
    """The least-loaded interviewers who can all take ``start``-``end`` (inside their
    limits and ``min_break`` minutes clear of their other interviews), or None."""
    eligible = []
    for user in pool:
        if not covers(free_time[user.id], start, end):
            continue
        busy = bookings[user.id]
        if overlaps(((s, e) for s, e, _interview in busy), start, end):
            continue
        if not within_limits(user, busy, start, end, min_break):
            continue
        eligible.append((weekly_count(busy, start, user.timezone), user))
    if len(eligible) < stage.panel_size:
        return None
    eligible.sort(key=lambda pair: pair[0])  # stable: ties keep the pool's name order
    chosen = eligible[: stage.panel_size]
    return Slot(start, end, [user for _load, user in chosen], {u.id: n for n, u in chosen})
