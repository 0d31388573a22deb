"""Read-side queries about interviews, for the pages that list them beside applications."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy.orm import Session, selectinload

from interviewer.db import in_team
from interviewer.scheduling.models import Interview, PanelMember


def interviews_by_application(
    session: Session, team_id: int, application_ids: Iterable[int]
) -> dict[int, list[Interview]]:
    """The team's interviews of these applications, cancelled ones too, in time order with
    their stage and panel, by application: three statements, however many there are."""
    by_application: dict[int, list[Interview]] = defaultdict(list)
    ids = list(application_ids)
    if not ids:
        return by_application
    interviews = session.scalars(
        in_team(Interview, team_id)
        .where(Interview.application_id.in_(ids))
        .options(
            selectinload(Interview.plan_stage),
            selectinload(Interview.panel).selectinload(PanelMember.user),
        )
        .order_by(Interview.starts_at, Interview.id)
    )
    for interview in interviews:
        by_application[interview.application_id].append(interview)
    return by_application
