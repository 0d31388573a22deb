"""The pipeline board of a job: a column per plan stage, plus offer and hired."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, render_template, request, url_for
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from interviewer.auth.permissions import manager_required
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.candidates.pipeline import Move, MoveOption
from interviewer.dashboard import bp
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.access import get_job_or_404
from interviewer.plans.models import Job
from interviewer.scheduling.models import Interview, InterviewStatus

S = ApplicationStatus

#: Filter key -> (label, statuses shown); the first is the default.
FILTERS: dict[str, tuple[str, frozenset[ApplicationStatus]]] = {
    "current": ("In process", frozenset({S.ACTIVE, S.ON_HOLD, S.OFFER, S.HIRED})),
    "active": ("Active", frozenset({S.ACTIVE, S.OFFER, S.HIRED})),
    "on_hold": ("On hold", frozenset({S.ON_HOLD})),
    "all": ("All, incl. rejected and withdrawn", frozenset(S)),
}

#: The moves a card shows as buttons (forward and back); the others sit under "More moves".
PRIMARY_MOVES = (Move.ADVANCE, Move.OFFER, Move.HIRE, Move.RESUME, Move.REOPEN, Move.BACK)


@dataclass
class Card:
    application: Application
    days_in_stage: int
    next_interview: datetime | None
    #: When the latest interview of the current stage that has begun started.
    interviewed: datetime | None
    #: The current stage has an interview booked (past or to come), so it needs no booking.
    stage_booked: bool
    primary: list[MoveOption]
    others: list[MoveOption]


@dataclass
class Column:
    key: str
    title: str
    cards: list[Card] = field(default_factory=list)


def board_columns(
    session: Session, job: Job, statuses: frozenset[ApplicationStatus], now: datetime
) -> list[Column]:
    """The board's columns with their cards, in a fixed number of queries.

    ``job.stages`` must be loaded. Cards are ordered by time in the column, longest first.
    """
    stages = list(job.stages)
    applications = session.scalars(
        select(Application)
        .where(
            Application.team_id == job.team_id,
            Application.job_id == job.id,
            Application.status.in_(statuses),
        )
        .options(selectinload(Application.candidate))
        .order_by(Application.stage_entered_at, Application.id)
    ).all()
    interviews = interview_times(session, job, now)
    unstaged = Column("none", "No stage")
    columns = {stage.id: Column(str(stage.id), stage.name) for stage in stages}
    offer, hired = Column("offer", "Offer"), Column("hired", "Hired")
    for application in applications:
        options = pipeline.available_moves(application, stages)
        upcoming, interviewed, stage_booked = interviews.get(application.id, (None, None, False))
        card = Card(
            application=application,
            days_in_stage=pipeline.days_in_stage(application, now),
            next_interview=upcoming,
            interviewed=interviewed,
            stage_booked=stage_booked,
            primary=[o for o in options if o.move in PRIMARY_MOVES],
            others=[o for o in options if o.move not in PRIMARY_MOVES],
        )
        if application.status is S.OFFER:
            offer.cards.append(card)
        elif application.status is S.HIRED:
            hired.cards.append(card)
        else:
            columns.get(application.current_stage_id, unstaged).cards.append(card)
    return ([unstaged] if unstaged.cards else []) + list(columns.values()) + [offer, hired]


def interview_times(
    session: Session, job: Job, now: datetime
) -> dict[int, tuple[datetime | None, datetime | None, bool]]:
    """Per application of ``job``: the start of its next interview, of the latest one of its
    current stage that has begun, and whether its current stage has any interview booked
    (cancelled ones aside), in one query."""
    current_stage = Interview.plan_stage_id == Application.current_stage_id
    rows = session.execute(
        select(
            Interview.application_id,
            func.min(case((Interview.starts_at > now, Interview.starts_at))),
            func.max(case((and_(Interview.starts_at <= now, current_stage), Interview.starts_at))),
            func.count(case((current_stage, Interview.id))),
        )
        .join(Application, Application.id == Interview.application_id)
        .where(
            Application.job_id == job.id,
            Interview.team_id == job.team_id,
            Interview.status == InterviewStatus.SCHEDULED,
        )
        .group_by(Interview.application_id)
    )
    return {
        application_id: (upcoming, past, booked > 0)
        for application_id, upcoming, past, booked in rows
    }


def status_counts(session: Session, job: Job) -> dict[str, int]:
    """How many applications of ``job`` each filter shows."""
    per_status = dict(
        session.execute(
            select(Application.status, func.count())
            .where(Application.team_id == job.team_id, Application.job_id == job.id)
            .group_by(Application.status)
        ).all()
    )
    return {
        key: sum(per_status.get(status, 0) for status in statuses)
        for key, (_, statuses) in FILTERS.items()
    }


def one_column(columns: list[Column], key: str) -> tuple[list[Column], str]:
    """The column ``key`` alone (a stage id, ``offer`` or ``hired``) and the key; all the
    columns and ``""`` when no column has that key."""
    chosen = [column for column in columns if column.key == key]
    return (chosen, key) if chosen else (columns, "")


def _plan_url(job: Job) -> str:
    """Where the plan of ``job`` is built (its job page where the plan builder is absent)."""
    if "plans.plan" in current_app.view_functions:
        return url_for("plans.plan", job_id=job.id)
    return url_for("plans.job", job_id=job.id)


@bp.route("/jobs/<int:job_id>/board")
@manager_required
def board(job_id: int):
    """A job's candidates by plan stage, with the moves each can make; ``?stage=`` shows one
    column (the dashboard's counts link there)."""
    job = get_job_or_404(job_id, selectinload(Job.stages), selectinload(Job.level))
    status_filter = request.args.get("status", "current")
    if status_filter not in FILTERS:
        status_filter = "current"
    counts = status_counts(db.session, job) if job.stages else {}
    columns = (
        board_columns(db.session, job, FILTERS[status_filter][1], utcnow()) if job.stages else []
    )
    columns, stage_filter = one_column(columns, request.args.get("stage", ""))
    kept = {"stage": stage_filter} if stage_filter else {}
    return render_template(
        "dashboard/board.html",
        job=job,
        columns=columns,
        counts=counts,
        filters=FILTERS,
        status_filter=status_filter,
        stage_filter=stage_filter,
        plan_url=_plan_url(job),
        here=url_for("dashboard.board", job_id=job.id, status=status_filter, **kept),
    )
