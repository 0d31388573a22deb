"""Candidates and their applications to jobs."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from interviewer.db import Base, TeamScoped, TimestampMixin, str_enum, utcnow
from interviewer.files.models import StoredFile
from interviewer.plans.models import Job, PlanStage


class ApplicationStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    OFFER = "offer"
    HIRED = "hired"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_closed(self) -> bool:
        return self in (
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
            ApplicationStatus.HIRED,
        )


class Candidate(TeamScoped, TimestampMixin, Base):
    __tablename__ = "candidate"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    #: Lower-cased; one person per email within a team.
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: One URL per line (profile, portfolio, code).
    links: Mapped[str] = mapped_column(Text, default="")
    #: The name of one of the team's sources (``CandidateSource``), or blank.
    source: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str | None] = mapped_column(String(64))
    #: When the candidate's identity was erased (on request or after the retention period);
    #: an erased candidate is kept, anonymised, so that reports still add up.
    erased_at: Mapped[datetime | None]
    #: When anything last changed for the candidate: their record or any of their
    #: applications (kept by ``_stamp_last_activity``), so the list can sort by it by index.
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    applications: Mapped[list[Application]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True
    )

    #: The candidates list sorts by name, newest first or last activity and pages on from
    #: the last row's (key, id); it filters by source; its search matches any part of a name
    #: or email through trigram indexes (PostgreSQL only: SQLite scans).
    __table_args__ = (
        UniqueConstraint("team_id", "email"),
        Index(None, "team_id", "name", "id"),
        Index(None, "team_id", "created_at", "id"),
        Index(None, "team_id", "last_activity_at", "id"),
        Index(None, "team_id", "source"),
        Index(
            "ix_candidate_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_candidate_email_trgm",
            "email",
            postgresql_using="gin",
            postgresql_ops={"email": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    def __repr__(self) -> str:
        return f"<Candidate {self.id}>"

    @property
    def is_erased(self) -> bool:
        """Whether the candidate's identity was erased: they can no longer be edited,
        emailed or scheduled."""
        return self.erased_at is not None


# The trigram indexes need their extension; the migration creates it, and so does a schema
# made from the models (a restore's scratch database, say).
event.listen(
    Candidate.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


class Application(TeamScoped, TimestampMixin, Base):
    """A candidate in one job, moving through its plan."""

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    current_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_stage.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ApplicationStatus] = mapped_column(
        str_enum(ApplicationStatus), default=ApplicationStatus.ACTIVE, index=True
    )
    #: Why the application left the pipeline (one of the team's reasons) and any note.
    exit_reason: Mapped[str | None] = mapped_column(String(120))
    exit_note: Mapped[str] = mapped_column(Text, default="")
    stage_entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    #: Bumped to revoke every portal link issued before.
    portal_generation: Mapped[int] = mapped_column(default=1)
    #: The time zone the candidate picked on the portal.
    portal_timezone: Mapped[str | None] = mapped_column(String(64))
    #: The note the candidate wrote when applying on the careers page.
    cover_note: Mapped[str] = mapped_column(Text, default="")
    #: When the candidate agreed to the team's privacy notice, and which version of it
    #: (applications from the careers page; ``None`` for those added by the team).
    consented_at: Mapped[datetime | None]
    consent_version: Mapped[int | None]
    #: The CV sent with the application; removing the file leaves the application.
    cv_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_file.id", ondelete="SET NULL"), index=True
    )
    #: The application whose debrief led the team to consider the candidate for this job
    #: (its scorecards are shown here as read-only evidence), and why.
    considered_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="SET NULL"), index=True
    )
    considered_reason: Mapped[str] = mapped_column(Text, default="")

    candidate: Mapped[Candidate] = relationship(back_populates="applications")
    job: Mapped[Job] = relationship(back_populates="applications")
    current_stage: Mapped[PlanStage | None] = relationship()
    cv_file: Mapped[StoredFile | None] = relationship()
    considered_from: Mapped[Application | None] = relationship(remote_side=[id])

    #: A candidate's last activity is their latest application; the reports read the
    #: applications a team received in a range of days; the candidates list keeps those with
    #: an application in a status (index only); the board counts a job's applications per
    #: status and stage and reads each column's longest waiting from the index alone; the
    #: API lists them by last change (``updated_since``) and pages on from (updated_at, id).
    __table_args__ = (
        UniqueConstraint("candidate_id", "job_id"),
        Index(None, "candidate_id", "updated_at"),
        Index(None, "team_id", "updated_at", "id"),
        Index(None, "team_id", "created_at"),
        Index(
            "ix_application_board",
            "team_id",
            "job_id",
            "status",
            "current_stage_id",
            "stage_entered_at",
            "id",
        ),
        Index(None, "team_id", "status", "candidate_id"),
    )

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.status}>"


@event.listens_for(Session, "before_flush")
def _stamp_candidate_changes(session: Session, context, instances) -> None:
    """A candidate whose own record changes has activity now."""
    for candidate in session.dirty:
        if (
            isinstance(candidate, Candidate)
            and session.is_modified(candidate, include_collections=False)
            and not _was_set(candidate, "last_activity_at")
        ):
            candidate.last_activity_at = utcnow()
    for candidate in session.new:
        if isinstance(candidate, Candidate) and candidate.last_activity_at is None:
            candidate.last_activity_at = candidate.updated_at or utcnow()


@event.listens_for(Session, "after_flush")
def _stamp_last_activity(session: Session, context) -> None:
    """A candidate's last activity moves up to their latest application once an application
    is added or changed: one UPDATE per flush, whatever the number of applications."""
    changed = {
        application.candidate_id
        for application in (*session.new, *session.dirty)
        if isinstance(application, Application)
        and application.candidate_id is not None
        and (application in session.new or session.is_modified(application))
    }
    if not changed:
        return
    latest = (
        select(func.max(Application.updated_at))
        .where(Application.candidate_id == Candidate.id)
        .scalar_subquery()
    )
    session.connection().execute(
        update(Candidate)
        .where(
            Candidate.id.in_(changed),
            or_(Candidate.last_activity_at.is_(None), Candidate.last_activity_at < latest),
        )
        .values(last_activity_at=latest, updated_at=Candidate.updated_at)
        .execution_options(synchronize_session=False)
    )


def _was_set(instance, name: str) -> bool:
    """Whether ``name`` was set on ``instance`` since it was loaded."""
    return bool(sa_inspect(instance).attrs[name].history.added)


class CandidateSource(TeamScoped, Base):
    """Where candidates come from (careers page, referral, agency...): a team-managed list.

    A candidate records the source by its name, so a rename rewrites the candidates that
    carry it; an archived source is no longer offered but stays on those candidates.
    """

    __tablename__ = "candidate_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    #: Order in the lists, from 1.
    position: Mapped[int]
    #: One of the defaults every team gets; "Careers page" is recorded by the apply form.
    builtin: Mapped[bool] = mapped_column(default=False, server_default=false())
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())

    __table_args__ = (
        UniqueConstraint("team_id", "name"),
        CheckConstraint("position > 0", name="position_positive"),
    )

    def __repr__(self) -> str:
        return f"<CandidateSource {self.name}>"


class SelfIdentification(TeamScoped, Base):
    """A candidate's voluntary answers to the team's self-identification questions, kept
    apart from the application and read only in aggregate (no relationship leads here from
    the application, so no page shows them by accident). ``None``: not asked or left blank.
    """

    __tablename__ = "self_identification"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), unique=True
    )
    gender: Mapped[str | None] = mapped_column(String(40))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    disability: Mapped[str | None] = mapped_column(String(40))
    veteran: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SelfIdentification of application {self.application_id}>"


class StageVisit(TeamScoped, Base):
    """One stay of an application in one stage of its job's plan, from entering to leaving:
    the history the funnel and speed reports count. Moving back or reopening starts a new
    stay; an erased candidate's stays remain, with nothing that names them.
    """

    __tablename__ = "stage_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    #: Denormalised from the application: reports filter stays by job.
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    plan_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_stage.id", ondelete="SET NULL"), index=True
    )
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]
    #: The move that ended the stay (advance, back, offer, reject, withdraw); ``None`` while
    #: the application is still there.
    left_by: Mapped[str | None] = mapped_column(String(20))
    #: The reason given for the move that ended the stay (a back, reject or withdraw).
    reason: Mapped[str | None] = mapped_column(String(120))

    application: Mapped[Application] = relationship()
    plan_stage: Mapped[PlanStage | None] = relationship()

    __table_args__ = (Index(None, "team_id", "job_id", "entered_at"),)

    def __repr__(self) -> str:
        return f"<StageVisit {self.application_id} at {self.plan_stage_id}>"
