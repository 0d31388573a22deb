"""Jinja filters and the globals every page uses (navigation, time zones)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, request
from flask_login import current_user

from interviewer.auth.forms import EmptyForm
from interviewer.auth.models import Role

#: (endpoint, label, roles that see it), in navigation order.
NAVIGATION = [
    ("dashboard.home", "Dashboard", (Role.ADMIN, Role.HIRING_MANAGER)),
    ("dashboard.my_interviews", "My interviews", tuple(Role)),
    ("plans.jobs", "Jobs", (Role.ADMIN, Role.HIRING_MANAGER)),
    ("candidates.index", "Candidates", (Role.ADMIN, Role.HIRING_MANAGER)),
    ("catalog.index", "Skills & levels", (Role.ADMIN, Role.HIRING_MANAGER)),
    ("auth.users", "Users", (Role.ADMIN,)),
]


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def localtime(value: datetime | None, tz: str | None = None, fmt: str = "%a %d %b %Y, %H:%M"):
    """Format a UTC timestamp in ``tz`` (default: the signed-in user's zone)."""
    if value is None:
        return ""
    if tz is None and current_user and current_user.is_authenticated:
        tz = current_user.timezone
    local = value.astimezone(zone(tz))
    return f"{local.strftime(fmt)} {local.tzname()}"


def money(value) -> str:
    if value is None:
        return ""
    value = int(value)
    return f"{value // 1000}k" if value >= 1000 and value % 1000 == 0 else f"{value:,}"


def register(app: Flask) -> None:
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["money"] = money
    app.jinja_env.globals["Role"] = Role

    @app.context_processor
    def navigation():
        if not current_user.is_authenticated:
            return {"nav_items": []}
        items = [
            (endpoint, label) for endpoint, label, roles in NAVIGATION if current_user.role in roles
        ]
        return {
            "nav_items": items,
            "signout_form": EmptyForm(),
            "active_endpoint": request.endpoint or "",
        }
