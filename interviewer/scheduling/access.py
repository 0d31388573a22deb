"""Loading interviews and availability by id, with who may do what to them.

An interview is seen by the team's managers, the members of its panel and the trainees who
sit in on it; only managers
change it. A weekly window or a date exception is its owner's alone. Another team's row, a
missing row and an id that is not a number all answer 404; someone the interview is not for
gets 403.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.db import get_in_team_or_404
from interviewer.extensions import db
from interviewer.scheduling.models import (
    Availability,
    AvailabilityException,
    Interview,
    PanelMember,
)
from interviewer.scheduling.pool_models import InterviewTrainee
from interviewer.scheduling.services import on_panel

#: What a caller needs of an interview: ``view`` it (its panel and the team's managers) or
#: ``manage`` it (managers: reschedule, cancel).
InterviewNeed = Literal["view", "manage"]


def get_interview_or_404(
    interview_id: Any, *options: Any, need: InterviewNeed = "view"
) -> Interview:
    """An interview of the signed-in user's team, loaded with ``options``, if the user may
    do what ``need`` says with it (else 403)."""
    interview = get_in_team_or_404(Interview, interview_id, *options)
    if need == "manage":
        allowed = current_user.is_manager
    elif need == "view":
        allowed = (
            current_user.is_manager
            or on_panel(interview, current_user)
            or _sits_in(interview, current_user)
        )
    else:
        raise ValueError(f"unknown need: {need!r}")
    if not allowed:
        abort(403)
    return interview


def _sits_in(interview: Interview, user: User) -> bool:
    """True when ``user`` sits in on the interview as a trainee (shadow or reverse shadow)."""
    return (
        db.session.scalar(
            select(InterviewTrainee.user_id).where(
                InterviewTrainee.interview_id == interview.id, InterviewTrainee.user_id == user.id
            )
        )
        is not None
    )


def interviews_application(user: User, application: Application) -> bool:
    """True when ``user`` sits on the panel of one of the application's interviews."""
    return (
        db.session.scalar(
            select(PanelMember.user_id)
            .join(Interview, Interview.id == PanelMember.interview_id)
            .where(
                PanelMember.user_id == user.id,
                Interview.team_id == application.team_id,
                Interview.application_id == application.id,
            )
            .limit(1)
        )
        is not None
    )


def get_application_cv_or_404(application_id: Any) -> Application:
    """An application of the signed-in user's team that has a CV (``cv_file``), for the
    team's managers and the interviewers of that application. Anyone else (an interviewer
    of another application), another team's application and one without a CV: 404."""
    application = get_in_team_or_404(Application, application_id)
    if not current_user.is_manager and not interviews_application(current_user, application):
        abort(404)
    if application.cv_file is None:
        abort(404)
    return application


def get_availability_or_404(window_id: Any) -> Availability:
    """One of the signed-in user's own weekly windows; anyone else's is 404."""
    window = get_in_team_or_404(Availability, window_id)
    if window.user_id != current_user.id:
        abort(404)
    return window


def get_availability_exception_or_404(exception_id: Any) -> AvailabilityException:
    """One of the signed-in user's own date exceptions; anyone else's is 404."""
    exception = get_in_team_or_404(AvailabilityException, exception_id)
    if exception.user_id != current_user.id:
        abort(404)
    return exception


#: What a feed token can look like (``secrets.token_urlsafe`` fits a ``String(64)``); any
#: other text in its place (NUL, 10,000 characters) is refused before the database sees it.
FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def get_feed_owner_or_404(token: str) -> User:
    """The active user whose private calendar feed ``token`` opens, or 404."""
    if not FEED_TOKEN.fullmatch(token or ""):
        abort(404)
    user = db.session.scalar(
        select(User).where(User.calendar_token == token, User.active.is_(True))
    )
    if user is None:
        abort(404)
    return user
