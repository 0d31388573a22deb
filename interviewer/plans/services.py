"""The rules of jobs and plans."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from interviewer import audit
from interviewer.auth.models import Role, Team, User
from interviewer.catalog.models import Level
from interviewer.plans.coverage import Coverage, coverage_for
from interviewer.plans.models import (
    BUILTIN_STAGE_TYPES,
    EmploymentType,
    Job,
    JobStatus,
    StageType,
    Workplace,
)

#: The fields of a job that a manager edits (``save_job`` takes them as a mapping).
JOB_FIELDS = (
    "level_id",
    "title",
    "slug",
    "description",
    "location",
    "workplace",
    "employment_type",
    "contract_months",
    "salary_min",
    "salary_max",
    "salary_currency",
    "posted_on",
    "closes_on",
    "hiring_manager_id",
)

#: The moves a job's status may make.
TRANSITIONS = {
    JobStatus.DRAFT: {JobStatus.OPEN},
    JobStatus.OPEN: {JobStatus.CLOSED},
    JobStatus.CLOSED: {JobStatus.OPEN},
}

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class JobError(ValueError):
    """A job cannot be saved or moved as asked; the message says why.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class OutsideBandError(JobError):
    """The salary range leaves the level's band: saved only when the manager confirms."""


def ensure_team_defaults(session: Session, team: Team) -> None:
    """Give ``team`` the built-in stage types it does not have yet."""
    existing = set(session.scalars(select(StageType.key).where(StageType.team_id == team.id)).all())
    for key, name in BUILTIN_STAGE_TYPES.items():
        if key not in existing:
            session.add(StageType(team_id=team.id, key=key, name=name, builtin=True))
    session.flush()


def slugify(text: str) -> str:
    """``"Senior Backend Developer (Go)"`` -> ``"senior-backend-developer-go"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:150] or "job"


def _slug_taken(session: Session, team_id: int, slug: str, job_id: int | None) -> bool:
    query = select(Job.id).where(Job.team_id == team_id, Job.slug == slug)
    if job_id is not None:
        query = query.where(Job.id != job_id)
    return session.scalar(query) is not None


def unique_slug(session: Session, team_id: int, title: str, job_id: int | None = None) -> str:
    """A slug made from ``title`` that no other job of the team uses (``-2``, ``-3``... added)."""
    base = slugify(title)
    taken = set(
        session.scalars(
            select(Job.slug).where(
                Job.team_id == team_id,
                Job.slug.like(f"{base}%"),
                Job.id != (job_id or 0),
            )
        ).all()
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def team_levels(session: Session, team_id: int) -> list[Level]:
    return list(
        session.scalars(select(Level).where(Level.team_id == team_id).order_by(Level.position))
    )


def team_managers(session: Session, team_id: int) -> list[User]:
    """The team's active admins and hiring managers: who may own a job."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.team_id == team_id,
                User.active.is_(True),
                User.role.in_((Role.ADMIN, Role.HIRING_MANAGER)),
            )
            .order_by(User.name)
        )
    )


def band_problem(
    level: Level, salary_min: Decimal | None, salary_max: Decimal | None, currency: str
) -> str | None:
    """Why the range leaves ``level``'s salary band, or ``None`` when it stays inside."""
    if level.salary_min is None and level.salary_max is None:
        return None
    if salary_min is None and salary_max is None:
        return None
    band = f"{_money(level.salary_min)}–{_money(level.salary_max)} {level.salary_currency}"
    if currency != level.salary_currency:
        return f"The {level.name} band is in {level.salary_currency} ({band}), not {currency}."
    below = (
        salary_min is not None and level.salary_min is not None and salary_min < level.salary_min
    )
    above = (
        salary_max is not None and level.salary_max is not None and salary_max > level.salary_max
    )
    if below or above:
        return f"The range is outside the {level.name} band of {band}."
    return None


def _money(value: Decimal | None) -> str:
    return "…" if value is None else f"{int(value):,}"


