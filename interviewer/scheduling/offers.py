"""Booking offers: times a manager holds for a candidate, who books one on the portal.

An offer is fixed (up to ``MAX_OPTIONS`` options, each a single stage or a whole loop) or
automatic for one stage: then the portal offers that stage's suggested slots afresh each time
the candidate opens it. Every booking from an offer goes through ``loops.book_loop``, so it
passes the same checks, under the same locks, as a manager's booking. An offer is held for the
team's ``booking_offer_hours``; past that it counts as expired whether or not the expiry job
has marked it yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from interviewer import audit
from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.db import utcnow
from interviewer.plans.models import PlanStage
from interviewer.scheduling import offer_closing, slots
from interviewer.scheduling.availability import overlaps
from interviewer.scheduling.conflicts import SchedulingError, candidate_interviews, panel_bookings
from interviewer.scheduling.loops import LoopItem, book_loop
from interviewer.scheduling.models import Interview
from interviewer.scheduling.offer_models import BookingOffer, BookingOption, OfferStatus

#: The most options one offer holds (and an automatic one shows).
MAX_OPTIONS = 6
#: How many open offers past their time one run of the expiry job marks at once.
EXPIRY_BATCH = 500
#: What the candidate reads when the time they picked can no longer be booked.
TAKEN = "That time was just taken. Here are the times still open."


# -- Items: what an option books, as stored and as one form value ----------------------------


def item_dict(item: LoopItem) -> dict[str, Any]:
    """A loop item as an option stores it (UTC, ids only)."""
    return {
        "plan_stage_id": item.plan_stage.id,
        "starts_at": item.starts_at.isoformat(),
        "panel": [user.id for user in item.panel],
    }


def encode(items: Sequence[dict[str, Any]]) -> str:
    """Stored items as one form value: ``3@2031-03-17T09:00:00+00:00@4,5;6@...``."""
    return ";".join(
        f"{item['plan_stage_id']}@{item['starts_at']}@{','.join(map(str, item['panel']))}"
        for item in items
    )


def decode(value: str) -> list[dict[str, Any]]:
    """The items of an ``encode``d value; ``ValueError`` when it is malformed."""
    items = []
    for part in value.split(";"):
        stage_id, starts_at, panel = part.split("@")
        start = datetime.fromisoformat(starts_at)
        if start.tzinfo is None:
            raise ValueError("a start without a time zone")
        items.append(
            {
                "plan_stage_id": int(stage_id),
                "starts_at": start.isoformat(),
                "panel": [int(user_id) for user_id in panel.split(",") if user_id],
            }
        )
    if not items or len(items) > 20:
        raise ValueError("no items")
    return items


def item_end(item: LoopItem) -> datetime:
    """When a loop item's interview ends (the stage's duration after its start)."""
    return item.starts_at + timedelta(minutes=item.plan_stage.duration_minutes)


@dataclass(frozen=True)
class Choice:
    """One option as a page shows it: its form value and what it books, in time order."""

    #: ``option-<id>`` for a fixed option, the encoded items for an automatic one.
    key: str
    items: list[LoopItem]

    @property
    def starts_at(self) -> datetime:
        return self.items[0].starts_at

    def ends_at(self, item: LoopItem) -> datetime:
        return item_end(item)


class Resolver:
    """Turns stored items into loop items for one application, in a fixed number of queries:
    only the application's own stages and its team's active people count."""

    def __init__(self, session: Session, application: Application, stored: list[list[dict]]):
        stage_ids = {item["plan_stage_id"] for items in stored for item in items}
        user_ids = {uid for items in stored for item in items for uid in item["panel"]}
        self.stages = {
            stage.id: stage
            for stage in session.scalars(
                select(PlanStage).where(
                    PlanStage.id.in_(stage_ids), PlanStage.job_id == application.job_id
                )
            )
        }
        self.users = {
            user.id: user
            for user in session.scalars(
                select(User).where(
                    User.id.in_(user_ids),
                    User.team_id == application.team_id,
                    User.active.is_(True),
                )
            )
        }

    def items(self, stored: list[dict]) -> list[LoopItem] | None:
        """The loop items, in time order; ``None`` when a stage or person is gone."""
        result = []
        for item in stored:
            stage = self.stages.get(item["plan_stage_id"])
            panel = tuple(self.users.get(uid) for uid in item["panel"])
            if stage is None or None in panel:
                return None
            result.append(LoopItem(stage, datetime.fromisoformat(item["starts_at"]), panel))
        return sorted(result, key=lambda item: item.starts_at)


def still_free(
    session: Session, application: Application, choices: list[Choice], now: datetime
) -> list[Choice]:
    """The choices nobody has taken meanwhile: in the future, the stage not booked yet, and the
    candidate and every panel member free then (two queries). The booking itself re-checks
    every rule; this only keeps what is plainly gone off the page."""
    if not choices:
        return []
    booked = candidate_interviews(session, application.candidate_id)
    own_stages = {b.plan_stage_id for b in booked if b.application_id == application.id}
    user_ids = {user.id for choice in choices for item in choice.items for user in item.panel}
    start = min(choice.starts_at for choice in choices)
    end = max(choice.ends_at(item) for choice in choices for item in choice.items)
    bookings = panel_bookings(session, sorted(user_ids), start, end)
    candidate_busy = [(b.starts_at, b.ends_at) for b in booked]

    def free(choice: Choice) -> bool:
        for item in choice.items:
            item_end = choice.ends_at(item)
            if item.starts_at < now or item.plan_stage.id in own_stages:
                return False
            if overlaps(candidate_busy, item.starts_at, item_end):
                return False
            for user in item.panel:
                if overlaps(((s, e) for s, e, _id in bookings[user.id]), item.starts_at, item_end):
                    return False
        return True

    return [choice for choice in choices if free(choice)]


# -- Reading ---------------------------------------------------------------------------------


def latest_offer(session: Session, application: Application) -> BookingOffer | None:
    """The application's most recent offer, with its options (one query each)."""
    return session.scalar(
        select(BookingOffer)
        .where(BookingOffer.application_id == application.id)
        .options(
            selectinload(BookingOffer.options),
            selectinload(BookingOffer.automatic_stage),
            selectinload(BookingOffer.created_by),
        )
        .order_by(BookingOffer.created_at.desc(), BookingOffer.id.desc())
        .limit(1)
    )


