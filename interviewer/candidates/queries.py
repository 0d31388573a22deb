"""Read-side queries of the candidate pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row, Select, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from interviewer.candidates.models import (
    Application,
    ApplicationStatus,
    Candidate,
    CandidateSource,
)
from interviewer.db import in_team
from interviewer.pagination import KeysetPage, Order, keyset_page
from interviewer.plans.models import Job, JobStatus, PlanStage


def open_jobs(session: Session, team_id: int) -> list[Job]:
    """The team's jobs that take candidates (open and draft ones) with their plans, by title."""
    return session.scalars(
        in_team(Job, team_id)
        .where(Job.status != JobStatus.CLOSED)
        .options(selectinload(Job.stages))
        .order_by(Job.title)
    ).all()


#: How the candidates list can be sorted: the query-string value and what the menu says.
CANDIDATE_SORTS = {
    "name": "Name",
    "newest": "Newest first",
    "activity": "Last activity",
}


@dataclass(frozen=True)
class CandidateFilters:
    """What the candidates list is narrowed to (``None``: any); applications must match all
    of job, stage and status at once. ``source`` is the team's source ``source_id`` names
    (``None`` when it names none of the team's: then nothing matches)."""

    query: str = ""
    job_id: int | None = None
    stage_id: int | None = None
    status: ApplicationStatus | None = None
    sort: str = "name"
    source_id: int | None = None
    source: CandidateSource | None = None

    @property
    def narrowed(self) -> bool:
        return bool(self.query or self.job_id or self.stage_id or self.status or self.source_id)

    def args(self) -> dict[str, str | int]:
        """The query string that gives this list again (for the pages' links)."""
        values = {
            "q": self.query,
            "job": self.job_id,
            "stage": self.stage_id,
            "status": self.status.value if self.status else None,
            "source": self.source_id,
            "sort": self.sort if self.sort != "name" else None,
        }
        return {key: value for key, value in values.items() if value}


#: Searches at least this long match anywhere in a name or email; shorter ones match the
#: start of a word of the name or the start of the email: a trigram index finds those, but
#: not one or two letters inside a word (it would read the whole index).
TRIGRAM_LENGTH = 3


def candidate_order(sort: str) -> Order:
    """The order of the candidates list for ``sort`` (a key of ``CANDIDATE_SORTS``)."""
    column = {"newest": Candidate.created_at, "activity": Candidate.last_activity_at}.get(
        sort, Candidate.name
    )
    return Order(column, Candidate.id, descending=sort in ("newest", "activity"))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _application_conditions(filters: CandidateFilters) -> list:
    """What one of a candidate's applications must match for them to be listed."""
    return [
        condition
        for value, condition in (
            (filters.job_id, Application.job_id == filters.job_id),
            (filters.stage_id, Application.current_stage_id == filters.stage_id),
            (filters.status, Application.status == filters.status),
        )
        if value
    ]


def matching_candidates(team_id: int, filters: CandidateFilters) -> Select:
    """The team's candidates ``filters`` narrow to, unordered: what the list shows and counts."""
    statement = in_team(Candidate, team_id)
    if filters.query:
        text = _escaped(filters.query.lower())
        # ILIKE on the bare columns is what the trigram indexes answer on PostgreSQL.
        if len(filters.query) >= TRIGRAM_LENGTH:
            conditions = [
                Candidate.name.ilike(f"%{text}%", escape="\\"),
                Candidate.email.ilike(f"%{text}%", escape="\\"),
            ]
        else:
            # The start of a word: the index pads a word's start, so it finds these too.
            conditions = [
                Candidate.name.ilike(f"{text}%", escape="\\"),
                Candidate.name.ilike(f"% {text}%", escape="\\"),
                Candidate.email.ilike(f"{text}%", escape="\\"),
            ]
        statement = statement.where(or_(*conditions))
    if filters.source_id:
        statement = statement.where(
            Candidate.source == filters.source.name if filters.source is not None else false()
        )
    matching = _application_conditions(filters)
    if matching:
        statement = statement.where(
            Candidate.id.in_(
                select(Application.candidate_id).where(Application.team_id == team_id, *matching)
            )
        )
    return statement


def candidates_page(
    session: Session,
    team_id: int,
    filters: CandidateFilters,
    *,
    per_page: int,
    page: int = 1,
    after: str | None = None,
    before: str | None = None,
) -> KeysetPage:
    """The page of the candidates list after (or before) a cursor, with their applications,
    each joined to its job and stage, loaded in one more statement however many rows a page
    has."""
    on_applications = _application_conditions(filters)
    counted = None
    if on_applications and not (filters.query or filters.source_id):
        # Narrowed by applications only: count their candidates from the applications'
        # index, not by joining every candidate of the team.
        counted = (
            select(Application.candidate_id)
            .where(Application.team_id == team_id, *on_applications)
            .distinct()
        )
    return keyset_page(
        session,
        matching_candidates(team_id, filters),
        candidate_order(filters.sort),
        per_page=per_page,
        page=page,
        after=after,
        before=before,
        counted=counted,
        options=(
            # A row names the job and stage alone: their other columns stay unread.
            selectinload(Candidate.applications)
            .joinedload(Application.job)
            .load_only(Job.title, Job.status),
            selectinload(Candidate.applications)
            .joinedload(Application.current_stage)
            .load_only(PlanStage.name, PlanStage.position),
        ),
    )


def filter_stages(session: Session, team_id: int, job_id: int | None) -> list[Row]:
    """The stages the stage filter offers: the chosen job's, else every job's, by job; each
    row has the stage's ``id`` and ``name``, and its ``job_id`` and ``job_title``."""
    statement = (
        select(PlanStage.id, PlanStage.name, PlanStage.job_id, Job.title.label("job_title"))
        .join(PlanStage.job)
        .where(PlanStage.team_id == team_id)
        .order_by(Job.title, Job.id, PlanStage.position)
    )
    if job_id:
        statement = statement.where(PlanStage.job_id == job_id)
    return session.execute(statement).all()


def team_jobs(session: Session, team_id: int) -> list[Row]:
    """Every job of the team (closed ones too: their candidates are still listed), by title:
    rows of its ``id``, ``title`` and ``status``."""
    return session.execute(
        select(Job.id, Job.title, Job.status)
        .where(Job.team_id == team_id)
        .order_by(Job.title, Job.id)
    ).all()


def source_counts(session: Session, team_id: int) -> dict[str, int]:
    """How many of the team's candidates carry each source name (one query)."""
    return dict(
        session.execute(
            select(Candidate.source, func.count())
            .where(Candidate.team_id == team_id, Candidate.source != "")
            .group_by(Candidate.source)
        ).all()
    )
