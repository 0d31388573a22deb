"""The pipeline board of a job: a column per plan stage, plus offer and hired.

Each column shows one page of cards, the longest waiting first, and says how many it holds;
a column's further pages open on the board of that column alone (``?stage=<key>&page=2``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, render_template, request, url_for
from sqlalchemy import and_, case, func, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from interviewer.auth.permissions import manager_required
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.dashboard import bp
from interviewer.dashboard.board_bulk import BULK_MOVES
from interviewer.dashboard.board_cards import (
    STATUS_COLUMNS,
    UNSTAGED,
    Card,
    CardUrls,
    MoveSet,
    column_key,
    make_card,
    move_set,
)
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.kept import kept
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


@dataclass
class Column:
    key: str
    title: str
    #: How many applications the column holds under the status filter (more than it shows).
    total: int = 0
    #: The page of cards shown (1 is the longest waiting).
    page: int = 1
    per_page: int = 25
    cards: list[Card] = field(default_factory=list)

    @property
    def first(self) -> int:
        """The position of the first card shown, counting from 1."""
        return (self.page - 1) * self.per_page + 1

    @property
    def has_more(self) -> bool:
        return self.page * self.per_page < self.total


@dataclass
class Board:
    """What the board shows: its columns, and how many applications each filter shows."""

    columns: list[Column]
    #: Every column with its total, shown or not (the stage picker lists them).
    stages: list[Column]
    counts: dict[str, int]
    #: The key of the one column shown, ``""`` when all are.
    stage_filter: str

    def kept(self) -> dict[str, str | int]:
        """The query arguments that bring back this view of the board (after a move)."""
        if not self.stage_filter:
            return {}
        page = self.columns[0].page
        return {"stage": self.stage_filter, **({"page": page} if page > 1 else {})}


def application_counts(
    session: Session, job: Job
) -> dict[tuple[ApplicationStatus, int | None], int]:
    """How many applications of ``job`` each (status, current stage) holds, in one query."""
    rows = session.execute(
        select(Application.status, Application.current_stage_id, func.count())
        .where(Application.team_id == job.team_id, Application.job_id == job.id)
        .group_by(Application.status, Application.current_stage_id)
    )
    return {(status, stage_id): number for status, stage_id, number in rows}


def filter_counts(counts: dict[tuple[ApplicationStatus, int | None], int]) -> dict[str, int]:
    """How many applications each filter shows."""
    return {
        key: sum(number for (status, _), number in counts.items() if status in statuses)
        for key, (_, statuses) in FILTERS.items()
    }


def empty_columns(job: Job, totals: dict[str, int], per_page: int) -> list[Column]:
    """The board's columns in order, with their totals and no cards yet: "No stage" (only
    when it holds someone), one per plan stage, then offer and hired."""
    keyed = [(str(stage.id), stage.name) for stage in job.stages]
    keyed += [("offer", "Offer"), ("hired", "Hired")]
    if totals.get(UNSTAGED):
        keyed.insert(0, (UNSTAGED, "No stage"))
    return [Column(key, title, totals.get(key, 0), per_page=per_page) for key, title in keyed]


def _column_page(job: Job, column: Column, statuses: frozenset[ApplicationStatus]):
    """The ids of the applications on the page of ``column`` that is shown."""
    where = [
        Application.team_id == job.team_id,
        Application.job_id == job.id,
    ]
    if column.key in STATUS_COLUMNS:
        where.append(Application.status == STATUS_COLUMNS[column.key])
    else:
        where.append(Application.status.in_(statuses - set(STATUS_COLUMNS.values())))
        where.append(
            Application.current_stage_id.is_(None)
            if column.key == UNSTAGED
            else Application.current_stage_id == int(column.key)
        )
    page = (
        select(Application.id)
        .where(*where)
        .order_by(Application.stage_entered_at, Application.id)
        .limit(column.per_page)
        .offset(column.first - 1)
        .subquery()
    )
    return select(page.c.id)


def fill_columns(
    session: Session,
    job: Job,
    columns: list[Column],
    statuses: frozenset[ApplicationStatus],
    now: datetime,
) -> None:
    """Put on each column the cards of its page, in three queries whatever the columns hold.

    ``job.stages`` must be loaded. Cards are ordered by time in the column, longest first.
    """
    pages = [_column_page(job, column, statuses) for column in columns if column.total]
    if not pages:
        return
    applications = session.scalars(
        select(Application)
        .where(Application.id.in_(union_all(*pages)))
        .options(joinedload(Application.candidate, innerjoin=True))
        .order_by(Application.stage_entered_at, Application.id)
    ).all()
    shown = [application.id for application in applications]
    interviews = interview_times(session, job.team_id, shown, now)
    stages = list(job.stages)
    by_key = {column.key: column for column in columns}
    urls = CardUrls()
    move_sets: dict[tuple, MoveSet] = {}
    for application in applications:
        state = pipeline.move_state(application)
        if state not in move_sets:
            move_sets[state] = move_set(application, stages)
        upcoming, interviewed, stage_booked = interviews.get(application.id, (None, None, False))
        by_key[column_key(application.status, application.current_stage_id)].cards.append(
            make_card(application, move_sets[state], urls, now, upcoming, interviewed, stage_booked)
        )


def interview_times(
    session: Session, team_id: int, application_ids: list[int], now: datetime
) -> dict[int, tuple[datetime | None, datetime | None, bool]]:
    """Per application of ``application_ids`` (the cards shown): the start of its next
    interview, of the latest one of its current stage that has begun, and whether its current
    stage has any interview booked (cancelled ones aside), in one query."""
    if not application_ids:
        return {}
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
            Interview.team_id == team_id,
            Interview.application_id.in_(application_ids),
            # Said of both sides, so the plan reads the shown applications by key alone.
            Application.id.in_(application_ids),
            Interview.status == InterviewStatus.SCHEDULED,
        )
        .group_by(Interview.application_id)
    )
    return {
        application_id: (upcoming, past, booked > 0)
        for application_id, upcoming, past, booked in rows
    }


def board_for(
    session: Session,
    job: Job,
    status_filter: str,
    stage_filter: str,
    page: int,
    per_page: int,
    now: datetime,
) -> Board:
    """The board of ``job`` under the filters: every column at its first page, or the column
    ``stage_filter`` alone at ``page`` (the last page when ``page`` is past it); an unknown
    stage shows every column."""
    counts = application_counts(session, job)
    statuses = FILTERS[status_filter][1]
    totals: dict[str, int] = {}
    for (status, stage_id), number in counts.items():
        if status in statuses:
            key = column_key(status, stage_id)
            totals[key] = totals.get(key, 0) + number
    every = empty_columns(job, totals, per_page)
    columns = [column for column in every if column.key == stage_filter] or every
    if columns is not every:
        last = max(1, -(-columns[0].total // per_page))
        columns[0].page = min(max(page, 1), last)
    fill_columns(session, job, columns, statuses, now)
    shown = stage_filter if columns is not every else ""
    return Board(columns, every, filter_counts(counts), shown)


def _bulk_bar(job: Job) -> dict:
    """What the bulk bar offers, and the cards a bulk move left ticked (``?selected=3,5``;
    anything else in it is ignored)."""
    ticked = request.args.get("selected", "").split(",")[:200]
    return {
        "selected": {int(part) for part in ticked if part.strip().isdigit()},
        "bulk_moves": BULK_MOVES,
        "reject_reasons": pipeline.reject_reasons(job.team_id),
    }


def _plan_url(job: Job) -> str:
    """Where the plan of ``job`` is built (its job page where the plan builder is absent)."""
    if "plans.plan" in current_app.view_functions:
        return url_for("plans.plan", job_id=job.id)
    return url_for("plans.job", job_id=job.id)


@bp.route("/jobs/<int:job_id>/board")
@manager_required
@kept
def board(job_id: int):
    """A job's candidates by plan stage, a page of cards per column, with the moves each can
    make; ``?stage=`` shows one column (the dashboard's counts link there) and ``&page=`` its
    further pages."""
    job = get_job_or_404(job_id, selectinload(Job.stages), selectinload(Job.level))
    status_filter = request.args.get("status", "current")
    if status_filter not in FILTERS:
        status_filter = "current"
    shown = Board([], [], {}, "")
    if job.stages:
        shown = board_for(
            db.session,
            job,
            status_filter,
            request.args.get("stage", ""),
            request.args.get("page", 1, type=bounded_int),
            current_app.config["BOARD_PER_COLUMN"],
            utcnow(),
        )
    return render_template(
        "dashboard/board.html",
        job=job,
        board=shown,
        filters=FILTERS,
        **_bulk_bar(job),
        status_filter=status_filter,
        plan_url=_plan_url(job),
        here=url_for("dashboard.board", job_id=job.id, status=status_filter, **shown.kept()),
    )
