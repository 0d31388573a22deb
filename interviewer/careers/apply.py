"""Applying on a public posting: the form (with the team's privacy notice), the
confirmation, and the kind page of a job no longer taking applications."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from interviewer.auth.models import Team
from interviewer.auth.permissions import public
from interviewer.branding.brand import brand_for
from interviewer.candidates import applying
from interviewer.candidates.consent import notice_text
from interviewer.careers import bp, spam
from interviewer.careers.forms import CHOOSE_CV_AGAIN, ApplyForm, apply_form
from interviewer.careers.routes import _open_jobs, _team_or_404
from interviewer.emails.models import CandidateEmailKind
from interviewer.emails.services import queue_candidate_email
from interviewer.extensions import db, limiter
from interviewer.files.checks import FileRefused
from interviewer.plans.models import Job, JobStatus

RATE_LIMITED = (
    "Too many applications were sent from your network in a short time. Wait an hour, then "
    "send yours again."
)


def _job_or_404(team: Team, job_slug: str) -> Job:
    """The team's job by slug, open or closed (a closed job's page says so); drafts 404."""
    job = db.session.scalar(
        select(Job)
        .where(Job.team_id == team.id, Job.slug == job_slug, Job.status != JobStatus.DRAFT)
        .options(selectinload(Job.stages), selectinload(Job.level))
    )
    if job is None:
        abort(404)
    return job


def _closed(team: Team, job: Job, reason: str):
    others = db.session.scalars(
        _open_jobs(team).where(Job.id != job.id).order_by(Job.posted_on.desc(), Job.title)
    ).all()
    html = render_template(
        "careers/apply_closed.html", team=team, job=job, reason=reason, others=others
    )
    return html, 410


def _render(team: Team, job: Job, form: ApplyForm, status: int = 200):
    form.started.data = spam.started_token()
    # A chosen file never survives a failed submit: say so beside the field.
    if form.errors and not form.cv.errors and form.cv.data:
        form.cv.errors = [CHOOSE_CV_AGAIN]
    return render_template(
        "careers/apply.html",
        team=team,
        brand=brand_for(team),
        job=job,
        form=form,
        notice=notice_text(team),
    ), status


@bp.route("/<team_slug>/<job_slug>/apply", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["APPLY_RATE_LIMIT"], methods=["POST"], error_message=RATE_LIMITED
)
def apply(team_slug: str, job_slug: str):
    """The apply form of an open job; the kind refusal of one that no longer takes any."""
    team = _team_or_404(team_slug)
    job = _job_or_404(team, job_slug)
    try:
        applying.check_taking_applications(job)
    except applying.JobNotTakingApplications as error:
        return _closed(team, job, str(error))
    form = apply_form(team)
    if not form.validate_on_submit():
        return _render(team, job, form, 400 if form.is_submitted() else 200)
    if spam.is_bot(form.website.data):
        # Said to have worked, so the bot learns nothing; nothing is kept.
        return redirect(url_for("careers.applied", team_slug=team.slug, job_slug=job.slug))
    if spam.filled_too_fast(form.started.data):
        form.form_errors.append(spam.TOO_FAST)
        form.cv.errors = [CHOOSE_CV_AGAIN]
        return _render(team, job, form, 400)
    return _submit(team, job, form)


def _submit(team: Team, job: Job, form: ApplyForm):
    upload = applying.Upload(form.cv.data.filename, form.cv.data.read())
    try:
        application = applying.submit_application(
            db.session,
            job,
            _input(form),
            upload,
            max_cv_bytes=current_app.config["MAX_CV_BYTES"],
        )
    except applying.AlreadyApplied as error:
        db.session.rollback()
        return render_template(
            "careers/applied.html", team=team, brand=brand_for(team), job=job, already=str(error)
        )
    except FileRefused as error:
        form.cv.errors = [str(error)]
        return _render(team, job, form, 400)
    # In the application's transaction: with the mail server down, the email waits.
    queue_candidate_email(db.session, application, CandidateEmailKind.APPLICATION_RECEIVED)
    db.session.commit()
    return redirect(url_for("careers.applied", team_slug=team.slug, job_slug=job.slug))


def _input(form: ApplyForm) -> applying.ApplicationInput:
    return applying.ApplicationInput(
        name=form.name.data,
        email=form.email.data,
        timezone=form.timezone.data,
        phone=form.phone.data or "",
        links=form.links.data or "",
        cover_note=form.cover_note.data or "",
        self_identification=form.self_identification(),
    )


@bp.route("/<team_slug>/<job_slug>/applied")
@public
def applied(team_slug: str, job_slug: str):
    """The confirmation after applying."""
    team = _team_or_404(team_slug)
    job = _job_or_404(team, job_slug)
    return render_template("careers/applied.html", team=team, brand=brand_for(team), job=job)