def twin_open_job(
    session: Session, team_id: int, title: str, location: str | None, job_id: int | None = None
) -> Job | None:
    """Another open job of the team with the same title and location (case and spaces
    aside), which candidates could not tell from a job called ``title`` at ``location``."""

    def plain(column):
        return func.lower(func.trim(func.coalesce(column, "")))

    return session.scalar(
        select(Job)
        .where(
            Job.team_id == team_id,
            Job.status == JobStatus.OPEN,
            Job.id != (job_id or 0),
            plain(Job.title) == " ".join((title or "").split()).lower(),
            plain(Job.location) == (location or "").strip().lower(),
        )
        .order_by(Job.id)
        .limit(1)
    )


def twin_message(twin: Job) -> str:
    """What to do when a job would look like ``twin`` on the careers page."""
    where = f" ({twin.location})" if (twin.location or "").strip() else " (no location)"
    return (
        f"The open job “{twin.title}”{where} has this title too: give this one a location "
        "that tells them apart, or name its team in the title."
    )


def _validate(session: Session, team_id: int, job: Job | None, values: dict[str, Any]) -> Level:
    """Check the values that forms cannot check alone; returns the job's level."""
    level = session.scalar(
        select(Level).where(Level.team_id == team_id, Level.id == values["level_id"])
    )
    if level is None:
        raise JobError("Choose one of the team's levels.", "level_id")
    if not (values["title"] or "").strip():
        raise JobError("Give the job a title.", "title")
    manager_id = values.get("hiring_manager_id")
    if manager_id and manager_id not in {u.id for u in team_managers(session, team_id)}:
        raise JobError("Choose one of the team's hiring managers.", "hiring_manager_id")
    low, high = values["salary_min"], values["salary_max"]
    if low is not None and high is not None and low > high:
        raise JobError("The maximum must not be below the minimum.", "salary_max")
    posted, closes = values["posted_on"], values["closes_on"]
    if posted and closes and closes <= posted:
        raise JobError("The closing date must come after the posting date.", "closes_on")
    if values["employment_type"] == EmploymentType.CONTRACT and not values["contract_months"]:
        raise JobError("A contract needs its length in months.", "contract_months")
    slug = values["slug"]
    if not SLUG_PATTERN.match(slug):
        raise JobError("Use lower-case letters, digits and single hyphens.", "slug")
    if _slug_taken(session, team_id, slug, job.id if job else None):
        raise JobError("Another job of the team already has this address.", "slug")
    twin = twin_open_job(
        session, team_id, values["title"], values["location"], job.id if job else None
    )
    if twin is not None:
        raise JobError(twin_message(twin), "location")
    if job is not None and job.status == JobStatus.OPEN:
        # An open posting stays honest: its range and closing date cannot be taken away.
        if low is None or high is None:
            raise JobError("An open job needs both ends of its salary range.", "salary_min")
        if closes is None:
            raise JobError("An open job needs a closing date.", "closes_on")
    return level


def save_job(
    session: Session,
    *,
    team: Team,
    actor: User | None,
    values: Mapping[str, Any],
    job: Job | None = None,
    confirm_outside_band: bool = False,
) -> Job:
    """Create a job (``job`` is ``None``) or change one, from ``values`` keyed by ``JOB_FIELDS``.

    Raises ``JobError`` naming the field at fault, and ``OutsideBandError`` when the salary
    range leaves the level's band and ``confirm_outside_band`` is not set.
    """
    values = {name: values.get(name) for name in JOB_FIELDS}
    values["title"] = (values["title"] or "").strip()
    values["employment_type"] = EmploymentType(values["employment_type"] or "employee")
    values["workplace"] = Workplace(values["workplace"] or "onsite")
    values["salary_currency"] = (values["salary_currency"] or "USD").strip().upper()
    if values["employment_type"] == EmploymentType.EMPLOYEE:
        values["contract_months"] = None
    for name in ("description", "location"):
        values[name] = (values[name] or "").strip()
    values["hiring_manager_id"] = values["hiring_manager_id"] or None
    slug = (values["slug"] or "").strip().lower()
    values["slug"] = slug or unique_slug(session, team.id, values["title"], job.id if job else None)
    level = _validate(session, team.id, job, values)
    if not confirm_outside_band:
        problem = band_problem(
            level, values["salary_min"], values["salary_max"], values["salary_currency"]
        )
        if problem:
            raise OutsideBandError(problem, "salary_min")

    creating = job is None
    if creating:
        job = Job(team_id=team.id, status=JobStatus.DRAFT)
        session.add(job)
        changed = list(values)
    else:
        changed = [name for name, value in values.items() if getattr(job, name) != value]
    for name, value in values.items():
        setattr(job, name, value)
    session.flush()
    if creating or changed:
        audit.record(
            session,
            team_id=team.id,
            actor=actor,
            action="job.created" if creating else "job.updated",
            subject=job,
            fields=sorted(changed),
        )
    return job


