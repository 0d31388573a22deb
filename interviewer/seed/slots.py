"""Find interview slots for the demo that respect availability and double-booking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.scheduling.models import Availability, AvailabilityException

#: Slots start on the hour or half hour (UTC, so also in every zone the demo uses).
SLOT_STEP = timedelta(minutes=30)
SLOTS_PER_DAY = 48
#: How many days a search looks at before giving up.
SEARCH_DAYS = 21


class NoSlotError(RuntimeError):
    """No slot satisfies the demo's constraints; the data tables ask for too much."""


class Calendar:
    """Who can interview when: weekly windows, exceptions, and what is already booked.

    Busy intervals are kept per user id and per any other key (such as a candidate's),
    so nobody is booked twice.
    """

    def __init__(self, session: Session, team_id: int) -> None:
        self.windows: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.exceptions: dict[tuple[int, date], list[AvailabilityException]] = defaultdict(list)
        self.busy: dict[Hashable, list[tuple[datetime, datetime]]] = defaultdict(list)
        for row in session.scalars(select(Availability).where(Availability.team_id == team_id)):
            self.windows[row.user_id][row.weekday].append((row.start_time, row.end_time))
        query = select(AvailabilityException).where(AvailabilityException.team_id == team_id)
        for row in session.scalars(query):
            self.exceptions[row.user_id, row.on_date].append(row)

    def can_take(self, user: User, start: datetime, end: datetime) -> bool:
        """True when ``start``-``end`` lies inside ``user``'s availability on that day."""
        zone = ZoneInfo(user.timezone)
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        day = local_start.date()
        if local_end.date() != day:
            return False
        span = (local_start.time(), local_end.time())
        windows = list(self.windows[user.id][day.weekday()])
        for exception in self.exceptions[user.id, day]:
            if exception.start_time is None or exception.end_time is None:
                if not exception.available:
                    return False
            elif exception.available:
                windows.append((exception.start_time, exception.end_time))
            elif span[0] < exception.end_time and exception.start_time < span[1]:
                return False
        return any(low <= span[0] and span[1] <= high for low, high in windows)

    def is_free(self, key: Hashable, start: datetime, end: datetime) -> bool:
        return all(
            end <= busy_start or busy_end <= start for busy_start, busy_end in self.busy[key]
        )

    def _fits(
        self,
        panel: Sequence[User],
        other: Hashable,
        start: datetime,
        end: datetime,
        not_before: datetime,
        not_after: datetime,
    ) -> bool:
        if start < not_before or end > not_after or not self.is_free(other, start, end):
            return False
        return all(
            self.can_take(user, start, end) and self.is_free(user.id, start, end) for user in panel
        )

    def book(
        self,
        panels: Sequence[Sequence[User]],
        other: Hashable,
        minutes: int,
        first_day: date,
        *,
        backwards: bool = False,
        not_before: datetime,
        not_after: datetime,
        offset: int = 0,
    ) -> tuple[Sequence[User], datetime, datetime]:
        """Book a slot on the first day from ``first_day`` on (or back) that a panel can take.

        Panels are tried in the order given, so the first one that fits the day wins.
        ``other`` (the candidate) must be free too; ``offset`` rotates the times tried
        within a day so that interviews do not all start at the same hour.
        """
        step = -1 if backwards else 1
        for days in range(SEARCH_DAYS):
            midnight = datetime.combine(first_day + timedelta(days=days * step), time(), UTC)
            for panel in panels:
                for index in range(SLOTS_PER_DAY):
                    start = midnight + SLOT_STEP * ((index + offset) % SLOTS_PER_DAY)
                    end = start + timedelta(minutes=minutes)
                    if self._fits(panel, other, start, end, not_before, not_after):
                        for key in (other, *(user.id for user in panel)):
                            self.busy[key].append((start, end))
                        return panel, start, end
        raise NoSlotError(f"no {minutes}-minute slot within {SEARCH_DAYS} days of {first_day}")
