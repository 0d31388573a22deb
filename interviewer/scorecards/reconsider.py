"""Considering a candidate for another job: when the debrief's level fit is below the job's
level, the team may put the candidate in an open job of the level they meet, with the
scorecards so far carried over as read-only evidence."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from interviewer import audit
from interviewer.auth.models import User
from interviewer.candidates import services
from interviewer.candidates.models import Application
from interviewer.catalog.models import Level
from interviewer.plans.models import Job, JobStatus, PlanStage
from interviewer.scheduling.models import Interview
from interviewer.scorecards.level_fit import LevelFit
from interviewer.scorecards.models import Scorecard, ScorecardState


def met_below(fit: LevelFit) -> str | None:
    """The level the candidate meets when it is not the job's own, else ``None``."""
    met = fit.fit.met if fit.fit is not None else None
    return met if met and met != fit.job_level else None


def other_jobs(session: Session, application: Application, level_name: str) -> list[Job]:
    """The team's open jobs of the level ``level_name`` the candidate has not applied to."""
    applied = select(Application.job_id).where(
        Application.team_id == application.team_id,
        Application.candidate_id == application.candidate_id,
    )
    return list(
        session.scalars(
            select(Job)
            .join(Level, Level.id == Job.level_id)
            .where(
                Job.team_id == application.team_id,
                Job.status == JobStatus.OPEN,
                Level.name == level_name,
                Job.id.not_in(applied),
            )
            .options(selectinload(Job.stages))
            .order_by(Job.title, Job.id)
        )
    )


def consider_for(
    session: Session, application: Application, job: Job, reason: str, actor: User
) -> Application:
    """Put ``application``'s candidate in ``job`` at its first stage, linked to
    ``application`` so its scorecards show there, and record why."""
    considered = services.apply_to_job(session, application.candidate, job, actor)
    considered.considered_from = application
    considered.considered_reason = reason
    session.flush()
    audit.record(
        session,
        team_id=application.team_id,
        actor=actor,
        action="application.considered",
        subject=considered,
        from_application=application.id,
        job=job.title,
        reason=reason,
    )
    return considered


@dataclass
class CarriedOver:
    """The application a debrief was considered from, why, and its submitted scorecards."""

    source: Application
    reason: str
    scorecards: list[tuple[PlanStage, Scorecard]]


def carried_over(session: Session, application: Application) -> CarriedOver | None:
    """What this application carries from the one it was considered from (its submitted
    scorecards in the order of that job's plan); ``None`` when it was not considered from one."""
    if application.considered_from_id is None:
        return None
    source = session.scalar(
        select(Application)
        .where(
            Application.team_id == application.team_id,
            Application.id == application.considered_from_id,
        )
        .options(joinedload(Application.job).joinedload(Job.level))
    )
    if source is None:
        return None
    rows = session.execute(
        select(PlanStage, Scorecard)
        .join(Interview, Interview.id == Scorecard.interview_id)
        .join(PlanStage, PlanStage.id == Interview.plan_stage_id)
        .where(
            Scorecard.team_id == application.team_id,
            Scorecard.application_id == source.id,
            Scorecard.state == ScorecardState.SUBMITTED,
        )
        .options(joinedload(Scorecard.interviewer))
        .order_by(PlanStage.position, Scorecard.id)
    ).all()
    return CarriedOver(source, application.considered_reason, [(st, sc) for st, sc in rows])


def considered_since(session: Session, application: Application) -> list[Application]:
    """The applications the team opened for this candidate from ``application``'s debrief."""
    return list(
        session.scalars(
            select(Application)
            .where(
                Application.team_id == application.team_id,
                Application.considered_from_id == application.id,
            )
            .options(joinedload(Application.job))
            .order_by(Application.created_at)
        )
    )
