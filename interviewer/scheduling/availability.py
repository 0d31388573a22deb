"""Interviewers' availability: weekly windows and date exceptions, in each user's own zone.

Windows are kept as wall-clock times in the user's time zone and turned into UTC intervals
for a given date with ``zoneinfo``, so a 09:00-17:00 Berlin window is 08:00-16:00 UTC in
winter and 07:00-15:00 UTC in summer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.scheduling.models import Availability, AvailabilityException
from interviewer.timezones import timezone_names, zone

Interval = tuple[datetime, datetime]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class AvailabilityError(ValueError):
    """A window or exception that cannot be saved; the message says why."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def zone_label(name: str | None) -> str:
    """A short name for messages: ``Europe/Berlin`` is "Berlin time", UTC stays "UTC"."""
    if not name or name == "UTC":
        return "UTC"
    return name.rsplit("/", 1)[-1].replace("_", " ") + " time"


def local_datetime(day: date, at: time, tz: str | None) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in zone ``tz``."""
    return datetime.combine(day, at, tzinfo=zone(tz)).astimezone(UTC)


def local_to_utc(day: date, at: time, tz: str | None) -> datetime:
    """Like ``local_datetime`` for a time a person typed: refuses one the clocks skip.

    On the day clocks go forward (e.g. 02:30 on the last Sunday of March in Berlin) that
    wall-clock time does not exist; ``AvailabilityError`` says so.
    """
    instant = local_datetime(day, at, tz)
    if instant.astimezone(zone(tz)).replace(tzinfo=None) != datetime.combine(day, at):
        raise AvailabilityError(
            f"{at:%H:%M} does not exist on {day:%a %d %b} in {zone_label(tz)} "
            "(the clocks go forward); choose another time.",
            "start_time",
        )
    return instant


def week_start(moment: datetime, tz: str | None) -> datetime:
    """The UTC instant at which the week (Monday 00:00 in zone ``tz``) holding ``moment`` began."""
    local = moment.astimezone(zone(tz))
    monday = local.date() - timedelta(days=local.weekday())
    return local_datetime(monday, time(0, 0), tz)


def week_end(start: datetime, tz: str | None) -> datetime:
    """The end of the week that began at ``start`` (the next Monday 00:00 in ``tz``)."""
    local = start.astimezone(zone(tz)).date() + timedelta(days=7)
    return local_datetime(local, time(0, 0), tz)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted intervals with overlapping and touching ones joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(intervals: list[Interval], cut: Interval) -> list[Interval]:
    """``intervals`` without the part that ``cut`` covers."""
    result = []
    for start, end in intervals:
        if cut[1] <= start or end <= cut[0]:
            result.append((start, end))
            continue
        if start < cut[0]:
            result.append((start, cut[0]))
        if cut[1] < end:
            result.append((cut[1], end))
    return result


def covers(intervals: list[Interval], start: datetime, end: datetime) -> bool:
    """True when one of the (merged) ``intervals`` holds all of ``start``-``end``."""
    return any(low <= start and end <= high for low, high in intervals)


def overlaps(intervals: Iterable[Interval], start: datetime, end: datetime) -> bool:
    """True when one of ``intervals`` shares some time with ``start``-``end``.

    Back-to-back intervals (one ends when the other starts) do not overlap.
    """
    return any(low < end and start < high for low, high in intervals)


@dataclass
class UserAvailability:
    """One user's weekly windows and exceptions, able to say when they can interview."""

    user: User
    windows: list[Availability] = field(default_factory=list)
    exceptions: list[AvailabilityException] = field(default_factory=list)

    @property
    def stated(self) -> bool:
        """Whether the user has said at all when they take interviews."""
        return bool(self.windows) or any(e.available for e in self.exceptions)

    def day_off(self, day: date) -> AvailabilityException | None:
        return next(
            (
                e
                for e in self.exceptions
                if e.on_date == day and not e.available and e.start_time is None
            ),
            None,
        )

    def local_windows(self, day: date) -> list[tuple[time, time]]:
        """The wall-clock windows on ``day`` (user's zone) after that date's exceptions."""
        tz = self.user.timezone
        intervals: list[Interval] = []
        if self.day_off(day) is None:
            intervals = [
                (local_datetime(day, w.start_time, tz), local_datetime(day, w.end_time, tz))
                for w in self.windows
                if w.weekday == day.weekday()
            ]
        todays = [e for e in self.exceptions if e.on_date == day and e.start_time and e.end_time]
        intervals += [
            (local_datetime(day, e.start_time, tz), local_datetime(day, e.end_time, tz))
            for e in todays
            if e.available
        ]
        intervals = merge(intervals)
        for e in todays:
            if not e.available:
                intervals = subtract(
                    intervals,
                    (local_datetime(day, e.start_time, tz), local_datetime(day, e.end_time, tz)),
                )
        local = zone(tz)
        return [(s.astimezone(local).time(), e.astimezone(local).time()) for s, e in intervals]

    def intervals(self, start: datetime, end: datetime) -> list[Interval]:
        """The user's available time between ``start`` and ``end`` as merged UTC intervals."""
        tz = self.user.timezone
        local = zone(tz)
        day = start.astimezone(local).date() - timedelta(days=1)
        last = end.astimezone(local).date() + timedelta(days=1)
        result: list[Interval] = []
        while day <= last:
            result += [
                (local_datetime(day, s, tz), local_datetime(day, e, tz))
                for s, e in self.local_windows(day)
            ]
            day += timedelta(days=1)
        return merge(result)

    def check(self, start: datetime, end: datetime) -> str | None:
        """``None`` when ``start``-``end`` lies inside the availability, else the reason."""
        if covers(self.intervals(start, end), start, end):
            return None
        name, tz = self.user.name, self.user.timezone
        if not self.stated:
            return f"{name} has not stated when they can interview yet (My availability)."
        local_start = start.astimezone(zone(tz))
        day = local_start.date()
        off = self.day_off(day)
        if off is not None:
            note = f" ({off.note})" if off.note else ""
            return f"{name} is not available on {day:%a %d %b}: day off{note}."
        windows = self.local_windows(day)
        if not windows:
            if any(window.weekday == day.weekday() for window in self.windows):
                return f"{name} is not available on {day:%a %d %b}."
            return f"{name} is not available on {WEEKDAYS[day.weekday()]}s."
        hours = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in windows)
        local_end = end.astimezone(zone(tz))
        return (
            f"{name} is available {hours} ({zone_label(tz)}) on {day:%a %d %b}; "
            f"{local_start:%H:%M}-{local_end:%H:%M} is outside that."
        )


