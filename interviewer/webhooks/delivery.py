"""Delivering the queued webhooks: each delivery claimed by one worker (the outbox's claim,
:func:`interviewer.claims.claim_rows`), signed, sent once to the address resolved for it,
retried with backoff, and its endpoint turned off after repeated failure, with an email to
the team's admins.

Any number of workers may run at once. Each claims a bounded batch (committed), sends each
delivery and records the attempt and its result in a commit of its own. A worker that dies
mid-batch leaves its deliveries ``sending`` until their lease runs out; then another worker
claims them again (the one case a receiver may see an event twice: dedupe on its id).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from interviewer.auth.models import Role, User
from interviewer.claims import claim_rows
from interviewer.db import utcnow
from interviewer.mail.models import OutboxEmail
from interviewer.mail.outbox import queue_emails
from interviewer.webhooks import targets
from interviewer.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

log = logging.getLogger(__name__)

#: The wait after each failed attempt; after the last one the delivery fails.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
#: How long a worker's claim lasts: far longer than a batch takes at ``TIMEOUT`` each.
LEASE = timedelta(minutes=10)
#: The most deliveries a worker claims at once.
BATCH = 20
#: Seconds to connect, and to wait for each read of the answer.
TIMEOUT = 10
#: The most bytes of an answer read (and kept in the log).
MAX_RESPONSE = 2048
#: An endpoint whose deliveries failed for good this many times in a row is turned off...
FAILURES_TO_DISABLE = 5
#: ...and so is one whose attempts have failed, without a success, for this long.
FAILING_TO_DISABLE = timedelta(hours=24)
USER_AGENT = "interviewer-webhooks/1"


def signature(secret: str, timestamp: int, body: str) -> str:
    """The ``Interviewer-Signature`` header: ``t=<ts>,v1=<hex HMAC-SHA256 of "t.body">``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def wait_label(wait: timedelta) -> str:
    """A wait of :data:`BACKOFF` in words: "5 min", "2 h"."""
    minutes = int(wait.total_seconds() // 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h"


def backoff(attempts: int) -> timedelta | None:
    """The wait after failed attempt number ``attempts``; ``None`` after the last one."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return BACKOFF[max(attempts, 1) - 1]


def _due(model, now: datetime) -> tuple:
    enabled = select(WebhookEndpoint.id).where(WebhookEndpoint.enabled.is_(True))
    return (
        model.status.in_((DeliveryStatus.WAITING, DeliveryStatus.SENDING)),
        model.next_attempt_at <= now,
        model.attempts < MAX_ATTEMPTS,
        model.endpoint_id.in_(enabled),
    )


@dataclass(frozen=True)
class Claim:
    """A claimed delivery, read before the claim's commit: what sending it needs."""

    delivery_id: int
    endpoint_id: int
    attempt: int
    url: str
    secret: str
    event_id: str
    event_type: str
    payload: str


def claim_batch(session: Session, now: datetime, size: int) -> list[Claim]:
    """Claim the ``size`` oldest due deliveries and count their attempts; commits."""
    rows = claim_rows(
        session,
        WebhookDelivery,
        lambda model: _due(model, now),
        lambda model: (model.next_attempt_at, model.id),
        {
            "status": DeliveryStatus.SENDING,
            "attempts": WebhookDelivery.attempts + 1,
            "last_attempt_at": now,
            "next_attempt_at": now + LEASE,
        },
        size,
    )
    endpoints = {
        e.id: e
        for e in session.scalars(
            select(WebhookEndpoint).where(WebhookEndpoint.id.in_({r.endpoint_id for r in rows}))
        )
    }
    claims = [
        Claim(
            r.id,
            r.endpoint_id,
            r.attempts,
            endpoints[r.endpoint_id].url,
            endpoints[r.endpoint_id].secret,
            r.event_id,
            r.event_type,
            r.payload,
        )
        for r in rows
    ]
    session.commit()
    return sorted(claims, key=lambda claim: claim.delivery_id)


@dataclass
class Outcome:
    """How one attempt ended."""

    status_code: int | None = None
    error: str = ""
    response: str = ""
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def send(claim: Claim, *, private_ok: bool | None = None, timeout: float = TIMEOUT) -> Outcome:
    """POST the signed delivery to its endpoint, resolved (and checked) for this attempt."""
    started = time.monotonic()
    outcome = Outcome()
    try:
        target = targets.resolve(claim.url, private_ok=private_ok)
        connection = targets.connection(target, timeout)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Interviewer-Event": claim.event_type,
            "Interviewer-Delivery": claim.event_id,
            "Interviewer-Signature": signature(claim.secret, int(time.time()), claim.payload),
        }
        try:
            connection.request("POST", target.path, body=claim.payload.encode(), headers=headers)
            answer = connection.getresponse()
            outcome.status_code = answer.status
            outcome.response = answer.read(MAX_RESPONSE).decode("utf-8", "replace")
            if not outcome.succeeded:
                outcome.error = f"The endpoint answered {answer.status} {answer.reason}."
        finally:
            connection.close()
    except targets.UnsafeTarget as refused:
        outcome.error = str(refused)
    except (OSError, ValueError) as error:
        outcome.error = f"{type(error).__name__}: {error}"[:1000]
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


