"""Candidates and their applications."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import selectinload

from interviewer.auth.permissions import manager_required
from interviewer.auth.services import is_safe_next
from interviewer.candidates import forms, pipeline, queries, services, sources
from interviewer.candidates.access import get_application_or_404, get_candidate_or_404
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.candidates.pipeline import Move, MoveError
from interviewer.dashboard import bp
from interviewer.emails import moves
from interviewer.extensions import db
from interviewer.forms import bounded_int, search_text
from interviewer.kept import kept
from interviewer.mail.settings import default_sender
from interviewer.plans.access import get_job_or_404
from interviewer.plans.models import Job
from interviewer.scheduling import closing
from interviewer.timezones import zone


def local_date(value) -> str:
    return value.astimezone(zone(current_user.timezone)).strftime("%d %b %Y")


@bp.route("/candidates/")
@manager_required
@kept
def candidates():
    """Every candidate of the team, narrowed by job, stage, status and source, sorted as asked."""
    team_sources = sources.team_sources(db.session, current_user.team_id)
    filters = _candidate_filters(team_sources)
    page = queries.candidates_page(
        db.session,
        current_user.team_id,
        filters,
        per_page=current_app.config["PER_PAGE"],
        page=request.args.get("page", 1, type=bounded_int),
        after=request.args.get("after"),
        before=request.args.get("before"),
    )
    return render_template(
        "dashboard/candidates/index.html",
        page=page,
        query=filters.query,
        filters=filters,
        jobs=queries.team_jobs(db.session, current_user.team_id),
        stages=queries.filter_stages(db.session, current_user.team_id, filters.job_id),
        statuses=list(ApplicationStatus),
        sources=team_sources,
        sorts=queries.CANDIDATE_SORTS,
    )


def _candidate_filters(team_sources) -> queries.CandidateFilters:
    """The list's filters from the query string; a value that is not one offered is ignored
    (or, for an id, matches nothing)."""
    status = request.args.get("status", "")
    sort = request.args.get("sort", "name")
    source_id = request.args.get("source", None, type=bounded_int)
    return queries.CandidateFilters(
        source_id=source_id,
        source=next((row for row in team_sources if row.id == source_id), None),
        query=request.args.get("q", "", type=search_text),
        job_id=request.args.get("job", None, type=bounded_int),
        stage_id=request.args.get("stage", None, type=bounded_int),
        status=ApplicationStatus(status) if status in set(ApplicationStatus) else None,
        sort=sort if sort in queries.CANDIDATE_SORTS else "name",
    )


@bp.route("/candidates/new", methods=["GET", "POST"])
@manager_required
def new_candidate():
    form = forms.NewCandidateForm(job=request.args.get("job_id", ""))
    form.job.choices = forms.job_choices(
        queries.open_jobs(db.session, current_user.team_id), blank="Don't apply to a job yet"
    )
    form.set_timezone_choices(current_user.team.timezone)
    form.set_source_choices(_source_choices())
    if form.validate_on_submit():
        job = get_job_or_404(form.job.data, selectinload(Job.stages)) if form.job.data else None
        try:
            if job is not None:
                services.check_accepts_applications(job)
            candidate, created = services.add_candidate(
                db.session, current_user.team, actor=current_user, **form.candidate_data()
            )
            application = None
            if job is not None and services.application_to(candidate, job) is None:
                application = services.apply_to_job(db.session, candidate, job, current_user)
        except services.ApplicationError as error:
            form.job.errors.append(str(error))
        else:
            db.session.commit()
            flash(added_message(candidate, created, job, application), "success")
            return redirect(url_for("dashboard.candidate", candidate_id=candidate.id))
    return render_template("dashboard/candidates/form.html", form=form, candidate=None)


def _source_choices(current: str = "") -> list[tuple[str, str]]:
    return sources.source_choices(sources.team_sources(db.session, current_user.team_id), current)


def added_message(candidate: Candidate, created: bool, job: Job | None, application) -> str:
    if created:
        text = f"Added {candidate.name}."
    else:
        text = (
            f"{candidate.name} is already a candidate (added on "
            f"{local_date(candidate.created_at)}): opened their record."
        )
    if application is not None:
        text += f" Applied to {job.title} at {application.current_stage.name}."
    elif job is not None:
        text += f" They have already applied to {job.title}."
    return text


@bp.route("/candidates/<int:candidate_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_candidate(candidate_id: int):
    candidate = get_candidate_or_404(candidate_id)
    form = forms.CandidateForm(obj=candidate)
    form.set_timezone_choices(current_user.team.timezone, candidate.timezone)
    form.set_source_choices(_source_choices(candidate.source))
    if form.validate_on_submit():
        try:
            services.update_candidate(
                db.session, candidate, actor=current_user, **form.candidate_data()
            )
        except services.CandidateError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Saved {candidate.name}.", "success")
            return redirect(url_for("dashboard.candidate", candidate_id=candidate.id))
    return render_template("dashboard/candidates/form.html", form=form, candidate=candidate)


#: What a move reads: the candidate's other applications, the job's plan, the current stage.
MOVE_LOAD = (
    selectinload(Application.candidate).selectinload(Candidate.applications),
    selectinload(Application.job).selectinload(Job.stages),
    selectinload(Application.current_stage),
)


def _after_move(form, application: Application) -> str:
    """Where to go after the move: the page it was asked from (``next``, a path on this site),
    else the candidate page."""
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if is_safe_next(form.next.data):
        return form.next.data
    return url_for("dashboard.candidate", candidate_id=application.candidate_id)


@bp.route("/candidates/applications/<int:application_id>/<move>", methods=["GET", "POST"])
@manager_required
def move_application(application_id: int, move: str):
    """Move an application (GET shows the move's form, e.g. the reason to reject)."""
    try:
        move = Move(move)
    except ValueError:
        abort(404)
    application = get_application_or_404(application_id, *MOVE_LOAD)
    form = forms.move_form(move, pipeline.reasons_for(move, application.team_id))
    target = _after_move(form, application)
    try:
        stage = pipeline.check_move(application, move, list(application.job.stages))
        if not _previewing(form) and form.validate_on_submit():
            flash(_make_move(form, application, move), "success")
            return redirect(target)
    except MoveError as error:
        flash(str(error), "danger")
        return redirect(target)
    return render_template(
        "dashboard/candidates/move.html",
        form=form,
        application=application,
        label=pipeline.label(move, stage),
        cancel=target,
        upcoming=closing.upcoming_interviews(db.session, application),
        **_move_email(form, application, move, stage),
    )


def _previewing(form) -> bool:
    """The "Preview email" button: show the email for the reason chosen, make no move."""
    return bool(getattr(form, "preview_email", None) and form.preview_email.data)


def _move_email(form, application: Application, move: Move, stage) -> dict:
    """The email the move sends, rendered for this candidate and the reason chosen, and the
    address the form's script previews another reason's at; the edit fields start with it."""
    if not hasattr(form, "email_action"):
        return {}
    reason = form.reason.data if hasattr(form, "reason") else ""
    email = moves.email_for_move(db.session, application, move, reason=reason or "", stage=stage)
    form.prefill_email(email.subject, email.body)
    kind = moves.MOVE_EMAILS[move].value
    return {
        "email": email,
        "preview_url": url_for("emails.move_preview", application_id=application.id, kind=kind),
    }


def _make_move(form, application: Application, move: Move) -> str:
    """Make the move and what follows it in one transaction; return the one-line result."""
    message = closing.make_move(
        db.session,
        application,
        move,
        current_user,
        sender=default_sender(current_app.config),
        **form.choices(),
    )
    db.session.commit()
    return message
