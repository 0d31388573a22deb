"""Find interview slots for the demo inside everyone's availability, nobody booked twice.

The demo's past interviews are found backwards from the last one, which the app's slot
suggestions (forward from now) do not do; the availability rules are the app's own
(``scheduling.availability``), and every slot found is then booked through the service,
which checks it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.scheduling.availability import covers, load_availability, overlaps
from interviewer.scheduling.limits import day_bounds

#: Slots start on the hour or half hour (UTC, so also in every zone the demo uses).
SLOT_STEP = timedelta(minutes=30)
SLOTS_PER_DAY = 48
#: How many days a search looks at before giving up.
SEARCH_DAYS = 21


class NoSlotError(RuntimeError):
    """No slot satisfies the demo's constraints; the data tables ask for too much."""


class Calendar:
    """Who can interview when between ``start`` and ``end``, and what is already booked.

    Busy intervals are kept per user id and per any other key (such as a candidate's),
    so nobody is booked twice.
    """

    def __init__(
        self,
        session: Session,
        users: Iterable[User],
        start: datetime,
        end: datetime,
        gap: timedelta = timedelta(0),
    ) -> None:
        availability = load_availability(session, users, start, end)
        self.free = {user_id: each.intervals(start, end) for user_id, each in availability.items()}
        self.busy: dict[Hashable, list[tuple[datetime, datetime]]] = defaultdict(list)
        #: The team's minimum break between two interviews of one interviewer.
        self.gap = gap

    def can_take(self, user: User, start: datetime, end: datetime) -> bool:
        """True when ``start``-``end`` lies inside ``user``'s availability and they are free
        (with the minimum break either side)."""
        return (
            covers(self.free[user.id], start, end)
            and self.is_free(user.id, start - self.gap, end + self.gap)
            and self.under_daily_limit(user, start)
        )

    def under_daily_limit(self, user: User, start: datetime) -> bool:
        """True when ``user`` has fewer interviews than their daily limit on ``start``'s day."""
        if user.daily_interview_limit is None:
            return True
        first, last = day_bounds(start, user.timezone)
        booked = sum(1 for other, _end in self.busy[user.id] if first <= other < last)
        return booked < user.daily_interview_limit

    def is_free(self, key: Hashable, start: datetime, end: datetime) -> bool:
        return not overlaps(self.busy[key], start, end)

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
                    if start < not_before or end > not_after or not self.is_free(other, start, end):
                        continue
                    if all(self.can_take(user, start, end) for user in panel):
                        for key in (other, *(user.id for user in panel)):
                            self.busy[key].append((start, end))
                        return panel, start, end
        raise NoSlotError(f"no {minutes}-minute slot within {SEARCH_DAYS} days of {first_day}")
