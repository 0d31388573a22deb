"""Keeping ``reports.models.PanelSeat`` right: an interview's seats follow its panel, its
start and end, whether it is cancelled, and its submitted scorecards.

After every flush that writes an interview, a panel member or a scorecard (whichever
feature does it, through the ORM), the seats of the interviews touched are rebuilt in the
same transaction with one ``DELETE`` and one ``INSERT ... SELECT``. Bulk loads written
past the ORM (the demo history, the bench's data set) call ``refresh`` for the whole team,
which ``summaries.refresh`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import and_, delete, event, insert, select, text
from sqlalchemy.orm import Session

from interviewer.reports.models import PanelSeat
from interviewer.reports.stats import seconds_between, week_start
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards.models import Scorecard, ScorecardState

#: The first key of the advisory locks that serialise rebuilding one interview's seats.
ADVISORY_SPACE = 0x5E71

COLUMNS = [
    "team_id",
    "interview_id",
    "interviewer_id",
    "application_id",
    "starts_at",
    "ends_at",
    "week",
    "seconds",
]


@event.listens_for(Session, "after_flush")
def _seats_follow(session: Session, _flush_context) -> None:
    """Rebuild the seats of the interviews this flush wrote (their panel, scorecards)."""
    touched = set()
    for row in chain(session.new, session.dirty, session.deleted):
        if isinstance(row, Interview):
            touched.add(row.id)
        elif isinstance(row, PanelMember | Scorecard):
            touched.add(row.interview_id)
    touched.discard(None)
    if touched:
        _rebuild(session, sorted(touched))


def refresh(session: Session, team_id: int) -> None:
    """Rebuild every seat of the team (after a bulk load); flushes."""
    session.flush()
    connection = session.connection()
    connection.execute(delete(PanelSeat.__table__).where(PanelSeat.team_id == team_id))
    connection.execute(_insert(Interview.team_id == team_id))


def _rebuild(session: Session, interview_ids: Iterable[int]) -> None:
    ids = list(interview_ids)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Two writers of one interview at once: one waits for the other's commit, then
        # rebuilds from both (without it, both would insert the same seats).
        for interview_id in ids:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:space, :id)"),
                {"space": ADVISORY_SPACE, "id": interview_id},
            )
    connection.execute(delete(PanelSeat.__table__).where(PanelSeat.interview_id.in_(ids)))
    connection.execute(_insert(Interview.id.in_(ids)))


def _insert(condition):
    """``INSERT ... SELECT`` of the seats of the interviews ``condition`` picks that are not
    cancelled: each panel member, with their submitted scorecard's time if there is one."""
    seats = (
        select(
            Interview.team_id,
            Interview.id,
            PanelMember.user_id,
            Interview.application_id,
            Interview.starts_at,
            Interview.ends_at,
            week_start(Interview.starts_at),
            seconds_between(Interview.ends_at, Scorecard.submitted_at),
        )
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .outerjoin(
            Scorecard,
            and_(
                Scorecard.interview_id == PanelMember.interview_id,
                Scorecard.interviewer_id == PanelMember.user_id,
                Scorecard.state == ScorecardState.SUBMITTED,
            ),
        )
        .where(condition, Interview.status != InterviewStatus.CANCELLED)
    )
    return insert(PanelSeat.__table__).from_select(COLUMNS, seats)
