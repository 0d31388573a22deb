"""A demo booking offer: one active candidate has three times to pick from on their portal."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.scheduling import offers, slots
from interviewer.scheduling.loops import LoopItem
from interviewer.seed.setup import Demo

#: How many of the suggested times the demo offer holds.
TIMES = 3


def build(demo: Demo) -> Application | None:
    """Offer, as the manager, the first few suggested times of the current stage to the first
    active candidate (by name) whose current stage is not booked yet; returns who, if anyone."""
    applications = demo.session.scalars(
        select(Application)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .where(
            Application.team_id == demo.team.id,
            Application.status == ApplicationStatus.ACTIVE,
            Application.current_stage_id.is_not(None),
        )
        .options(selectinload(Application.candidate), selectinload(Application.current_stage))
        .order_by(Candidate.name, Application.id)
    )
    for application in applications:
        stage = application.current_stage
        # From tomorrow on and one a day: a choice of days, none gone by the time a visitor
        # of the demo opens the portal.
        tomorrow = (demo.now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        found = slots.suggest_slots(
            demo.session, application, stage, tomorrow, limit=TIMES, per_day=1
        )
        if found.blocked or len(found.slots) < TIMES:
            continue
        options = [[LoopItem(stage, slot.starts_at, tuple(slot.panel))] for slot in found.slots]
        offers.make_offer(demo.session, application, options, actor=demo.manager, now=demo.now)
        return application
    return None
