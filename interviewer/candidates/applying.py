"""Applying from the careers page: the rules a candidate's own application follows.

A job takes applications while it is open, has a plan and its closing date has not passed.
One email is one candidate within the team: a second job's application attaches to the
same candidate, filling only the details they had left empty (nothing they gave before is
overwritten by a later form); the same job twice is refused. The CV is checked before it is
kept; the face that takes it queues the "application received" email in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.candidates import services
from interviewer.candidates.models import Application, Candidate
from interviewer.candidates.self_identification import record_answers
from interviewer.db import utcnow
from interviewer.files import services as files
from interviewer.files.checks import CheckedFile, check_upload
from interviewer.plans.models import Job, JobStatus
from interviewer.timezones import zone

#: What ``Candidate.source`` says of a candidate who first came through the careers page.
CAREERS_PAGE_SOURCE = "Careers page"


class ApplyError(ValueError):
    """An application the careers page will not take, in words for the candidate."""


class JobNotTakingApplications(ApplyError):
    """The job is closed, past its closing date, or has no interview plan yet."""


class AlreadyApplied(ApplyError):
    """The email has applied to this job before."""


@dataclass(frozen=True)
class ApplicationInput:
    """What the candidate typed on the apply form."""

    name: str
    email: str
    timezone: str
    phone: str = ""
    links: str = ""
    cover_note: str = ""
    #: Answers to the self-identification questions, by question key (blank: ``None``).
    self_identification: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Upload:
    """The CV as it arrived: the name the browser sent and the bytes."""

    name: str | None
    data: bytes


def team_today(team: Team, now: datetime | None = None) -> date:
    """Today's date where the team is: a job closing "on the 3rd" takes applications all
    of that day in its own zone."""
    return (now or utcnow()).astimezone(zone(team.timezone)).date()


def check_taking_applications(job: Job, now: datetime | None = None) -> None:
    """Raise :class:`JobNotTakingApplications` unless candidates may apply to ``job`` now."""
    if job.status is not JobStatus.OPEN:
        raise JobNotTakingApplications(f"{job.title} is no longer taking applications.")
    if job.closes_on is not None and job.closes_on < team_today(job.team, now):
        raise JobNotTakingApplications(
            f"Applications for {job.title} closed on {job.closes_on.strftime('%d %B %Y')}."
        )
    if not job.stages:
        raise JobNotTakingApplications(f"{job.title} is not taking applications yet.")


def already_applied(session: Session, job: Job, email: str) -> Application | None:
    """The application of ``email`` to ``job``, if they applied before."""
    candidate = services.find_by_email(session, job.team_id, email)
    return services.application_to(candidate, job) if candidate is not None else None


def _fill_empty(candidate: Candidate, form: ApplicationInput) -> None:
    """Take from a later form only the details the candidate had left empty."""
    if not candidate.phone and form.phone.strip():
        candidate.phone = form.phone.strip()
    if not candidate.links and form.links.strip():
        candidate.links = services.normalise_links(form.links)
    if not candidate.timezone and form.timezone:
        candidate.timezone = form.timezone


def _candidate_for(session: Session, team: Team, form: ApplicationInput) -> Candidate:
    candidate, new = services.add_candidate(
        session,
        team,
        name=form.name,
        email=form.email,
        phone=form.phone,
        links=form.links,
        source=CAREERS_PAGE_SOURCE,
        timezone=form.timezone or None,
    )
    if not new:
        _fill_empty(candidate, form)
    return candidate


def submit_application(
    session: Session,
    job: Job,
    form: ApplicationInput,
    cv: Upload,
    *,
    max_cv_bytes: int,
    now: datetime | None = None,
) -> Application:
    """Take a candidate's application to ``job`` from the careers page; flushes.

    Refuses, before anything is kept, a job not taking applications, an email that applied
    to it already (:class:`AlreadyApplied`) and a CV that is not a PDF, DOCX or ODT within
    ``max_cv_bytes`` (``FileRefused``). Two forms sent at once with one email make one
    application: the other finds the unique key taken and is refused the same way.
    """
    now = now or utcnow()
    check_taking_applications(job, now)
    checked = check_upload(cv.name, cv.data, max_bytes=max_cv_bytes)
    for attempt in (1, 2):
        if already_applied(session, job, form.email) is not None:
            raise AlreadyApplied(
                f"You have already applied to {job.title} with "
                f"{services.normalise_email(form.email)}."
            )
        try:
            return _save(session, job, form, checked, now)
        except IntegrityError:
            # Another form with this email won the race: for this job, they applied; for
            # another job, the candidate now exists and the second attempt attaches to it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _save(
    session: Session, job: Job, form: ApplicationInput, checked: CheckedFile, now: datetime
) -> Application:
    """Keep the CV, the candidate and the application, in a savepoint: a clash of unique
    keys undoes all of it and removes the CV from the storage again."""
    team, stored = job.team, None
    try:
        with session.begin_nested():
            stored = files.store(session, team_id=team.id, checked=checked)
            candidate = _candidate_for(session, team, form)
            application = services.apply_to_job(session, candidate, job, actor=None, now=now)
            application.cover_note = form.cover_note.strip()
            application.consented_at = now
            application.consent_version = team.privacy_notice_version
            application.cv_file = stored
            session.flush()
            record_answers(session, application, form.self_identification)
    except Exception:
        if stored is not None:
            files.discard(stored.storage_key)
        raise
    return application
