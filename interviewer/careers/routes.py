"""Public job postings at ``/careers/<team-slug>/<job-slug>``: no sign-in, open jobs only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, render_template, session
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from interviewer import page_cache
from interviewer.auth.models import Team
from interviewer.auth.permissions import public
from interviewer.branding.brand import team_with_brand
from interviewer.careers import bp, not_found, versions  # noqa: F401 - its 404
from interviewer.extensions import db
from interviewer.plans.models import Job, JobStatus, PlanStage
from interviewer.plans.posting import process_summary


def _team_or_404(team_slug: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.slug == team_slug))
    if team is None:
        abort(404)
    return team


def _team_and_brand_or_404(team_slug: str):
    found = team_with_brand(Team.slug == team_slug)
    if found is None:
        abort(404)
    return found


def _open_jobs(team: Team):
    return select(Job).where(Job.team_id == team.id, Job.status == JobStatus.OPEN)


def _cached(team_slug: str, render: Callable[[], str]):
    """The page ``render`` makes, kept under the team's careers version and today's date
    (the day closes applications); a visitor with a message waiting gets it rendered."""
    found = None if "_flashes" in session else versions.current(team_slug, db.session)
    if found is None:
        # No such team (its own 404), or a one-off page: rendered, not kept.
        return render()
    return page_cache.serve((*found, date.today().isoformat()), render)


@bp.route("/<team_slug>")
@public
def team(team_slug: str):
    """The team's open jobs."""
    return _cached(team_slug, lambda: _team_page(team_slug))


def _team_page(team_slug: str) -> str:
    team, brand = _team_and_brand_or_404(team_slug)
    jobs = db.session.scalars(
        _open_jobs(team)
        .options(joinedload(Job.level), selectinload(Job.stages))
        .order_by(Job.posted_on.desc(), Job.title)
    ).all()
    return render_template("careers/team.html", team=team, brand=brand, jobs=jobs)


@bp.route("/<team_slug>/<job_slug>")
@public
def job(team_slug: str, job_slug: str):
    """One open job's posting with its interview process; drafts and closed jobs are 404."""
    return _cached(team_slug, lambda: _job_page(team_slug, job_slug))


def _job_page(team_slug: str, job_slug: str) -> str:
    team, brand = _team_and_brand_or_404(team_slug)
    job = db.session.scalar(
        _open_jobs(team)
        .where(Job.slug == job_slug)
        .options(
            # The one level and each stage's type come joined, not in queries of their own.
            joinedload(Job.level),
            selectinload(Job.stages).joinedload(PlanStage.stage_type),
            selectinload(Job.stages).selectinload(PlanStage.focus_skills),
            selectinload(Job.stages).selectinload(PlanStage.kit_versions),
        )
    )
    if job is None:
        abort(404)
    return render_template(
        "careers/job.html",
        team=team,
        brand=brand,
        job=job,
        process=process_summary(job.stages),
        today=date.today(),
    )


from interviewer.careers import apply  # noqa: E402, F401
