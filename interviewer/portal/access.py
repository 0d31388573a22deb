"""What a portal link opens: its application, and that application's own interviews.

The token is the whole authorization; a link that is tampered with, revoked or expired, and
an interview of another application, raise ``InvalidLink``, which the portal answers with the
same friendly 404.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from interviewer.candidates.models import Application
from interviewer.extensions import db
from interviewer.portal import services
from interviewer.scheduling.models import Interview


class InvalidLink(Exception):
    """A link that opens nothing."""


def get_application_or_invalid(token: str) -> Application:
    """The application that ``token`` opens now."""
    application = services.application_for_token(db.session, token)
    if application is None:
        raise InvalidLink
    return application


def get_interview_or_invalid(
    application: Application, interview_id: int, *options: Any
) -> Interview:
    """One of ``application``'s own interviews, loaded with ``options``."""
    interview = db.session.scalar(
        select(Interview)
        .where(Interview.id == interview_id, Interview.application_id == application.id)
        .options(*options)
    )
    if interview is None:
        raise InvalidLink
    return interview
