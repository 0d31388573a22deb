"""A team's endpoints as admins manage them: add, edit, turn on and off, delete, roll the
secret, and redeliver an event. Functions flush, never commit."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.db import in_team, utcnow
from interviewer.webhooks import targets
from interviewer.webhooks.models import (
    EVENTS,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)


class WebhookError(ValueError):
    """A refusal in words for the admin; ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def new_secret() -> str:
    """A signing secret: 32 random bytes, readable, with a prefix that says what it is."""
    return "whsec_" + secrets.token_urlsafe(32)


def _checked(url: str, events: Iterable[str]) -> tuple[str, str]:
    url = (url or "").strip()
    try:
        targets.resolve(url)
    except targets.UnsafeTarget as refused:
        raise WebhookError(str(refused), "url") from None
    chosen = [event for event in EVENTS if event in set(events)]
    if not chosen:
        raise WebhookError("Choose at least one event to send.", "events")
    return url, " ".join(chosen)


def create_endpoint(
    session: Session, team_id: int, actor: User, *, url: str, description: str, events
) -> WebhookEndpoint:
    """Add an endpoint with a new secret, after checking its address (SSRF); flushes."""
    url, chosen = _checked(url, events)
    endpoint = WebhookEndpoint(
        team_id=team_id,
        url=url,
        description=(description or "").strip(),
        events=chosen,
        secret=new_secret(),
    )
    session.add(endpoint)
    session.flush()
    audit.record(
        session, team_id=team_id, actor=actor, action="webhook.created", subject=endpoint, url=url
    )
    return endpoint


def update_endpoint(
    session: Session, endpoint: WebhookEndpoint, actor: User, *, url: str, description, events
) -> None:
    """Change an endpoint's address, description and events; flushes."""
    endpoint.url, endpoint.events = _checked(url, events)
    endpoint.description = (description or "").strip()
    session.flush()
    audit.record(
        session,
        team_id=endpoint.team_id,
        actor=actor,
        action="webhook.updated",
        subject=endpoint,
        url=endpoint.url,
    )


def set_enabled(session: Session, endpoint: WebhookEndpoint, actor: User, enabled: bool) -> None:
    """Turn an endpoint on (its failure count starts again) or off; flushes."""
    endpoint.enabled = enabled
    endpoint.disabled_reason = ""
    if enabled:
        endpoint.failures_in_a_row, endpoint.failing_since = 0, None
    session.flush()
    audit.record(
        session,
        team_id=endpoint.team_id,
        actor=actor,
        action="webhook.enabled" if enabled else "webhook.disabled",
        subject=endpoint,
    )


def delete_endpoint(session: Session, endpoint: WebhookEndpoint, actor: User) -> None:
    """Delete an endpoint with its deliveries; flushes."""
    audit.record(
        session,
        team_id=endpoint.team_id,
        actor=actor,
        action="webhook.deleted",
        subject=endpoint,
        url=endpoint.url,
    )
    session.delete(endpoint)
    session.flush()


def roll_secret(session: Session, endpoint: WebhookEndpoint, actor: User) -> str:
    """Give the endpoint a new secret, which signs every delivery from now on; flushes."""
    endpoint.secret = new_secret()
    session.flush()
    audit.record(
        session,
        team_id=endpoint.team_id,
        actor=actor,
        action="webhook.secret_rolled",
        subject=endpoint,
    )
    return endpoint.secret


def redeliver(session: Session, delivery: WebhookDelivery, actor: User) -> None:
    """Queue a fresh round of attempts of the same event (same id and body), due at once.

    Raises :class:`WebhookError` while a worker is sending it.
    """
    if delivery.status is DeliveryStatus.SENDING:
        raise WebhookError("This delivery is being sent right now; wait for its result.")
    delivery.status = DeliveryStatus.WAITING
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    session.flush()
    audit.record(
        session,
        team_id=delivery.team_id,
        actor=actor,
        action="webhook.redelivered",
        subject=delivery,
        event_id=delivery.event_id,
    )


def team_endpoints(session: Session, team_id: int) -> list[WebhookEndpoint]:
    """The team's endpoints, oldest first, in one query."""
    return list(
        session.scalars(in_team(WebhookEndpoint, team_id).order_by(WebhookEndpoint.id)).all()
    )


def endpoint_deliveries(endpoint: WebhookEndpoint) -> Select:
    """The endpoint's deliveries (unordered: the delivery log's pages order them)."""
    return select(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.team_id == endpoint.team_id
    )
