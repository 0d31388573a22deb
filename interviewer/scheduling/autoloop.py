"""Auto-scheduling a whole loop: complete proposals for an application's remaining stages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from interviewer.candidates.models import Application
from interviewer.plans.models import PlanStage
from interviewer.scheduling.loops import LoopItem


@dataclass
class LoopOption:
    """One complete loop: every stage with its time and panel, in plan order."""

    items: list[LoopItem]
    #: How many different days (in the candidate's zone) the candidate has to come.
    days: int = 0
    #: When the last stage ends.
    finishes_at: datetime | None = None
    #: Interviews of the busiest panel member in the week of their interview, this loop included.
    busiest_load: int = 0
    #: Which search found it: "solver" or "greedy".
    found_by: str = "greedy"
    notes: list[str] = field(default_factory=list)


def propose_loops(
    session: Session,
    application: Application,
    stages: Sequence[PlanStage],
    now: datetime,
    *,
    tz: str = "UTC",
    limit: int = 3,
) -> list[LoopOption]:
    """Up to ``limit`` complete loops for ``stages``, best first."""
    return []
