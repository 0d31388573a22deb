"""Candidate-friendly hours: a booking outside 08:00-20:00 in the candidate's own zone is
confirmed first, with the candidate's local time said in words.

The candidate's zone is the one they picked on the portal for this application, else the one
on their record (given when applying or by the team): the portal choice is the later and
more specific of the two, as the portal and the booking emails already read it. Unlike those,
the team's zone is no fallback here: guessing would warn about the wrong hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from interviewer.candidates.models import Application
from interviewer.scheduling.slots import Slot
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


@dataclass
class Confirmation:
    """A booking outside the candidate's hours, waiting for the manager to confirm it."""

    message: str
    #: The start on the candidate's clock, for the button: "03:00".
    their_time: str


def confirmation(
    application: Application, starts_at: datetime, ends_at: datetime
) -> Confirmation | None:
    """What to ask before booking ``starts_at``-``ends_at``; ``None`` when nothing need be."""
    message = outside_candidate_hours(application, starts_at, ends_at)
    if message is None:
        return None
    return Confirmation(message, f"{local_time(application, starts_at):%H:%M}")


@dataclass
class SlotNote:
    """A suggested slot on the candidate's clock, and whether it falls outside their hours."""

    text: str
    outside: bool


def slot_notes(application: Application, slots: Sequence[Slot]) -> dict[str, SlotNote]:
    """Each slot's time for the candidate, by ``Slot.value``; none when their zone is unknown."""
    tz = candidate_zone(application)
    if tz is None:
        return {}
    return {
        slot.value: SlotNote(
            local_text(application, slot.starts_at),
            not within_hours(slot.starts_at, slot.ends_at, tz),
        )
        for slot in slots
    }


def clock(application: Application, starts_at: datetime | None, duration_minutes: int) -> dict:
    """What the booking pages say beside the time field: the candidate's zone (for the script
    that follows the typing) and ``starts_at`` on their clock, if given."""
    tz = candidate_zone(application)
    text = ""
    if tz and starts_at is not None:
        text = f"{local_text(application, starts_at)}, the candidate's time."
        if not within_hours(starts_at, starts_at + timedelta(minutes=duration_minutes), tz):
            text += f" Outside their {HOURS}."
    return {
        "zone": tz,
        "place": place(tz) if tz else "",
        "text": text,
        "unknown": UNKNOWN_ZONE,
        "hours": HOURS,
        "duration": duration_minutes,
    }
