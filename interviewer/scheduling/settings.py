"""Scheduling settings: each person's daily limit and own meeting link, and the team's
minimum break, training path lengths, video rooms and how long portal offers are held.

The forms check the same bounds for their messages; these functions check them again, for
any caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import Team, User

#: Most interviews a person may set as their daily limit.
DAILY_LIMIT_MAX = 24
#: Longest link a person or the team may give (the columns' lengths).
VIDEO_LINK_MAX = 500
VIDEO_LINK_BASE_MAX = 300


@dataclass(frozen=True)
class Bound:
    """The whole numbers a team setting takes, and what the form calls it."""

    low: int
    high: int

    @property
    def message(self) -> str:
        return f"Use a whole number from {self.low} to {self.high}."


#: The team's numeric scheduling settings (``Team`` columns) and their bounds.
TEAM_BOUNDS = {
    "min_break_minutes": Bound(0, 120),
    "shadow_interviews": Bound(0, 20),
    "reverse_shadow_interviews": Bound(0, 20),
    "booking_offer_hours": Bound(1, 336),
}


class SettingsError(ValueError):
    """A setting that cannot be saved; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def link_problem(value: str, *, base: bool = False, max_length: int = VIDEO_LINK_MAX) -> str | None:
    """Why ``value`` is not a meeting link the app may hand out, or ``None`` when it is.

    Only https links to a host: an http link or a ``javascript:`` one would reach
    candidates' mail. A ``base`` (rooms are added after it) holds no query or fragment.
    """
    if len(value) > max_length:
        return f"Keep the link to {max_length} characters."
    if any(char.isspace() for char in value):
        return "A link holds no spaces."
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.hostname:
        return "Enter a full https link, such as https://meet.jit.si/."
    if base and (parts.query or parts.fragment or "?" in value or "#" in value):
        return "Give the address without ? or #: each room's name is added after it."
    return None


def room_base(value: str) -> str:
    """``value`` as a base that a room name is appended to: ending in one ``/``."""
    return value if value.endswith("/") else f"{value}/"


def update_personal(
    session: Session, user: User, *, daily_limit: int | None, video_link: str
) -> None:
    """Set the most interviews ``user`` takes in a day (``None``: no limit) and their own
    meeting link (blank: the team's rooms, if any); flushes."""
    if daily_limit is not None and not 0 <= daily_limit <= DAILY_LIMIT_MAX:
        raise SettingsError(
            f"Use a number from 0 to {DAILY_LIMIT_MAX}, or leave empty for no limit.",
            "daily_limit",
        )
    link = video_link.strip()
    problem = link_problem(link) if link else None
    if problem:
        raise SettingsError(problem, "video_link")
    user.daily_interview_limit = daily_limit
    user.video_link = link
    session.flush()


def update_team_scheduling(
    session: Session,
    team: Team,
    actor: User | None,
    *,
    min_break_minutes: int,
    shadow_interviews: int,
    reverse_shadow_interviews: int,
    booking_offer_hours: int,
    video_link_base: str,
) -> bool:
    """Change the team's scheduling settings; flushes and records what changed.

    Returns whether anything changed. Raises ``SettingsError`` for a value out of bounds or
    a base link that is not https.
    """
    values = {
        "min_break_minutes": min_break_minutes,
        "shadow_interviews": shadow_interviews,
        "reverse_shadow_interviews": reverse_shadow_interviews,
        "booking_offer_hours": booking_offer_hours,
    }
    for name, value in values.items():
        bound = TEAM_BOUNDS[name]
        if value is None or not bound.low <= value <= bound.high:
            raise SettingsError(bound.message, name)
    base = video_link_base.strip()
    if base:
        problem = link_problem(base, base=True, max_length=VIDEO_LINK_BASE_MAX - 1)
        if problem:
            raise SettingsError(problem, "video_link_base")
        base = room_base(base)
    values["video_link_base"] = base
    changed = {
        name: [getattr(team, name), value]
        for name, value in values.items()
        if getattr(team, name) != value
    }
    if not changed:
        return False
    audit.record(
        session,
        team_id=team.id,
        actor=actor,
        action="team.scheduling_changed",
        subject=team,
        changes=changed,
    )
    for name, value in values.items():
        setattr(team, name, value)
    session.flush()
    return True
