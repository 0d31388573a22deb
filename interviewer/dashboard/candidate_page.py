"""The candidate page: a candidate's applications with their moves, interviews and history,
and the form that applies them to one more job.

A face, because it shows what several features know: the pipeline (candidates), the
interviews (scheduling), the debrief and the portal links.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from interviewer.auth.permissions import manager_required
from interviewer.candidates import forms, pipeline, services
from interviewer.candidates.access import get_candidate_or_404
from interviewer.candidates.models import Application, Candidate
from interviewer.candidates.queries import open_jobs
from interviewer.dashboard import bp
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.access import get_job_or_404
from interviewer.plans.models import Job
from interviewer.scheduling.closing import upcoming_of
from interviewer.scheduling.queries import interviews_by_application

#: What the page reads of the candidate: each application with its job, level and plan.
CANDIDATE_PAGE = (
    selectinload(Candidate.applications).selectinload(Application.job).selectinload(Job.level),
    selectinload(Candidate.applications).selectinload(Application.job).selectinload(Job.stages),
    selectinload(Candidate.applications).selectinload(Application.current_stage),
)


@bp.route("/candidates/<int:candidate_id>")
@manager_required
def candidate(candidate_id: int):
    candidate = get_candidate_or_404(candidate_id, *CANDIDATE_PAGE)
    return _render(candidate, _apply_form(forms.ApplyForm()))


@bp.route("/candidates/<int:candidate_id>/applications", methods=["POST"])
@manager_required
def apply_to_job(candidate_id: int):
    """Apply an existing candidate to one more job."""
    candidate = get_candidate_or_404(candidate_id, *CANDIDATE_PAGE)
    form = _apply_form(forms.ApplyForm())
    if form.validate_on_submit():
        job = get_job_or_404(form.job.data, selectinload(Job.stages))
        try:
            application = services.apply_to_job(db.session, candidate, job, current_user)
        except services.ApplicationError as error:
            form.job.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                f"{candidate.name} applied to {job.title} at {application.current_stage.name}.",
                "success",
            )
            return redirect(url_for("dashboard.candidate", candidate_id=candidate.id))
    return _render(candidate, form)


def _apply_form(form: forms.ApplyForm) -> forms.ApplyForm:
    """``form`` offering the team's open and draft jobs."""
    form.job.choices = forms.job_choices(
        open_jobs(db.session, current_user.team_id), blank="Choose a job…"
    )
    return form


def _render(candidate: Candidate, apply_form: forms.ApplyForm):
    applications = sorted(candidate.applications, key=lambda a: a.created_at, reverse=True)
    ids = [application.id for application in applications]
    interviews_of = interviews_by_application(db.session, current_user.team_id, ids)
    now = utcnow()
    return render_template(
        "dashboard/candidate.html",
        candidate=candidate,
        applications=applications,
        apply_form=apply_form,
        moves={a.id: pipeline.available_moves(a, a.job.stages) for a in applications},
        interviews_of=interviews_of,
        #: How many interviews each application still has to come (a reject form offers
        #: to cancel them).
        upcoming={a.id: len(upcoming_of(interviews_of[a.id], now)) for a in applications},
        histories=services.histories(db.session, current_user.team_id, ids),
        describe=pipeline.describe,
        days_in_stage=pipeline.days_in_stage,
    )