def load_availability(
    session: Session, users: Iterable[User], start: datetime, end: datetime
) -> dict[int, UserAvailability]:
    """Each user's availability around ``start``-``end``, in two queries whatever the count."""
    result = {user.id: UserAvailability(user) for user in users}
    if not result:
        return result
    ids = list(result)
    for window in session.scalars(
        select(Availability)
        .where(Availability.user_id.in_(ids))
        .order_by(Availability.weekday, Availability.start_time)
    ):
        result[window.user_id].windows.append(window)
    # Local dates differ from UTC ones by at most a day either way.
    first, last = (start - timedelta(days=1)).date(), (end + timedelta(days=1)).date()
    for exception in session.scalars(
        select(AvailabilityException)
        .where(
            AvailabilityException.user_id.in_(ids),
            AvailabilityException.on_date.between(first, last),
        )
        .order_by(AvailabilityException.on_date, AvailabilityException.start_time)
    ):
        result[exception.user_id].exceptions.append(exception)
    return result


# Editing one's own availability.


def add_window(
    session: Session, user: User, weekday: int, start_time: time, end_time: time
) -> Availability:
    """Add a weekly window; one that overlaps another on the same weekday is refused."""
    if end_time <= start_time:
        raise AvailabilityError("The end must be after the start.", "end_time")
    for window in session.scalars(
        select(Availability).where(Availability.user_id == user.id, Availability.weekday == weekday)
    ):
        if window.start_time < end_time and start_time < window.end_time:
            raise AvailabilityError(
                f"Overlaps your window {window.start_time:%H:%M}-{window.end_time:%H:%M} "
                f"on {WEEKDAYS[weekday]}s.",
                "start_time",
            )
    window = Availability(
        team_id=user.team_id,
        user_id=user.id,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
    )
    session.add(window)
    session.flush()
    return window


#: Kinds of exception, as offered in the form.
DAY_OFF, UNAVAILABLE, EXTRA = "day_off", "unavailable", "extra"
EXCEPTION_KINDS = {
    DAY_OFF: "Day off",
    UNAVAILABLE: "Away for some hours",
    EXTRA: "Extra hours",
}


def add_exception(
    session: Session,
    user: User,
    on_date: date,
    kind: str,
    start_time: time | None = None,
    end_time: time | None = None,
    note: str = "",
    today: date | None = None,
) -> AvailabilityException:
    """Add a date exception: a day off, a window taken away, or an extra window."""
    if today is not None and on_date < today:
        raise AvailabilityError("Choose today or a later date.", "on_date")
    if kind not in EXCEPTION_KINDS:
        raise AvailabilityError("Choose what kind of exception this is.", "kind")
    if kind == DAY_OFF:
        start_time = end_time = None
    else:
        if start_time is None or end_time is None:
            raise AvailabilityError("Give the start and end times.", "start_time")
        if end_time <= start_time:
            raise AvailabilityError("The end must be after the start.", "end_time")
    exception = AvailabilityException(
        team_id=user.team_id,
        user_id=user.id,
        on_date=on_date,
        start_time=start_time,
        end_time=end_time,
        available=kind == EXTRA,
        note=note.strip(),
    )
    session.add(exception)
    session.flush()
    return exception


def exception_kind(exception: AvailabilityException) -> str:
    if exception.available:
        return EXTRA
    return DAY_OFF if exception.start_time is None else UNAVAILABLE


def update_settings(
    session: Session, user: User, timezone: str, weekly_interview_limit: int | None
) -> None:
    """Change the user's time zone and the most interviews they take in a week."""
    if timezone not in timezone_names():
        raise AvailabilityError("Choose a time zone from the list.", "timezone")
    if weekly_interview_limit is not None and weekly_interview_limit < 0:
        raise AvailabilityError("Use 0 or more, or leave empty for no limit.", "weekly_limit")
    user.timezone = timezone
    user.weekly_interview_limit = weekly_interview_limit
    session.flush()


def weekly_windows(windows: Iterable[Availability]) -> dict[int, list[Availability]]:
    """Windows grouped by weekday (0 = Monday), each day's in start order."""
    grouped: dict[int, list[Availability]] = defaultdict(list)
    for window in sorted(windows, key=lambda w: (w.weekday, w.start_time)):
        grouped[window.weekday].append(window)
    return grouped
