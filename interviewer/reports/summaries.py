"""Keeping the running sums of ``reports.models`` right.

An application's rows are rebuilt from its submitted scorecards each time one of them is
submitted or amended (the ``scorecard_submitted`` signal), in the same transaction, with
two ``INSERT ... SELECT`` statements over that application's ratings only; the latest
decision they carry is rewritten after every flush that writes a decision. Bulk loads
(the demo history, the bench's data set) call ``refresh`` for the whole team once they
are written; for a whole team, this also rebuilds the panel seats of ``reports.seats`` and
the funnel's rows of ``reports.funnel_rows`` (which follow the ORM by themselves
otherwise). Erasing a candidate keeps their ratings, so it changes nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import (
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from interviewer.candidates.models import Application
from interviewer.plans.models import PlanStage
from interviewer.reports import funnel_rows, seats
from interviewer.reports.filters import ReportFilter
from interviewer.reports.models import RaterSummary, RatingUnit, SkillUnit, StageTypeUnit
from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import Decision, Rating, Scorecard, ScorecardState
from interviewer.scorecards.signals import scorecard_submitted

SCALE = (1, 2, 3, 4)


#: The first key of the advisory locks that serialise rebuilding one application's sums.
ADVISORY_SPACE = 0x5E70


@scorecard_submitted.connect
def _scorecard_submitted(scorecard: Scorecard, *, session: Session) -> None:
    refresh(session, scorecard.team_id, [scorecard.application_id])


@event.listens_for(Session, "after_flush")
def _decisions_follow(session: Session, _flush_context) -> None:
    """Rewrite the latest decision on the rater rows of the applications whose decisions
    this flush wrote."""
    touched = {
        row.application_id
        for row in chain(session.new, session.dirty, session.deleted)
        if isinstance(row, Decision)
    }
    touched.discard(None)
    if not touched:
        return
    ids = sorted(touched)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # A decision and a scorecard of one application at once: one waits for the
        # other's commit, then reads both (the same lock as the rebuild below).
        for application_id in ids:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:space, :id)"),
                {"space": ADVISORY_SPACE, "id": application_id},
            )
    table = RaterSummary.__table__
    connection.execute(
        update(table)
        .where(table.c.application_id.in_(ids))
        .values(decision=latest_decision(table.c.application_id))
    )


def latest_decision(application_id):
    """The outcome of the latest decision (by time, then id) of ``application_id``, as a
    scalar subquery; ``NULL`` without one."""
    return (
        select(Decision.outcome)
        .where(Decision.application_id == application_id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def refresh(session: Session, team_id: int, application_ids: Iterable[int] | None = None) -> None:
    """Rebuild the running sums of ``application_ids`` (every application of the team
    when ``None``, and then the team's panel seats too) from their submitted scorecards;
    flushes."""
    session.flush()
    ids = None if application_ids is None else list(application_ids)
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql and ids is not None:
        # Two panel members submitting at once rebuild the same application's rows: one
        # waits for the other's commit, then rebuilds from both scorecards.
        for application_id in sorted(ids):
            session.execute(
                text("SELECT pg_advisory_xact_lock(:space, :id)"),
                {"space": ADVISORY_SPACE, "id": application_id},
            )
    if ids is None:
        # A whole team follows a bulk load, written past the ORM: its seats and its
        # funnel's rows too.
        seats.refresh(session, team_id)
        funnel_rows.refresh(session, team_id)
    if ids is None and postgresql:
        # A whole team follows a bulk load (seeding, a restore): without fresh statistics
        # the planner takes the new rows for none and joins them by scanning.
        session.execute(
            text(
                "ANALYZE rating, scorecard, interview, application, report_panel_seat, "
                "report_funnel_application, report_funnel_reach"
            )
        )
    for model in (SkillUnit, StageTypeUnit, RatingUnit, RaterSummary):
        statement = delete(model).where(model.team_id == team_id)
        if ids is not None:
            statement = statement.where(model.application_id.in_(ids))
        session.execute(statement)
    submitted = [Scorecard.team_id == team_id, Scorecard.state == ScorecardState.SUBMITTED]
    if ids is not None:
        submitted.append(Scorecard.application_id.in_(ids))
    session.execute(
        insert(RatingUnit).from_select(
            [
                "team_id",
                "application_id",
                "received_at",
                "skill_id",
                "plan_stage_id",
                *(f"n{value}" for value in SCALE),
            ],
            _units(and_(*submitted)),
        )
    )
    of_units = [RatingUnit.team_id == team_id]
    if ids is not None:
        of_units.append(RatingUnit.application_id.in_(ids))
    _insert_units(session, and_(*of_units))
    session.execute(
        insert(RaterSummary).from_select(
            [
                "team_id",
                "application_id",
                "received_at",
                "interviewer_id",
                "scorecards",
                *(f"recommended_{value}" for value in SCALE),
                "compared",
                "difference_sum",
                "difference_squares",
                "decision",
            ],
            _raters(and_(*submitted)),
        )
    )


@event.listens_for(Session, "after_flush")
def _stages_follow(session: Session, _flush_context) -> None:
    """Rebuild the skill and stage type units of the jobs whose plan stages this flush
    retyped or removed (a removed stage's rating units went with it)."""
    jobs = {
        stage.job_id
        for stage in chain(session.dirty, session.deleted)
        if isinstance(stage, PlanStage) and (stage in session.deleted or _retyped(stage))
    }
    jobs.discard(None)
    if not jobs:
        return
    of_jobs = select(Application.id).where(Application.job_id.in_(sorted(jobs)))
    connection = session.connection()
    for model in (SkillUnit, StageTypeUnit):
        connection.execute(delete(model).where(model.application_id.in_(of_jobs)))
    _insert_units(connection, RatingUnit.application_id.in_(of_jobs))


def _retyped(stage: PlanStage) -> bool:
    attributes = inspect(stage).attrs
    return any(attributes[name].history.has_changes() for name in ("stage_type_id", "stage_type"))


def _insert_units(connection, condition) -> None:
    """``INSERT ... SELECT`` of the skill and stage type units of the ``RatingUnit`` rows
    ``condition`` picks: their counts added up per application and skill, and per
    application, skill and the plan stage's type."""
    counts = [cast(func.sum(RatingUnit.__table__.c[f"n{value}"]), Integer) for value in SCALE]
    names = [f"n{value}" for value in SCALE]
    skills = (
        select(
            RatingUnit.team_id,
            RatingUnit.application_id,
            RatingUnit.skill_id,
            RatingUnit.received_at,
            *counts,
        )
        .join(PlanStage, PlanStage.id == RatingUnit.plan_stage_id)
        .where(condition)
        .group_by(
            RatingUnit.team_id,
            RatingUnit.application_id,
            RatingUnit.skill_id,
            RatingUnit.received_at,
        )
    )
    connection.execute(
        insert(SkillUnit).from_select(
            ["team_id", "application_id", "skill_id", "received_at", *names], skills
        )
    )
    stage_types = (
        select(
            RatingUnit.team_id,
            RatingUnit.application_id,
            RatingUnit.skill_id,
            PlanStage.stage_type_id,
            RatingUnit.received_at,
            *counts,
        )
        .join(PlanStage, PlanStage.id == RatingUnit.plan_stage_id)
        .where(condition)
        .group_by(
            RatingUnit.team_id,
            RatingUnit.application_id,
            RatingUnit.skill_id,
            PlanStage.stage_type_id,
            RatingUnit.received_at,
        )
    )
    connection.execute(
        insert(StageTypeUnit).from_select(
            ["team_id", "application_id", "skill_id", "stage_type_id", "received_at", *names],
            stage_types,
        )
    )


def received_in(model, report_filter: ReportFilter):
    """The condition on the rows of ``model`` (a table of this module's with
    ``received_at``): of the applications received in the filter's
    range, to the jobs it leaves. The range is read off the copied ``received_at`` (by
    index); a job or level filter then narrows to those applications."""
    condition = and_(
        model.team_id == report_filter.team_id,
        model.received_at >= report_filter.start_at,
        model.received_at < report_filter.end_at,
    )
    if report_filter.job_id is None and report_filter.level_id is None:
        return condition
    return and_(condition, model.application_id.in_(report_filter.applications()))


def _count_of(column, value):
    return cast(func.sum(case((column == value, 1), else_=0)), Integer)


def _units(submitted) -> Select:
    """Per application, skill and plan stage: the counts of the values 1-4."""
    return (
        select(
            Scorecard.team_id,
            Scorecard.application_id,
            Application.created_at,
            Rating.skill_id,
            Interview.plan_stage_id,
            *(_count_of(Rating.score, value) for value in SCALE),
        )
        .join(Scorecard, Scorecard.id == Rating.scorecard_id)
        .join(Interview, Interview.id == Scorecard.interview_id)
        .join(Application, Application.id == Scorecard.application_id)
        .where(submitted, Rating.score.is_not(None))
        .group_by(
            Scorecard.team_id,
            Scorecard.application_id,
            Application.created_at,
            Rating.skill_id,
            Interview.plan_stage_id,
        )
    )


def _raters(submitted) -> Select:
    """Per application and interviewer: scorecards, recommendations, and the leniency sums
    (left-joined: an interviewer whom nobody else rated alongside has none)."""
    cards = (
        select(
            Scorecard.team_id,
            Scorecard.application_id,
            Application.created_at.label("received_at"),
            Scorecard.interviewer_id,
            func.count().label("scorecards"),
            *(
                _count_of(Scorecard.recommendation, value).label(f"recommended_{value}")
                for value in SCALE
            ),
        )
        .join(Application, Application.id == Scorecard.application_id)
        .where(submitted)
        .group_by(
            Scorecard.team_id,
            Scorecard.application_id,
            Application.created_at,
            Scorecard.interviewer_id,
        )
        .subquery("cards")
    )
    differences = _differences(submitted)
    return select(
        cards.c.team_id,
        cards.c.application_id,
        cards.c.received_at,
        cards.c.interviewer_id,
        cards.c.scorecards,
        *(cards.c[f"recommended_{value}"] for value in SCALE),
        func.coalesce(differences.c.compared, 0),
        func.coalesce(differences.c.total, 0.0),
        func.coalesce(differences.c.squares, 0.0),
        latest_decision(cards.c.application_id),
    ).outerjoin(
        differences,
        and_(
            differences.c.application_id == cards.c.application_id,
            differences.c.user_id == cards.c.interviewer_id,
        ),
    )


def _differences(submitted):
    """Per application and interviewer: n, the sum of d and of d^2 over the skills they
    and someone else rated. An interviewer who rated a skill twice (in two stages) is
    compared once, at their mean, with the others' mean."""
    # Counts are floats, so that the differences are worked out in floating point rather
    # than in NUMERIC.
    own = (
        select(
            Scorecard.interviewer_id.label("user_id"),
            Scorecard.application_id,
            Rating.skill_id,
            cast(func.sum(Rating.score), Float).label("own_sum"),
            cast(func.count(Rating.score), Float).label("own_n"),
        )
        .join(Scorecard, Scorecard.id == Rating.scorecard_id)
        .where(submitted, Rating.score.is_not(None))
        .group_by(Scorecard.application_id, Rating.skill_id, Scorecard.interviewer_id)
        .subquery("own")
    )
    unit = [own.c.application_id, own.c.skill_id]
    with_unit = select(
        own.c.user_id,
        own.c.application_id,
        own.c.own_sum,
        own.c.own_n,
        func.sum(own.c.own_sum).over(partition_by=unit).label("unit_sum"),
        func.sum(own.c.own_n).over(partition_by=unit).label("unit_n"),
    ).subquery("with_unit")
    d = (with_unit.c.own_sum / with_unit.c.own_n) - (
        (with_unit.c.unit_sum - with_unit.c.own_sum) / (with_unit.c.unit_n - with_unit.c.own_n)
    )
    rows = (
        select(with_unit.c.user_id, with_unit.c.application_id, d.label("d"))
        .where(with_unit.c.unit_n > with_unit.c.own_n)
        .subquery("differences")
    )
    return (
        select(
            rows.c.user_id,
            rows.c.application_id,
            func.count().label("compared"),
            func.sum(rows.c.d).label("total"),
            func.sum(rows.c.d * rows.c.d).label("squares"),
        )
        .group_by(rows.c.user_id, rows.c.application_id)
        .subquery("per_rater")
    )