def opening_problems(
    session: Session, job: Job, today: date | None = None, coverage: Coverage | None = None
) -> list[str]:
    """Everything that keeps ``job`` from opening, in plain words (empty when it may open)."""
    today = today or date.today()
    coverage = coverage or coverage_for(session, job)
    problems = []
    names = ", ".join(skill.name for skill in coverage.uncovered_skills)
    if not coverage.stages:
        problems.append(
            "the job has no interview plan yet" + (f"; it must assess {names}" if names else "")
        )
    elif names:
        problems.append(f"no stage assesses {names}")
    if job.salary_min is None or job.salary_max is None:
        problems.append("the posting has no salary range with both ends")
    if job.closes_on is None:
        problems.append("the posting has no closing date")
    elif job.closes_on <= today:
        problems.append("the closing date is not in the future")
    if job.employment_type == EmploymentType.CONTRACT and not job.contract_months:
        problems.append("the contract has no length")
    if twin := twin_open_job(session, job.team_id, job.title, job.location, job.id):
        problems.append(
            f"the open job “{twin.title}” has the same title and location; give this one a "
            "location that tells them apart, or name its team in the title"
        )
    return problems


def change_status(
    session: Session, job: Job, status: JobStatus, actor: User | None, today: date | None = None
) -> Job:
    """Move ``job`` to ``status`` (open or closed); refuses an illegal move with a clear error.

    Opening needs full coverage of the level's skills and an honest posting (salary range,
    closing date, contract length); the posting date becomes the opening day if unset or later.
    """
    today = today or date.today()
    if status not in TRANSITIONS[job.status]:
        raise JobError(f"A {job.status.value} job cannot be made {status.value}.")
    if status == JobStatus.OPEN:
        problems = opening_problems(session, job, today)
        if problems:
            raise JobError(f"{job.title} cannot open yet: {'; '.join(problems)}.")
        if job.posted_on is None or job.posted_on > today:
            job.posted_on = today
    previous = job.status
    job.status = status
    session.flush()
    action = "job.opened" if status == JobStatus.OPEN else "job.closed"
    audit.record(
        session,
        team_id=job.team_id,
        actor=actor,
        action=action,
        subject=job,
        previous=previous.value,
    )
    return job


def jobs_query(team_id: int, status: JobStatus | None = None) -> Select:
    """The team's jobs, open first, then drafts, then closed ones, by title."""
    query = select(Job).where(Job.team_id == team_id)
    if status is not None:
        query = query.where(Job.status == status)
    rank = case({JobStatus.OPEN: 0, JobStatus.DRAFT: 1}, value=Job.status, else_=2)
    # The level is one row per job: joined, not a statement of its own.
    return query.options(joinedload(Job.level), selectinload(Job.stages)).order_by(
        rank, Job.title, Job.id
    )


def status_counts(session: Session, team_id: int) -> dict[JobStatus, int]:
    """How many of the team's jobs are in each status (every status present)."""
    rows = session.execute(
        select(Job.status, func.count()).where(Job.team_id == team_id).group_by(Job.status)
    ).all()
    counts = dict.fromkeys(JobStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts
