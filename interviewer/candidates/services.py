"""Candidates and their applications to jobs."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from interviewer import audit
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Team, User
from interviewer.candidates import pipeline, signals
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.db import utcnow
from interviewer.plans.models import Job, JobStatus


class CandidateError(ValueError):
    """A candidate's details clash with another candidate of the team."""


class ApplicationError(ValueError):
    """A candidate cannot apply to a job (closed, no plan, already applied)."""


# Candidates ---------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_links(links: str) -> str:
    """One link per line, without blank lines or surrounding spaces."""
    return "\n".join(line.strip() for line in links.splitlines() if line.strip())


def find_by_email(session: Session, team_id: int, email: str) -> Candidate | None:
    """The team's candidate with ``email``, whatever its case."""
    return session.scalar(
        select(Candidate).where(
            Candidate.team_id == team_id,
            func.lower(Candidate.email) == normalise_email(email),
        )
    )


def add_candidate(
    session: Session,
    team: Team,
    *,
    name: str,
    email: str,
    phone: str = "",
    links: str = "",
    source: str = "",
    notes: str = "",
    timezone: str | None = None,
    actor: User | None = None,
) -> tuple[Candidate, bool]:
    """Add a candidate to ``team``, returning it and whether it is new.

    One email is one person within a team: when the email (in any case) is already
    known, the existing candidate comes back unchanged and ``False``. ``timezone`` is an
    IANA name, or ``None`` for the team's zone.
    """
    existing = find_by_email(session, team.id, email)
    if existing is not None:
        return existing, False
    candidate = Candidate(
        team=team,
        name=name.strip(),
        email=normalise_email(email),
        phone=phone.strip(),
        links=normalise_links(links),
        source=source.strip(),
        notes=notes.strip(),
        timezone=timezone or None,
    )
    session.add(candidate)
    session.flush()
    audit.record(
        session, team_id=team.id, actor=actor, action="candidate.created", subject=candidate
    )
    return candidate, True


def update_candidate(
    session: Session,
    candidate: Candidate,
    *,
    name: str,
    email: str,
    phone: str = "",
    links: str = "",
    source: str = "",
    notes: str = "",
    timezone: str | None = None,
    actor: User | None = None,
) -> Candidate:
    """Change a candidate's details; refuses an email another candidate of the team has, and
    any change to an erased candidate."""
    if candidate.is_erased:
        raise CandidateError("This candidate's data was erased; it cannot be edited.")
    other = find_by_email(session, candidate.team_id, email)
    if other is not None and other.id != candidate.id:
        raise CandidateError(f"{other.name} already uses this email.")
    candidate.name = name.strip()
    candidate.email = normalise_email(email)
    candidate.phone = phone.strip()
    candidate.links = normalise_links(links)
    candidate.source = source.strip()
    candidate.notes = notes.strip()
    candidate.timezone = timezone or None
    session.flush()
    audit.record(
        session,
        team_id=candidate.team_id,
        actor=actor,
        action="candidate.updated",
        subject=candidate,
    )
    return candidate


# Applications -------------------------------------------------------------------------------


def check_accepts_applications(job: Job) -> None:
    """Raise ``ApplicationError`` unless candidates can be added to ``job`` now."""
    if job.status is JobStatus.CLOSED:
        raise ApplicationError(f"{job.title} is closed; reopen the job to add candidates.")
    if not job.stages:
        raise ApplicationError(
            f"{job.title} has no interview plan yet; build the plan before adding candidates."
        )


def application_to(candidate: Candidate, job: Job) -> Application | None:
    """``candidate``'s application to ``job``, if any."""
    return next((a for a in candidate.applications if a.job_id == job.id), None)


def apply_to_job(
    session: Session,
    candidate: Candidate,
    job: Job,
    actor: User | None,
    now: datetime | None = None,
) -> Application:
    """Put ``candidate`` in ``job`` at the first stage of its plan."""
    if candidate.team_id != job.team_id:
        raise ValueError("candidate and job belong to different teams")
    if candidate.is_erased:
        raise ApplicationError("This candidate's data was erased; they cannot apply again.")
    existing = application_to(candidate, job)
    if existing is not None:
        where = existing.current_stage.name if existing.current_stage else "no stage"
        raise ApplicationError(
            f"{candidate.name} has already applied to {job.title} "
            f"({where}, {existing.status.label.lower()})."
        )
    check_accepts_applications(job)
    now = now or utcnow()
    first = job.stages[0]
    application = Application(
        team_id=job.team_id,
        candidate=candidate,
        job=job,
        current_stage=first,
        status=ApplicationStatus.ACTIVE,
        stage_entered_at=now,
    )
    session.add(application)
    session.flush()
    pipeline.enter_stage(session, application, now)
    audit.record(
        session,
        team_id=job.team_id,
        actor=actor,
        action="application.created",
        subject=application,
        job=job.title,
        to_stage=first.name,
        to_status=ApplicationStatus.ACTIVE.value,
    )
    signals.application_created.send(application, session=session)
    return application


def histories(session: Session, team_id: int, application_ids: list[int]) -> dict[int, list]:
    """The audit events of each application, newest first, in one query."""
    result: dict[int, list[AuditEvent]] = defaultdict(list)
    if not application_ids:
        return result
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.team_id == team_id,
            AuditEvent.subject_type == Application.__tablename__,
            AuditEvent.subject_id.in_(application_ids),
        )
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    for event in events:
        result[event.subject_id].append(event)
    return result
