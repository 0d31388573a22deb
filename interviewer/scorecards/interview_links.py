"""Scorecards' answer to the interview page: the viewer's own scorecard of it.

Connected when ``interviewer.scorecards`` is imported.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.db import utcnow
from interviewer.scheduling import signals as scheduling_signals
from interviewer.scheduling.models import Interview, InterviewStatus
from interviewer.scheduling.services import on_panel
from interviewer.scheduling.signals import InterviewAction
from interviewer.scorecards.models import Scorecard, ScorecardState


@scheduling_signals.interview_actions.connect
def own_scorecard(
    interview: Interview, *, session: Session, viewer: User, **kwargs: object
) -> InterviewAction | None:
    """A panel member's scorecard link (write, continue or view); a manager off the panel
    gets the application's scorecards."""
    if not on_panel(interview, viewer):
        if not viewer.is_manager:
            return None
        url = url_for(
            "scorecards.application_scorecards",
            application_id=interview.application_id,
            _anchor=f"interview-{interview.id}",
        )
        return InterviewAction("Scorecards of this application", url)
    state = session.scalar(
        select(Scorecard.state).where(
            Scorecard.team_id == interview.team_id,
            Scorecard.interview_id == interview.id,
            Scorecard.interviewer_id == viewer.id,
        )
    )
    url = url_for("scorecards.scorecard", interview_id=interview.id)
    if state == ScorecardState.SUBMITTED:
        return InterviewAction("View your scorecard", url, note="Submitted", tone="success")
    if interview.status == InterviewStatus.CANCELLED:
        return None
    if interview.starts_at > utcnow():
        return InterviewAction("Yours opens when the interview starts")
    if state == ScorecardState.DRAFT:
        return InterviewAction("Continue your scorecard", url, note="Draft", tone="warning")
    return InterviewAction("Write your scorecard", url, note="To do")