def open_offer(session: Session, application: Application, now: datetime) -> BookingOffer | None:
    """The offer the candidate may book from now, if any."""
    offer = latest_offer(session, application)
    return offer if offer is not None and offer.is_open(now) else None


def choices(
    session: Session, application: Application, offer: BookingOffer, now: datetime, tz: str
) -> list[Choice]:
    """What ``offer`` lets the candidate book now, earliest first (a fixed number of queries).

    An automatic offer suggests its stage's slots afresh (in the candidate's zone ``tz``, for
    the spread over days); a fixed one keeps the options that are still free.
    """
    if offer.automatic_stage is not None:
        found = slots.suggest_slots(
            session, application, offer.automatic_stage, now, tz=tz, limit=MAX_OPTIONS
        )
        return [
            Choice(
                encode([slot_dict(offer.automatic_stage, slot)]),
                [LoopItem(offer.automatic_stage, slot.starts_at, tuple(slot.panel))],
            )
            for slot in found.slots
        ]
    live = [option for option in offer.options if option.dropped_at is None]
    resolver = Resolver(session, application, [option.items for option in live])
    resolved = [
        Choice(f"option-{option.id}", items)
        for option in live
        if (items := resolver.items(option.items))
    ]
    return sorted(still_free(session, application, resolved, now), key=lambda c: c.starts_at)


def slot_dict(stage: PlanStage, slot: slots.Slot) -> dict[str, Any]:
    """A suggested slot of ``stage`` as an option's one item."""
    return item_dict(LoopItem(stage, slot.starts_at, tuple(slot.panel)))


# -- Offering, withdrawing, expiring ---------------------------------------------------------


def make_offer(
    session: Session,
    application: Application,
    options: Sequence[Sequence[LoopItem]] = (),
    *,
    automatic_stage: PlanStage | None = None,
    actor: User | None,
    now: datetime | None = None,
) -> BookingOffer:
    """Offer ``options`` (or, with ``automatic_stage``, that stage's suggested slots) to the
    candidate, held for the team's ``booking_offer_hours``. An open offer is replaced."""
    now = now or utcnow()
    if automatic_stage is None and not options:
        raise SchedulingError("Tick at least one time to offer.")
    if len(options) > MAX_OPTIONS:
        raise SchedulingError(f"Offer at most {MAX_OPTIONS} times at once.")
    if application.status.is_closed:
        raise SchedulingError("A closed application cannot be offered times.")
    if automatic_stage is not None:
        blocked = slots.suggest_slots(session, application, automatic_stage, now, limit=1).blocked
        if blocked:
            raise SchedulingError(blocked)
    # Two managers offering at once take turns on the application's row, so the second
    # replaces the first's offer instead of meeting the one-open-offer index.
    session.execute(
        select(Application.id).where(Application.id == application.id).with_for_update()
    ).all()
    replaced = session.scalar(
        select(BookingOffer).where(
            BookingOffer.application_id == application.id,
            BookingOffer.status == OfferStatus.OPEN,
        )
    )
    if replaced is not None:
        # An offer past its time but not yet released by the job is closed as expired.
        expired = not replaced.is_open(now)
        _close(session, replaced, OfferStatus.EXPIRED if expired else OfferStatus.WITHDRAWN, now)
    offer = BookingOffer(
        team_id=application.team_id,
        application=application,
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(hours=application.team.booking_offer_hours),
        automatic_stage=automatic_stage,
        options=[
            BookingOption(
                team_id=application.team_id,
                position=position,
                items=[item_dict(item) for item in sorted(items, key=lambda i: i.starts_at)],
            )
            for position, items in enumerate(options, start=1)
        ],
    )
    session.add(offer)
    session.flush()
    audit.record(
        session,
        team_id=application.team_id,
        actor=actor,
        action="application.times_offered",
        subject=application,
        offer_id=offer.id,
        options=len(options),
        automatic_stage_id=automatic_stage.id if automatic_stage else None,
        expires_at=offer.expires_at.isoformat(),
        replaced_offer_id=replaced.id if replaced else None,
    )
    return offer


