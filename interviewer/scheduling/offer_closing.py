"""An open booking offer gives way when its stage is booked another way (the schedule page,
the API, a loop, another offer): in the booking's own transaction, so the candidate can never
pick a time for a stage that is already booked."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from interviewer import audit
from interviewer.db import utcnow
from interviewer.scheduling import signals
from interviewer.scheduling.models import Interview
from interviewer.scheduling.offer_models import BookingOffer, OfferStatus

#: ``session.info`` key: the offer a booking is made from, which its own booking leaves open
#: for ``book_choice`` to close as booked.
BOOKING_FROM = "interviewer.booking_from_offer"


@signals.interview_scheduled.connect
def supersede_offer(sender: Interview, *, session: Session, **kwargs: object) -> None:
    """A stage booked another way is no longer offered: the application's open offer drops
    each option that holds that stage, and closes as superseded when none is left (an
    automatic offer of that stage closes at once). Same transaction as the booking, so the
    candidate can never pick a time for a stage that is already booked."""
    offer = session.scalar(
        select(BookingOffer)
        .where(
            BookingOffer.application_id == sender.application_id,
            BookingOffer.status == OfferStatus.OPEN,
        )
        .options(selectinload(BookingOffer.options))
    )
    if offer is None or offer.id == session.info.get(BOOKING_FROM):
        return
    now = utcnow()
    stage_id = sender.plan_stage_id
    if offer.automatic_stage_id is not None:
        left = offer.automatic_stage_id != stage_id
    else:
        for option in offer.options:
            if option.dropped_at is None and any(
                item["plan_stage_id"] == stage_id for item in option.items
            ):
                option.dropped_at = now
        left = any(option.dropped_at is None for option in offer.options)
    if left:
        session.flush()
        return
    offer.status, offer.closed_at = OfferStatus.SUPERSEDED, now
    session.flush()
    audit.record(
        session,
        team_id=offer.team_id,
        actor=None,
        action="application.offer_superseded",
        subject=offer.application,
        offer_id=offer.id,
        interview_id=sender.id,
    )
