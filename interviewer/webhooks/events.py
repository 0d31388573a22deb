"""The events a team's endpoints receive: the features' signals, turned into deliveries
queued in the same session (never committed here), so a change that rolls back queues
nothing. Payloads carry stable ids and plain fields, never a scorecard's content."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from interviewer.candidates import signals as candidate_signals
from interviewer.db import utcnow
from interviewer.scheduling import signals as scheduling_signals
from interviewer.scorecards import signals as scorecard_signals
from interviewer.webhooks.models import EVENTS, WebhookDelivery, WebhookEndpoint


def rfc3339(moment: datetime | None) -> str | None:
    """``moment`` in UTC as RFC 3339 with a ``Z``, to the second."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def payload(event_id: str, event_type: str, team_slug: str, data: dict, now: datetime) -> str:
    """The JSON body of one event, as signed and sent."""
    body = {
        "id": event_id,
        "type": event_type,
        "created_at": rfc3339(now),
        "team": team_slug,
        "data": data,
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=False)


#: Where a session keeps its teams' enabled endpoints, so that a change of many rows (a bulk
#: move) asks once per team, not once per event.
_CACHE = "webhooks.enabled_endpoints"


def subscribed(session: Session, team_id: int, event_type: str) -> list[WebhookEndpoint]:
    """The team's enabled endpoints that receive ``event_type``; one query per team and
    transaction (until an endpoint changes)."""
    if _endpoints_changed(session):
        session.info.pop(_CACHE, None)
    cache = session.info.setdefault(_CACHE, {})
    if team_id not in cache:
        cache[team_id] = session.scalars(
            select(WebhookEndpoint).where(
                WebhookEndpoint.team_id == team_id, WebhookEndpoint.enabled.is_(True)
            )
        ).all()
    return [endpoint for endpoint in cache[team_id] if event_type in endpoint.event_list]


def _endpoints_changed(session: Session) -> bool:
    """Whether the session adds, deletes or edits an endpoint (a new delivery in an
    endpoint's list changes none of its columns)."""
    added = (*session.new, *session.deleted)
    return any(isinstance(row, WebhookEndpoint) for row in added) or any(
        isinstance(row, WebhookEndpoint) and session.is_modified(row, include_collections=False)
        for row in session.dirty
    )


@event.listens_for(Session, "after_flush")
def _forget_changed_endpoints(session: Session, _context) -> None:
    if _endpoints_changed(session):
        session.info.pop(_CACHE, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_endpoints(session: Session, *_args) -> None:
    session.info.pop(_CACHE, None)


def queue_event(
    session: Session, team, event_type: str, data: dict[str, Any]
) -> list[WebhookDelivery]:
    """Add a delivery of the event to each endpoint of ``team`` that receives it; adds to
    ``session`` without committing (the change's own commit queues them)."""
    assert event_type in EVENTS, event_type
    endpoints = subscribed(session, team.id, event_type)
    if not endpoints:
        return []
    now = utcnow()
    event_id = str(uuid.uuid4())
    body = payload(event_id, event_type, team.slug, data, now)
    deliveries = [
        WebhookDelivery(
            team_id=team.id,
            endpoint=endpoint,
            event_id=event_id,
            event_type=event_type,
            payload=body,
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    ]
    session.add_all(deliveries)
    return deliveries


def application_data(application) -> dict[str, Any]:
    stage = application.current_stage
    return {
        "application_id": application.id,
        "candidate_id": application.candidate_id,
        "job_id": application.job_id,
        "stage_id": stage.id if stage else None,
        "stage_name": stage.name if stage else None,
        "status": application.status.value,
    }


def interview_data(interview) -> dict[str, Any]:
    application = interview.application
    return {
        "interview_id": interview.id,
        "application_id": interview.application_id,
        "candidate_id": application.candidate_id,
        "job_id": application.job_id,
        "stage_id": interview.plan_stage_id,
        "stage_name": interview.plan_stage.name,
        "starts_at": rfc3339(interview.starts_at),
        "ends_at": rfc3339(interview.ends_at),
        "timezone": interview.timezone,
        "status": interview.status.value,
        "panel": sorted(member.user_id for member in interview.panel),
    }


@candidate_signals.application_created.connect
def _application_created(application, session: Session, **_: Any) -> None:
    queue_event(session, application.team, "application.created", application_data(application))


@candidate_signals.application_moved.connect
def _application_moved(application, session: Session, move: str, from_stage, from_status, **_):
    data = application_data(application)
    data.update(
        move=move,
        from_stage_id=from_stage.id if from_stage else None,
        from_status=from_status.value,
    )
    queue_event(session, application.team, "application.moved", data)


@scheduling_signals.interview_scheduled.connect
def _interview_scheduled(interview, session: Session, **_: Any) -> None:
    queue_event(session, interview.team, "interview.scheduled", interview_data(interview))


@scheduling_signals.interview_rescheduled.connect
def _interview_rescheduled(interview, session: Session, **_: Any) -> None:
    queue_event(session, interview.team, "interview.rescheduled", interview_data(interview))


@scheduling_signals.interview_cancelled.connect
def _interview_cancelled(interview, session: Session, **_: Any) -> None:
    queue_event(session, interview.team, "interview.cancelled", interview_data(interview))


@scorecard_signals.scorecard_submitted.connect
def _scorecard_submitted(scorecard, session: Session, **_: Any) -> None:
    # Ids only: the ratings, notes and recommendation stay behind the independence rule.
    application = scorecard.application
    data = {
        "scorecard_id": scorecard.id,
        "interview_id": scorecard.interview_id,
        "application_id": scorecard.application_id,
        "candidate_id": application.candidate_id,
        "job_id": application.job_id,
        "interviewer_id": scorecard.interviewer_id,
        "version": scorecard.version,
    }
    queue_event(session, scorecard.team, "scorecard.submitted", data)


@scorecard_signals.decision_recorded.connect
def _decision_recorded(decision, session: Session, **_: Any) -> None:
    application = decision.application
    data = application_data(application)
    data.update(decision_id=decision.id, outcome=decision.outcome.value)
    queue_event(session, decision.team, "decision.recorded", data)


@candidate_signals.candidate_erasing.connect
def _candidate_erased(candidate, session: Session, **_: Any) -> None:
    queue_event(session, candidate.team, "candidate.erased", {"candidate_id": candidate.id})
