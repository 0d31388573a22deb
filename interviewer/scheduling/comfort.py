"""Candidate-friendly hours: a booking outside 08:00-20:00 in the candidate's own zone is
confirmed first, with the candidate's local time said in words.

The candidate's zone is the one they picked on the portal for this application, else the one
on their record (given when applying or by the team): the portal choice is the later and
more specific of the two, as the portal and the booking emails already read it. Unlike those,
the team's zone is no fallback here: guessing would warn about the wrong hours.
"""

from __future__ import annotations

from datetime import datetime, time

from interviewer.candidates.models import Application
from interviewer.timezones import timezone_names, zone

#: The candidate's reasonable hours, in their own zone: from ``DAY_STARTS`` until ``DAY_ENDS``.
DAY_STARTS = time(8, 0)
DAY_ENDS = time(20, 0)
HOURS = f"{DAY_STARTS:%H:%M}-{DAY_ENDS:%H:%M}"
#: Said once on the booking pages when the candidate's zone is not known.
UNKNOWN_ZONE = "The candidate has not given a time zone"


def candidate_zone(application: Application) -> str | None:
    """The zone the candidate lives in, or ``None`` when they have not given one."""
    for name in (application.portal_timezone, application.candidate.timezone):
        if name and name in timezone_names():
            return name
    return None


def place(tz: str) -> str:
    """``Australia/Sydney`` as "Sydney"; UTC stays "UTC"."""
    return tz.rsplit("/", 1)[-1].replace("_", " ")


def day_text(local: datetime) -> str:
    """``Wed 8 Apr``."""
    return f"{local:%a} {local.day} {local:%b}"


def within_hours(starts_at: datetime, ends_at: datetime, tz: str) -> bool:
    """True when ``starts_at``-``ends_at`` lies inside 08:00-20:00 of one day in zone ``tz``."""
    start, end = starts_at.astimezone(zone(tz)), ends_at.astimezone(zone(tz))
    if start.time() < DAY_STARTS:
        return False
    if end.date() > start.date():
        return False
    return end.time() <= DAY_ENDS


def local_time(application: Application, at: datetime) -> datetime | None:
    """``at`` on the candidate's clock, or ``None`` when their zone is unknown."""
    tz = candidate_zone(application)
    return at.astimezone(zone(tz)) if tz else None


def local_text(application: Application, starts_at: datetime) -> str | None:
    """``03:00 on Wed 8 Apr in Sydney``, or ``None`` when the candidate's zone is unknown."""
    tz = candidate_zone(application)
    if tz is None:
        return None
    local = starts_at.astimezone(zone(tz))
    return f"{local:%H:%M} on {day_text(local)} in {place(tz)}"


def outside_candidate_hours(
    application: Application, starts_at: datetime, ends_at: datetime
) -> str | None:
    """Why ``starts_at``-``ends_at`` asks for confirmation, or ``None`` when it need not.

    ``None`` too when the candidate's zone is unknown: there is nothing to check against.
    """
    tz = candidate_zone(application)
    if tz is None or within_hours(starts_at, ends_at, tz):
        return None
    start, end = starts_at.astimezone(zone(tz)), ends_at.astimezone(zone(tz))
    return (
        f"That is {start:%H:%M}-{end:%H:%M} on {day_text(start)} in {place(tz)}, "
        f"the candidate's time, outside {HOURS}. Book it anyway?"
    )
