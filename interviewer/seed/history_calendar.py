"""The interviewers' calendar for the demo's history: who may interview when, and what is
already booked, kept as sets of quarter hours so that hundreds of past interviews are
placed quickly.

The rules are the app's: an interview lies inside each panel member's weekly window (in
their own zone), not on a day off, and nobody is booked twice (``scheduling.conflicts``
checks the same for a booking made on a page).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.scheduling.models import (
    Availability,
    AvailabilityException,
    Interview,
    PanelMember,
)

#: Calendar cells: a quarter of an hour, as seconds since the epoch divided by this.
CELL = 900
#: Start times tried: every half hour of the UTC day from 06:00 to 22:00, which covers the
#: working hours of every zone the demo's interviewers live in.
FIRST_START = time(6)
STARTS_PER_DAY = 32
STEP = timedelta(minutes=30)
#: How many days after the earliest wanted one a booking may be pushed.
SEARCH_DAYS = 30


def _cells(start: datetime, end: datetime) -> range:
    return range(int(start.timestamp()) // CELL, -(-int(end.timestamp()) // CELL))


class HistoryCalendar:
    """The team's interviewers' windows, days off and booked time."""

    def __init__(self, session: Session, team_id: int, users: list[User]) -> None:
        self.zones = {user.id: ZoneInfo(user.timezone or "UTC") for user in users}
        self.windows: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(dict)
        for row in session.scalars(select(Availability).where(Availability.team_id == team_id)):
            self.windows[row.user_id].setdefault(row.weekday, []).append(
                (row.start_time, row.end_time)
            )
        self.days_off: set[tuple[int, date]] = set(
            session.execute(
                select(AvailabilityException.user_id, AvailabilityException.on_date).where(
                    AvailabilityException.team_id == team_id,
                    AvailabilityException.available.is_(False),
                )
            ).all()
        )
        self.busy: dict[int, set[int]] = defaultdict(set)
        booked = session.execute(
            select(PanelMember.user_id, Interview.starts_at, Interview.ends_at)
            .join(Interview, Interview.id == PanelMember.interview_id)
            .where(Interview.team_id == team_id)
        )
        for user_id, starts_at, ends_at in booked:
            self.busy[user_id].update(_cells(_utc(starts_at), _utc(ends_at)))

    def fits(self, user_id: int, start: datetime, end: datetime) -> bool:
        """Whether ``user_id`` is available and free from ``start`` to ``end``."""
        local, local_end = (
            start.astimezone(self.zones[user_id]),
            end.astimezone(self.zones[user_id]),
        )
        if local.date() != local_end.date() or (user_id, local.date()) in self.days_off:
            return False
        windows = self.windows[user_id].get(local.weekday(), ())
        if not any(low <= local.time() and local_end.time() <= high for low, high in windows):
            return False
        return self.busy[user_id].isdisjoint(_cells(start, end))

    def book(
        self,
        user_ids: tuple[int, ...],
        minutes: int,
        earliest: datetime,
        rng: random.Random,
    ) -> tuple[datetime, datetime] | None:
        """Book the first slot from ``earliest`` on that the whole panel can take, trying a
        day's start times from a random one on so that interviews do not all start at the
        same hour; ``None`` when none is found within ``SEARCH_DAYS``."""
        length = timedelta(minutes=minutes)
        for days in range(SEARCH_DAYS):
            midnight = datetime.combine(earliest.date() + timedelta(days=days), FIRST_START, UTC)
            offset = rng.randrange(STARTS_PER_DAY)
            for index in range(STARTS_PER_DAY):
                start = midnight + STEP * ((index + offset) % STARTS_PER_DAY)
                end = start + length
                if start >= earliest and all(self.fits(u, start, end) for u in user_ids):
                    self.take(user_ids, start, end)
                    return start, end
        return None

    def take(self, user_ids: tuple[int, ...], start: datetime, end: datetime) -> None:
        for user_id in user_ids:
            self.busy[user_id].update(_cells(start, end))

    def release(self, user_ids: tuple[int, ...], start: datetime, end: datetime) -> None:
        for user_id in user_ids:
            self.busy[user_id].difference_update(_cells(start, end))


def _utc(moment: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives them back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