@dataclass
class DeliveryReport:
    """What one run did."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    disabled: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.failed


def record(session: Session, claim: Claim, outcome: Outcome, report: DeliveryReport) -> None:
    """Record the attempt and its result, and what it means for the endpoint; commits."""
    now = utcnow()
    delivery = session.get(WebhookDelivery, claim.delivery_id)
    endpoint = session.get(WebhookEndpoint, claim.endpoint_id)
    session.add(
        WebhookAttempt(
            team_id=delivery.team_id,
            delivery_id=delivery.id,
            started_at=delivery.last_attempt_at or now,
            duration_ms=outcome.duration_ms,
            status_code=outcome.status_code,
            error=outcome.error,
            response=outcome.response,
        )
    )
    if delivery.status is not DeliveryStatus.SENDING or delivery.attempts != claim.attempt:
        # The claim ran out and another worker took the delivery: its result is the one kept.
        session.commit()
        return
    delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
    endpoint.last_delivery_at = now
    if outcome.succeeded:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        endpoint.failures_in_a_row, endpoint.failing_since = 0, None
        endpoint.last_status = str(outcome.status_code)
        report.delivered += 1
    else:
        endpoint.last_status = str(outcome.status_code or "error")
        endpoint.failing_since = endpoint.failing_since or now
        wait = backoff(claim.attempt)
        if wait is None:
            delivery.status = DeliveryStatus.FAILED
            endpoint.failures_in_a_row += 1
            report.failed += 1
        else:
            delivery.status = DeliveryStatus.WAITING
            delivery.next_attempt_at = (delivery.last_attempt_at or now) + wait
            report.retrying += 1
        if endpoint.enabled and _keeps_failing(endpoint, now):
            disable_failing(session, endpoint)
            report.disabled += 1
    session.commit()


def _keeps_failing(endpoint: WebhookEndpoint, now: datetime) -> bool:
    return endpoint.failures_in_a_row >= FAILURES_TO_DISABLE or (
        endpoint.failing_since is not None and now - endpoint.failing_since >= FAILING_TO_DISABLE
    )


def disable_failing(session: Session, endpoint: WebhookEndpoint) -> None:
    """Turn ``endpoint`` off after repeated failure and email the team's admins; flushes."""
    endpoint.enabled = False
    endpoint.disabled_reason = (
        f"Turned off on {utcnow():%Y-%m-%d %H:%M} UTC after repeated failed deliveries "
        f"(last: {endpoint.last_status})."
    )
    admins = session.scalars(
        select(User).where(
            User.team_id == endpoint.team_id, User.role == Role.ADMIN, User.active.is_(True)
        )
    ).all()
    body = (
        f"The webhook endpoint {endpoint.url} kept failing, so it was turned off: "
        "no more events are sent to it.\n\n"
        "Open Settings > Webhooks to read its delivery log, fix the receiver, then turn the "
        "endpoint on again; the waiting deliveries are sent then.\n"
    )
    queue_emails(
        session,
        (
            OutboxEmail(
                team_id=endpoint.team_id,
                to_email=admin.email,
                to_name=admin.name,
                subject="A webhook endpoint was turned off",
                body=body,
            )
            for admin in admins
        ),
    )
    log.warning("webhook endpoint %s turned off after repeated failure", endpoint.id)


def fail_abandoned(session: Session, now: datetime) -> int:
    """Mark failed the deliveries whose last attempt's worker died (its lease is over);
    commits. Earlier attempts cut short are simply claimed again."""
    result = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.status == DeliveryStatus.SENDING,
            WebhookDelivery.next_attempt_at <= now,
            WebhookDelivery.attempts >= MAX_ATTEMPTS,
        )
        .values(
            status=DeliveryStatus.FAILED,
            last_error="The last attempt stopped before the endpoint answered (the worker was "
            "interrupted); redeliver if the receiver did not get it.",
        ),
        execution_options={"synchronize_session": False},
    )
    session.commit()
    return result.rowcount


def deliver_due(
    session: Session, *, limit: int | None = None, private_ok: bool | None = None
) -> DeliveryReport:
    """Claim the due deliveries in bounded batches and send them, committing each claim and
    each result. Safe to run in any number of workers at once."""
    report = DeliveryReport()
    report.failed += fail_abandoned(session, utcnow())
    if private_ok is None:
        private_ok = bool(current_app.config.get("WEBHOOKS_ALLOW_PRIVATE"))
    while limit is None or report.attempted < limit:
        size = BATCH if limit is None else min(BATCH, limit - report.attempted)
        claims = claim_batch(session, utcnow(), size)
        if not claims:
            break
        for claim in claims:
            record(session, claim, send(claim, private_ok=private_ok), report)
    return report
