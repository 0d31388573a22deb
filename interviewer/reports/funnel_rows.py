"""Keeping the funnel's rows right (``reports.models.FunnelApplication`` and
``FunnelReach``): an application's rows follow its status, its stays and its decisions,
and the plan its stays are in.

After every flush that writes an application (its status, job or received time), a stay,
a decision or a plan stage (its position or type, or its removal), whichever feature does
it through the ORM, the rows of the applications touched are rebuilt in the same
transaction: two ``DELETE`` and two ``INSERT ... SELECT`` statements over their stays. Bulk
loads written past the ORM (the demo history, the bench's data set) call ``refresh`` for
the whole team, which ``summaries.refresh`` does.

What the rows say, as the funnel counts it:

- An application *reached* each plan stage it has a stay in; it *went on* from one when it
  reached a later stage of its plan (by position) or the offer status.
- It *left* at the stage of its last stay (by id) if that stay ended by a rejection or a
  withdrawal; one reopened and moved on has not left.
- It reached the *offer* status by a stay ended by an offer, the status offer or hired, or a
  decision to offer or hire; it was *hired* when its status is hired.

Stays whose plan stage was deleted count nowhere, as before the rows existed.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    event,
    exists,
    false,
    func,
    insert,
    inspect,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from interviewer.candidates.models import Application, ApplicationStatus, StageVisit
from interviewer.plans.models import PlanStage
from interviewer.reports.models import FunnelApplication, FunnelReach
from interviewer.scorecards.models import Decision, DecisionOutcome

#: The first key of the advisory locks that serialise rebuilding one application's rows.
ADVISORY_SPACE = 0x5E72
#: The moves that take an application out of the funnel at a stage.
EXIT_MOVES = ("reject", "withdraw")

#: What a change to an application or a plan stage must touch to change the rows.
_APPLICATION_FIELDS = ("status", "job_id", "job", "created_at")
_STAGE_FIELDS = ("position", "stage_type_id", "stage_type", "job_id", "job")

#: Which applications to rebuild: a condition on a table's application id and team id.
Picks = Callable[[ColumnElement, ColumnElement], ColumnElement]


@event.listens_for(Session, "after_flush")
def _rows_follow(session: Session, _flush_context) -> None:
    """Rebuild the rows of the applications this flush changed the funnel of."""
    applications, jobs = set(), set()
    for row in chain(session.new, session.dirty, session.deleted):
        if isinstance(row, StageVisit | Decision):
            applications.add(row.application_id)
        elif isinstance(row, Application) and (
            row in session.new or _changed(row, _APPLICATION_FIELDS)
        ):
            applications.add(row.id)
        elif isinstance(row, PlanStage) and _plan_changed(session, row):
            jobs.add(row.job_id)
    applications.discard(None)
    jobs.discard(None)
    if jobs:
        _rebuild(session, _of_jobs(sorted(jobs)), lock=True)
    if applications:
        _rebuild(session, _of_ids(sorted(applications)), lock=True)


def _plan_changed(session: Session, stage: PlanStage) -> bool:
    """A new stage changes no stay; a moved, retyped or removed one may change every
    application of its job (how far each went, which of its stages comes first)."""
    if stage in session.deleted:
        return True
    return stage not in session.new and _changed(stage, _STAGE_FIELDS)


def _changed(row, fields: tuple[str, ...]) -> bool:
    attributes = inspect(row).attrs
    return any(attributes[name].history.has_changes() for name in fields)


def refresh(session: Session, team_id: int) -> None:
    """Rebuild every funnel row of the team (after a bulk load); flushes."""
    session.flush()
    _rebuild(session, _of_team(team_id), lock=False)


def _of_ids(ids: list[int]) -> Picks:
    return lambda application_id, _team_id: application_id.in_(ids)


def _of_team(team_id: int) -> Picks:
    return lambda _application_id, team_column: team_column == team_id


def _of_jobs(job_ids: list[int]) -> Picks:
    of_jobs = select(Application.id).where(Application.job_id.in_(job_ids))
    return lambda application_id, _team_id: application_id.in_(of_jobs)


def _rebuild(session: Session, picks: Picks, *, lock: bool) -> None:
    connection = session.connection()
    if lock and connection.dialect.name == "postgresql":
        # Two writers of one application at once: one waits for the other's commit, then
        # rebuilds from both (without it, both would insert the same rows). In id order,
        # so that two writers of several never wait for each other.
        ordered = (
            select(Application.id)
            .where(picks(Application.id, Application.team_id))
            .order_by(Application.id)
            .subquery("ordered")
        )
        connection.execute(
            select(func.count(func.pg_advisory_xact_lock(ADVISORY_SPACE, ordered.c.id)))
        )
    for model in (FunnelReach, FunnelApplication):
        table = model.__table__
        connection.execute(delete(table).where(picks(table.c.application_id, table.c.team_id)))
    connection.execute(_insert_applications(picks))
    connection.execute(_insert_reaches(picks))


def _insert_applications(picks: Picks):
    """``INSERT ... SELECT`` of one row per application: received when, offered, hired,
    and where it left."""
    last = (
        select(StageVisit.application_id, func.max(StageVisit.id).label("id"))
        .where(
            StageVisit.plan_stage_id.is_not(None),
            picks(StageVisit.application_id, StageVisit.team_id),
        )
        .group_by(StageVisit.application_id)
        .subquery("last")
    )
    exit_stay = aliased(StageVisit, name="exit_stay")
    offered = or_(
        Application.status.in_([ApplicationStatus.OFFER, ApplicationStatus.HIRED]),
        exists().where(StageVisit.application_id == Application.id, StageVisit.left_by == "offer"),
        exists().where(
            Decision.application_id == Application.id,
            Decision.outcome.in_([DecisionOutcome.OFFER, DecisionOutcome.HIRE]),
        ),
    )
    rows = (
        select(
            Application.team_id,
            Application.id,
            Application.job_id,
            Application.created_at,
            _flag(offered),
            _flag(Application.status == ApplicationStatus.HIRED),
            PlanStage.id,
            PlanStage.stage_type_id,
            exit_stay.left_by,
            exit_stay.reason,
        )
        .outerjoin(last, last.c.application_id == Application.id)
        .outerjoin(exit_stay, and_(exit_stay.id == last.c.id, exit_stay.left_by.in_(EXIT_MOVES)))
        .outerjoin(PlanStage, PlanStage.id == exit_stay.plan_stage_id)
        .where(picks(Application.id, Application.team_id))
    )
    columns = [
        "team_id",
        "application_id",
        "job_id",
        "received_at",
        "offered",
        "hired",
        "exit_stage_id",
        "exit_stage_type_id",
        "left_by",
        "reason",
    ]
    return insert(FunnelApplication.__table__).from_select(columns, rows)


def _insert_reaches(picks: Picks):
    """``INSERT ... SELECT`` of one row per application and plan stage it reached, read
    after the applications' rows (for their offers, job and received time)."""
    reached = (
        select(StageVisit.application_id, StageVisit.plan_stage_id)
        .where(
            StageVisit.plan_stage_id.is_not(None),
            picks(StageVisit.application_id, StageVisit.team_id),
        )
        .distinct()
        .subquery("reached")
    )
    ranked = (
        select(
            reached.c.application_id,
            reached.c.plan_stage_id,
            PlanStage.stage_type_id,
            PlanStage.position,
            func.max(PlanStage.position)
            .over(partition_by=reached.c.application_id)
            .label("furthest"),
            func.row_number()
            .over(
                partition_by=[reached.c.application_id, PlanStage.stage_type_id],
                order_by=[PlanStage.position, PlanStage.id],
            )
            .label("nth"),
        )
        .join(PlanStage, PlanStage.id == reached.c.plan_stage_id)
        .subquery("ranked")
    )
    owner = FunnelApplication.__table__.c
    rows = select(
        owner.team_id,
        ranked.c.application_id,
        ranked.c.plan_stage_id,
        ranked.c.stage_type_id,
        owner.job_id,
        owner.received_at,
        _flag(or_(ranked.c.furthest > ranked.c.position, owner.offered)),
        _flag(ranked.c.nth == 1),
    ).join(FunnelApplication.__table__, owner.application_id == ranked.c.application_id)
    columns = [
        "team_id",
        "application_id",
        "plan_stage_id",
        "stage_type_id",
        "job_id",
        "received_at",
        "went_on",
        "first_of_type",
    ]
    return insert(FunnelReach.__table__).from_select(columns, rows)


def _flag(condition) -> ColumnElement:
    """``condition`` as a boolean value that both databases store."""
    return case((condition, true()), else_=false())
