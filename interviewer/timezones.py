"""Time zones: every time is stored in UTC and shown in a zone picked from these."""

from __future__ import annotations

from datetime import datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_login import current_user


@cache
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone a person would pick (``Region/City``) and UTC, sorted."""
    names = {name for name in available_timezones() if "/" in name and not name.startswith("Etc/")}
    return ("UTC", *sorted(names))


def zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``; UTC for an empty or unknown name."""
    return _zone(name or "UTC")


# ZoneInfo keeps only the last 8 zones it was not holding a reference to: a page that lists
# the common zones read each one's file again on every request.
@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def localtime(
    value: datetime | None,
    tz: str | None = None,
    fmt: str = "%a %d %b %Y, %H:%M",
    with_zone: bool = True,
):
    """Format a UTC timestamp in ``tz`` (default: the signed-in user's zone)."""
    if value is None:
        return ""
    if tz is None:
        # Resolved once: each use of the proxy costs as much as the formatting, and lists
        # format dozens of times.
        user = current_user._get_current_object()
        if user and user.is_authenticated:
            tz = user.timezone
    local = value.astimezone(zone(tz))
    return f"{local.strftime(fmt)} {local.tzname()}" if with_zone else local.strftime(fmt)
