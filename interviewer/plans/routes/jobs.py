"""Jobs and their postings."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from interviewer.auth.permissions import manager_required
from interviewer.db import get_in_team_or_404, in_team
from interviewer.extensions import db
from interviewer.plans.models import Job, PlanStage
from interviewer.plans.routes import bp


@bp.route("/jobs")
@manager_required
def jobs():
    page = db.paginate(
        in_team(Job, current_user.team_id)
        .options(selectinload(Job.level))
        .order_by(Job.status, Job.title),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("plans/jobs.html", page=page)


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    """A job and its plan; interviewers may read it, not change it."""
    job = get_in_team_or_404(
        Job,
        job_id,
        selectinload(Job.level),
        selectinload(Job.stages).selectinload(PlanStage.stage_type),
        selectinload(Job.stages).selectinload(PlanStage.focus_skills),
    )
    return render_template("plans/job.html", job=job)
