"""Public job postings at ``/careers/<team-slug>/<job-slug>``: no sign-in, open jobs only."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from interviewer.auth.models import Team
from interviewer.auth.permissions import public
from interviewer.branding.brand import brand_for
from interviewer.careers import bp, not_found  # noqa: F401 - the pages' own 404
from interviewer.extensions import db
from interviewer.plans.models import Job, JobStatus, PlanStage
from interviewer.plans.posting import process_summary


def _team_or_404(team_slug: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.slug == team_slug))
    if team is None:
        abort(404)
    return team


def _open_jobs(team: Team):
    return select(Job).where(Job.team_id == team.id, Job.status == JobStatus.OPEN)


@bp.route("/<team_slug>")
@public
def team(team_slug: str):
    """The team's open jobs."""
    team = _team_or_404(team_slug)
    jobs = db.session.scalars(
        _open_jobs(team)
        .options(selectinload(Job.level), selectinload(Job.stages))
        .order_by(Job.posted_on.desc(), Job.title)
    ).all()
    return render_template("careers/team.html", team=team, brand=brand_for(team), jobs=jobs)


@bp.route("/<team_slug>/<job_slug>")
@public
def job(team_slug: str, job_slug: str):
    """One open job's posting with its interview process; drafts and closed jobs are 404."""
    team = _team_or_404(team_slug)
    job = db.session.scalar(
        _open_jobs(team)
        .where(Job.slug == job_slug)
        .options(
            selectinload(Job.level),
            selectinload(Job.stages).selectinload(PlanStage.stage_type),
            selectinload(Job.stages).selectinload(PlanStage.focus_skills),
            selectinload(Job.stages).selectinload(PlanStage.kit_versions),
        )
    )
    if job is None:
        abort(404)
    return render_template(
        "careers/job.html",
        team=team,
        brand=brand_for(team),
        job=job,
        process=process_summary(job.stages),
        today=date.today(),
    )


from interviewer.careers import apply  # noqa: E402, F401
