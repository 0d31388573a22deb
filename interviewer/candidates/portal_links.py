"""The candidate's private link: a signed token of the application and its link generation.

Bumping ``Application.portal_generation`` revokes every earlier link; a link stops working
30 days after the application closes. The pages behind the link are the portal's, so the
portal makes the address (answering ``signals.portal_link``); nothing here names its endpoint.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from interviewer.candidates import signals
from interviewer.candidates.models import Application
from interviewer.db import INT_MAX
from interviewer.signals import values_from_signal

SALT = "interviewer.portal-link"
#: How long a link keeps working once the application is closed.
LINK_LIFETIME_AFTER_CLOSE = timedelta(days=30)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(application: Application) -> str:
    """The signed token of the application's current link."""
    return _serializer().dumps([application.id, application.portal_generation])


def _row_number(value: object, lowest: int) -> bool:
    """A whole number (not a bool) that the integer columns can hold, from ``lowest``."""
    return type(value) is int and lowest <= value <= INT_MAX


def read_token(token: str) -> tuple[int, int] | None:
    """(application id, link generation) of a genuine token, else ``None``.

    A token signed with the key but holding anything other than two such numbers (a list
    of strings, a dict, floats, numbers beyond any column) opens nothing either.
    """
    try:
        payload = _serializer().loads(token)
    except (BadData, TypeError, ValueError):
        return None
    if not isinstance(payload, list) or len(payload) != 2:
        return None
    application_id, generation = payload
    if not _row_number(application_id, 1) or not _row_number(generation, 0):
        return None
    return application_id, generation


def portal_url(application: Application, external: bool = False) -> str | None:
    """The candidate's private portal link (absolute with ``external``), as the portal makes
    it; ``None`` when no face serves the link."""
    answers = values_from_signal(signals.portal_link.send(application, external=external))
    return answers[0] if answers else None


def link_expires_at(application: Application) -> datetime | None:
    """When the link stops working: 30 days after the application closed (never while open)."""
    if application.closed_at is None:
        return None
    return application.closed_at + LINK_LIFETIME_AFTER_CLOSE
