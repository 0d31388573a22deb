"""The webhook tables: a team's endpoints, the deliveries queued for them, and each attempt."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.db import Base, TeamScoped, str_enum, utcnow

#: The events an endpoint may subscribe to, with what each tells, in the order of a hire.
EVENTS = {
    "application.created": "A candidate applied to a job (or was added to one).",
    "application.moved": "An application moved along the plan or changed status.",
    "interview.scheduled": "An interview was booked.",
    "interview.rescheduled": "An interview moved to another time or panel.",
    "interview.cancelled": "An interview was cancelled.",
    "scorecard.submitted": "An interviewer submitted (or amended) a scorecard: ids only.",
    "decision.recorded": "A decision was recorded on an application.",
    "candidate.erased": "A candidate's identity was erased: their id only.",
}
MAX_URL = 2000


class DeliveryStatus(enum.StrEnum):
    """Where a delivery stands; :mod:`interviewer.webhooks.delivery` moves it along."""

    #: Queued, or waiting for its next attempt at ``next_attempt_at`` after a failure.
    WAITING = "waiting"
    #: Claimed by a worker until ``next_attempt_at`` (its lease).
    SENDING = "sending"
    DELIVERED = "delivered"
    #: Still failing after the last attempt.
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class WebhookEndpoint(TeamScoped, Base):
    """An address of the team's that receives signed deliveries of the events it names."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(MAX_URL))
    description: Mapped[str] = mapped_column(String(200), default="")
    #: The subscribed events, space separated, in the order of :data:`EVENTS`.
    events: Mapped[str] = mapped_column(Text, default="")
    #: The HMAC key of the signatures; kept readable because every delivery is signed with it.
    secret: Mapped[str] = mapped_column(String(80), info={"secret": True})
    enabled: Mapped[bool] = mapped_column(default=True)
    #: Why the app turned it off (repeated failure); empty when enabled or turned off by hand.
    disabled_reason: Mapped[str] = mapped_column(Text, default="")
    #: Deliveries in a row that failed for good; a success resets it.
    failures_in_a_row: Mapped[int] = mapped_column(default=0)
    #: When the attempts began failing without a success since.
    failing_since: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_delivery_at: Mapped[datetime | None]
    last_status: Mapped[str] = mapped_column(String(10), default="")

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.id} {self.url}>"


class WebhookDelivery(TeamScoped, Base):
    """One event for one endpoint: the signed body, and where its delivery stands."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True
    )
    #: The event's id (a UUID), the ``Interviewer-Delivery`` header: receivers dedupe on it.
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(40))
    #: The JSON body, exactly as it is signed and sent.
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, length=10), default=DeliveryStatus.WAITING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    #: Attempts of the current round, counted before each one is sent.
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")
    history: Mapped[list[WebhookAttempt]] = relationship(
        back_populates="delivery",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="WebhookAttempt.id.desc()",
    )

    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        # What workers ask: the deliveries due, oldest due first.
        Index(None, "status", "next_attempt_at"),
        # What the delivery log asks: an endpoint's deliveries, newest first.
        Index(None, "endpoint_id", "created_at", "id"),
    )


class WebhookAttempt(TeamScoped, Base):
    """One try at a delivery: the answer's status code, or the error, and how long it took."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int] = mapped_column(default=0)
    status_code: Mapped[int | None]
    error: Mapped[str] = mapped_column(Text, default="")
    #: The start of the answer's body, for the log.
    response: Mapped[str] = mapped_column(Text, default="")

    delivery: Mapped[WebhookDelivery] = relationship(back_populates="history")

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