def _close(session: Session, offer: BookingOffer, status: OfferStatus, now: datetime) -> None:
    offer.status, offer.closed_at = status, now
    # Flushed at once: the one-open-offer index must see it closed before a new one arrives.
    session.flush()


def withdraw_offer(
    session: Session, offer: BookingOffer, *, actor: User | None, now: datetime | None = None
) -> None:
    """Stop offering ``offer``'s times; the portal no longer shows them."""
    now = now or utcnow()
    if offer.status != OfferStatus.OPEN:
        raise SchedulingError("This offer is no longer open.")
    _close(session, offer, OfferStatus.WITHDRAWN, now)
    audit.record(
        session,
        team_id=offer.team_id,
        actor=actor,
        action="application.offer_withdrawn",
        subject=offer.application,
        offer_id=offer.id,
    )


def expire_due(session: Session, now: datetime, batch: int = EXPIRY_BATCH) -> int:
    """Mark up to ``batch`` open offers past their time as expired; returns how many."""
    due = (
        select(BookingOffer.id)
        .where(BookingOffer.status == OfferStatus.OPEN, BookingOffer.expires_at <= now)
        .order_by(BookingOffer.expires_at)
        .limit(batch)
    )
    ids = list(session.scalars(due))
    if ids:
        session.execute(
            update(BookingOffer)
            .where(BookingOffer.id.in_(ids), BookingOffer.status == OfferStatus.OPEN)
            .values(status=OfferStatus.EXPIRED, closed_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(ids)


def expire_all(session: Session, now: datetime | None = None, batch: int = EXPIRY_BATCH) -> int:
    """Expire every open offer past its time, committing after each batch."""
    now, total = now or utcnow(), 0
    while count := expire_due(session, now, batch):
        session.commit()
        total += count
        if count < batch:
            break
    return total


# -- Booking ---------------------------------------------------------------------------------


def _picked(
    session: Session, application: Application, offer: BookingOffer, key: str, now, tz: str
) -> Choice:
    """The choice ``key`` names among those ``offer`` offers now; ``SchedulingError`` (the
    kind word) when it is gone or was never offered."""
    offered = choices(session, application, offer, now, tz)
    if offer.automatic_stage is not None:
        # A fresh suggestion may seat another panel at the same time: the time is what was
        # picked.
        try:
            starts_at = datetime.fromisoformat(decode(key)[0]["starts_at"])
        except (ValueError, KeyError):
            raise SchedulingError(TAKEN) from None
        offered = [choice for choice in offered if choice.starts_at == starts_at]
    else:
        offered = [choice for choice in offered if choice.key == key]
    if not offered:
        raise SchedulingError(TAKEN)
    return offered[0]


def book_choice(
    session: Session,
    application: Application,
    offer: BookingOffer,
    key: str,
    *,
    now: datetime | None = None,
    tz: str = "UTC",
) -> list[Interview]:
    """Book the choice ``key`` of ``offer`` for the candidate, all of it or nothing, through
    ``book_loop``; the offer is then booked. Raises ``SchedulingError`` when the choice is
    gone or any rule refuses it."""
    now = now or utcnow()
    if not offer.is_open(now):
        raise SchedulingError("These times are no longer held; the team will send new ones.")
    choice = _picked(session, application, offer, key, now, tz)
    session.info[offer_closing.BOOKING_FROM] = offer.id
    try:
        interviews = book_loop(session, application, choice.items, actor=None, now=now)
    finally:
        session.info.pop(offer_closing.BOOKING_FROM, None)
    _close(session, offer, OfferStatus.BOOKED, now)
    audit.record(
        session,
        team_id=offer.team_id,
        actor=None,
        action="application.offer_booked",
        subject=application,
        offer_id=offer.id,
        interviews=[interview.id for interview in interviews],
    )
    return interviews


def drop_option(session: Session, offer: BookingOffer, key: str, now: datetime) -> None:
    """Stop showing the fixed option ``key`` (a booking just found it impossible)."""
    for option in offer.options:
        if f"option-{option.id}" == key and option.dropped_at is None:
            option.dropped_at = now
    session.flush()
