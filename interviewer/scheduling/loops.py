"""Whole loops: several stages of one application booked together, all or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.plans.models import PlanStage
from interviewer.scheduling.conflicts import lock_people
from interviewer.scheduling.models import Interview
from interviewer.scheduling.services import schedule_interview


@dataclass(frozen=True)
class LoopItem:
    """One stage of a loop: when it starts and who sits on its panel."""

    plan_stage: PlanStage
    starts_at: datetime
    panel: tuple[User, ...]

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.plan_stage.duration_minutes)


def book_loop(
    session: Session,
    application: Application,
    items: Sequence[LoopItem],
    *,
    actor: User | None = None,
    now: datetime | None = None,
    timezone: str | None = None,
) -> list[Interview]:
    """Book every item of the loop for ``application``, or none of them.

    Everyone on any of the panels, then the candidate, is locked first (in the order every
    booking takes its locks), so a colleague booking the same people at the same moment waits
    and a loop never half-books. Each item then passes the single booking's checks, in time
    order. Raises ``SchedulingError`` with the first refusal; nothing of the loop is kept.
    """
    if not items:
        return []
    everyone = sorted({user.id for item in items for user in item.panel})
    lock_people(session, everyone, application.candidate_id)
    with session.begin_nested():
        return [
            schedule_interview(
                session,
                application,
                item.plan_stage,
                item.starts_at,
                list(item.panel),
                actor=actor,
                now=now,
                timezone=timezone,
            )
            for item in sorted(items, key=lambda item: item.starts_at)
        ]
