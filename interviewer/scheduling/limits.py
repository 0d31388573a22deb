"""Interviewers' limits as plain functions over their bookings: how many interviews in a
week or a day (in the interviewer's own zone), and whether one is too close to another for
the team's minimum break.

``bookings`` are one person's scheduled interviews as ``panel_bookings`` returns them:
(start, end, interview id), in UTC. Slot suggestions, booking and the whole-loop search all
use these, so what is suggested is what booking accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from interviewer.auth.models import User
from interviewer.scheduling.availability import local_datetime, week_end, week_start, zone

#: One scheduled interview of a person: start, end, interview id.
Booking = tuple[datetime, datetime, int]


def weekly_count(bookings: Sequence[Booking], at: datetime, tz: str) -> int:
    """How many of ``bookings`` start in the week (in zone ``tz``) that holds ``at``."""
    first = week_start(at, tz)
    last = week_end(first, tz)
    return sum(1 for start, _end, _interview in bookings if first <= start < last)


def day_bounds(at: datetime, tz: str | None) -> tuple[datetime, datetime]:
    """The UTC instants at which the day (midnight to midnight in zone ``tz``) holding ``at``
    begins and ends; 23 or 25 hours apart on the days the clocks change."""
    day = at.astimezone(zone(tz)).date()
    next_day = day + timedelta(days=1)
    return local_datetime(day, time(0, 0), tz), local_datetime(next_day, time(0, 0), tz)


def daily_count(bookings: Sequence[Booking], at: datetime, tz: str) -> int:
    """How many of ``bookings`` start on the day (in zone ``tz``) that holds ``at``."""
    first, last = day_bounds(at, tz)
    return sum(1 for start, _end, _interview in bookings if first <= start < last)


def break_clash(
    bookings: Sequence[Booking],
    start: datetime,
    end: datetime,
    minutes: int,
) -> Booking | None:
    """The first of ``bookings`` that leaves less than ``minutes`` between it and
    ``start``-``end`` (an overlapping one too), or ``None``.

    A gap of exactly ``minutes`` is enough; with ``minutes`` 0 nothing clashes, so back to
    back is fine.
    """
    if minutes <= 0:
        return None
    gap = timedelta(minutes=minutes)
    for booking in bookings:
        if booking[0] < end + gap and booking[1] > start - gap:
            return booking
    return None


def within_limits(
    user: User,
    bookings: Sequence[Booking],
    start: datetime,
    end: datetime,
    min_break: int,
) -> bool:
    """Whether ``user`` may take ``start``-``end`` as far as their weekly and daily limits
    and the minimum break (``min_break`` minutes) go, given ``bookings``: their scheduled
    interviews from ``panel_bookings`` over a window that holds the whole week around
    ``start``. Says nothing of availability or overlaps; ``conflicts.limit_refusal`` says
    why not, in words."""
    weekly, daily = user.weekly_interview_limit, user.daily_interview_limit
    if weekly is not None and weekly_count(bookings, start, user.timezone) >= weekly:
        return False
    if daily is not None and daily_count(bookings, start, user.timezone) >= daily:
        return False
    return break_clash(bookings, start, end, min_break) is None
