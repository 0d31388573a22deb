"""Read-side queries of the candidate pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, false, func, or_, select, tuple_
from sqlalchemy.orm import Session, contains_eager, selectinload

from interviewer.candidates.models import (
    Application,
    ApplicationStatus,
    Candidate,
    CandidateSource,
)
from interviewer.db import in_team
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


#: The list counts matching candidates exactly up to this many, then says "10,000+".
COUNT_LIMIT = 10_000

#: Searches at least this long match anywhere in a name or email; shorter ones match the
#: start of a word of the name or the start of the email: a trigram index finds those, but
#: not one or two letters inside a word (it would read the whole index).
TRIGRAM_LENGTH = 3


def _sort_columns(sort: str):
    """The columns the list is ordered by (the last is the id, which breaks ties)."""
    return {
        "newest": (Candidate.created_at, Candidate.id),
        "activity": (Candidate.last_activity_at, Candidate.id),
    }.get(sort, (Candidate.name, Candidate.id))


def _descending(sort: str) -> bool:
    return sort in ("newest", "activity")


def sort_key(candidate: Candidate, sort: str) -> str:
    """The cursor of ``candidate`` in the list sorted by ``sort``: its sort value and id."""
    value = {
        "newest": lambda: candidate.created_at.isoformat(),
        "activity": lambda: candidate.last_activity_at.isoformat(),
    }.get(sort, lambda: candidate.name)()
    return f"{value}~{candidate.id}"


def parse_key(text: str | None, sort: str):
    """The (value, id) a cursor from :func:`sort_key` names, or ``None`` if it names none."""
    if not text or "~" not in text:
        return None
    value, _, number = text.rpartition("~")
    if not number.isdigit() or len(number) > 18:
        return None
    if sort in ("newest", "activity"):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
        if value.tzinfo is None:
            return None
    return value, int(number)


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


def candidates_statement(
    team_id: int,
    filters: CandidateFilters,
    after=None,
    before=None,
) -> Select:
    """The team's candidates as ``filters`` narrow and sort them, from just after the cursor
    ``after`` (or, reading backwards, just before ``before``), with their applications' jobs
    and stages loaded in two more statements however many rows a page has.

    Reading backwards the rows come in reverse order. The cursor's comparison and the order
    both follow an index that starts with the team, so a deep page costs what a first does.
    """
    columns = _sort_columns(filters.sort)
    descending = _descending(filters.sort)
    statement = matching_candidates(team_id, filters).options(
        selectinload(Candidate.applications).selectinload(Application.job),
        selectinload(Candidate.applications).selectinload(Application.current_stage),
    )
    backwards = before is not None
    cursor = before if backwards else after
    if cursor is not None:
        row = tuple_(*columns)
        forward_is_up = not descending
        up = forward_is_up != backwards
        statement = statement.where(row > tuple_(*cursor) if up else row < tuple_(*cursor))
    ascending = not descending if not backwards else descending
    return statement.order_by(*(c.asc() if ascending else c.desc() for c in columns))


def count_candidates(session: Session, team_id: int, filters: CandidateFilters) -> int:
    """How many candidates ``filters`` match, counted up to ``COUNT_LIMIT + 1`` at most so a
    count over the whole history stays cheap; more than ``COUNT_LIMIT`` means "that many+"."""
    on_applications = _application_conditions(filters)
    if on_applications and not (filters.query or filters.source_id):
        # Narrowed by applications only: count their candidates from the applications'
        # index, not by joining every candidate of the team.
        bounded = (
            select(Application.candidate_id)
            .where(Application.team_id == team_id, *on_applications)
            .distinct()
            .limit(COUNT_LIMIT + 1)
            .subquery()
        )
    else:
        bounded = (
            matching_candidates(team_id, filters)
            .with_only_columns(Candidate.id)
            .limit(COUNT_LIMIT + 1)
            .subquery()
        )
    return session.scalar(select(func.count()).select_from(bounded))


def filter_stages(session: Session, team_id: int, job_id: int | None) -> list[PlanStage]:
    """The stages the stage filter offers: the chosen job's, else every job's, with the job."""
    statement = (
        in_team(PlanStage, team_id)
        .join(PlanStage.job)
        .options(contains_eager(PlanStage.job))
        .order_by(Job.title, Job.id, PlanStage.position)
    )
    if job_id:
        statement = statement.where(PlanStage.job_id == job_id)
    return session.scalars(statement).all()


def team_jobs(session: Session, team_id: int) -> list[Job]:
    """Every job of the team (closed ones too: their candidates are still listed), by title."""
    return session.scalars(in_team(Job, team_id).order_by(Job.title, Job.id)).all()


def source_counts(session: Session, team_id: int) -> dict[str, int]:
    """How many of the team's candidates carry each source name (one query)."""
    return dict(
        session.execute(
            select(Candidate.source, func.count())
            .where(Candidate.team_id == team_id, Candidate.source != "")
            .group_by(Candidate.source)
        ).all()
    )


@dataclass(frozen=True)
class CandidatePage:
    """One page of the candidates list and the cursors of its neighbours.

    ``total`` is exact when ``total_is_exact``, else the list holds more than ``COUNT_LIMIT``;
    ``pages`` is ``None`` when it is not known.
    """

    items: list[Candidate]
    page: int
    total: int
    total_is_exact: bool
    has_prev: bool
    has_next: bool
    prev_key: str | None
    next_key: str | None
    per_page: int

    @property
    def pages(self) -> int | None:
        if not self.total_is_exact:
            return None
        return max(1, -(-self.total // self.per_page))


def candidates_page(
    session: Session,
    team_id: int,
    filters: CandidateFilters,
    *,
    per_page: int,
    page: int = 1,
    after: str | None = None,
    before: str | None = None,
) -> CandidatePage:
    """The page of the candidates list after (or before) a cursor of :func:`sort_key`.

    Without a cursor, page ``page`` by OFFSET (the list's own links carry cursors; a page
    number alone comes from a typed or old link). Four statements however deep the page.
    """
    after_key, before_key = parse_key(after, filters.sort), parse_key(before, filters.sort)
    statement = candidates_statement(team_id, filters, after=after_key, before=before_key)
    page = max(page, 1)
    if after_key is None and before_key is None:
        statement = statement.offset((page - 1) * per_page)
    rows = list(session.scalars(statement.limit(per_page + 1)).all())
    more = len(rows) > per_page
    rows = rows[:per_page]
    total = count_candidates(session, team_id, filters)
    exact = total <= COUNT_LIMIT
    if before_key is not None:
        rows.reverse()
        has_prev, has_next = more, True
    else:
        has_prev, has_next = bool(after_key) or page > 1, more
    if not rows and not exact and page > 1:
        # Past the end of a list longer than the bounded count: only now count it all.
        total = session.scalar(
            select(func.count()).select_from(
                matching_candidates(team_id, filters).with_only_columns(Candidate.id).subquery()
            )
        )
        exact = True
    return CandidatePage(
        items=rows,
        page=page,
        total=total,
        total_is_exact=exact,
        has_prev=has_prev and bool(rows),
        has_next=has_next and bool(rows),
        prev_key=sort_key(rows[0], filters.sort) if rows and has_prev else None,
        next_key=sort_key(rows[-1], filters.sort) if rows and has_next else None,
        per_page=per_page,
    )
