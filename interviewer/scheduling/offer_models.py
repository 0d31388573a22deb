"""Booking offers: times a manager holds for a candidate to pick from on the portal."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.db import Base, TeamScoped, str_enum, utcnow
from interviewer.plans.models import PlanStage


class OfferStatus(enum.StrEnum):
    OPEN = "open"
    BOOKED = "booked"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    #: Its stage was booked another way (by a manager, the API or another offer).
    SUPERSEDED = "superseded"


class BookingOffer(TeamScoped, Base):
    """Times offered to one application on its portal, held until ``expires_at``.

    Either fixed options (``options``) or, with ``automatic_stage``, options the portal
    computes afresh from the slot suggestions each time the candidate opens it.
    """

    __tablename__ = "booking_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed with the status below.
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus), default=OfferStatus.OPEN)
    #: When it stopped being open (booked, expired, withdrawn, replaced or superseded).
    closed_at: Mapped[datetime | None]
    #: Set for an automatic offer: the stage whose suggested slots the portal offers.
    automatic_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_stage.id", ondelete="CASCADE"), index=True
    )

    application: Mapped[Application] = relationship()
    created_by: Mapped[User | None] = relationship()
    automatic_stage: Mapped[PlanStage | None] = relationship()
    options: Mapped[list[BookingOption]] = relationship(
        back_populates="offer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="BookingOption.position",
    )

    __table_args__ = (
        #: The portal reads an application's open offer.
        Index(None, "application_id", "status"),
        #: The expiry job reads the open offers past their time.
        Index(None, "status", "expires_at"),
        #: One open offer per application: a new one replaces it.
        Index(
            "uq_booking_offer_one_open",
            "application_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    def is_open(self, now: datetime) -> bool:
        """Open and not past its time (an expired offer is treated so before the job runs)."""
        return self.status == OfferStatus.OPEN and now < self.expires_at


class BookingOption(TeamScoped, Base):
    """One choice of an offer: a single stage or a whole loop."""

    __tablename__ = "booking_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed with the position below.
    offer_id: Mapped[int] = mapped_column(ForeignKey("booking_offer.id", ondelete="CASCADE"))
    position: Mapped[int]
    #: ``[{"plan_stage_id": 3, "starts_at": "2031-03-17T09:00:00+00:00", "panel": [4, 5]}]``
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: When a check found it no longer bookable; the portal no longer shows it.
    dropped_at: Mapped[datetime | None]

    offer: Mapped[BookingOffer] = relationship(back_populates="options")

    __table_args__ = (UniqueConstraint("offer_id", "position"),)
