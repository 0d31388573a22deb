"""Jobs and their postings: list, create, edit, open and close, preview."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.kept import kept
from interviewer.plans import bp, services
from interviewer.plans.access import get_job_or_404
from interviewer.plans.coverage import coverage_for
from interviewer.plans.forms import JobForm, plain_amount
from interviewer.plans.models import Job, JobStatus, PlanStage
from interviewer.plans.posting import PostingCheck, check_posting, process_summary

#: How long a new posting stays open unless the manager says otherwise.
DEFAULT_OPEN_DAYS = 30

#: Everything a job page, its posting and the checker read, in a fixed number of queries.
JOB_PAGE_OPTIONS = (
    selectinload(Job.level),
    selectinload(Job.hiring_manager),
    selectinload(Job.stages).selectinload(PlanStage.stage_type),
    selectinload(Job.stages).selectinload(PlanStage.focus_skills),
    selectinload(Job.stages).selectinload(PlanStage.kit_versions),
)


def _status_filter() -> JobStatus | None:
    try:
        return JobStatus(request.args.get("status", ""))
    except ValueError:
        return None


@bp.route("/jobs")
@manager_required
@kept
def jobs():
    status = _status_filter()
    counts = services.status_counts(db.session, current_user.team_id)
    # The counts per status already hold the list's total: no count query of its own.
    page = db.paginate(
        services.jobs_query(current_user.team_id, status),
        page=request.args.get("page", 1, type=bounded_int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
        count=False,
    )
    page.total = counts[status] if status is not None else sum(counts.values())
    return render_template("plans/jobs.html", page=page, status=status, counts=counts)


def _job_form(job: Job | None = None) -> JobForm:
    """The job form with the team's levels and managers; a new job starts from a level's band."""
    levels = services.team_levels(db.session, current_user.team_id)
    if job is not None:
        form = JobForm(
            obj=job,
            salary_min=plain_amount(job.salary_min),
            salary_max=plain_amount(job.salary_max),
            hiring_manager_id=job.hiring_manager_id or 0,
        )
    else:
        chosen = next(
            (lv for lv in levels if lv.id == request.args.get("level_id", type=int)),
            levels[0] if levels else None,
        )
        form = JobForm(
            level_id=chosen.id if chosen else None,
            salary_min=plain_amount(chosen.salary_min) if chosen else None,
            salary_max=plain_amount(chosen.salary_max) if chosen else None,
            salary_currency=chosen.salary_currency if chosen else "USD",
            posted_on=date.today(),
            closes_on=date.today() + timedelta(days=DEFAULT_OPEN_DAYS),
            hiring_manager_id=current_user.id,
        )
    form.set_choices(levels, services.team_managers(db.session, current_user.team_id))
    return form


def _save(form: JobForm, job: Job | None):
    """Save a valid form; on a refusal put the message on its field and return ``None``."""
    try:
        job = services.save_job(
            db.session,
            team=current_user.team,
            actor=current_user,
            values=form.values(),
            job=job,
            confirm_outside_band=form.confirm_outside_band.data,
        )
    except services.OutsideBandError as error:
        form.band_warning = str(error)
        return None
    except services.JobError as error:
        # Refusals come before any change, so there is nothing to roll back.
        getattr(form, error.field or "title").errors.append(str(error))
        return None
    check = check_posting(job, list(job.stages))
    db.session.commit()
    _flash_check(f"Saved {job.title}.", check)
    return job


def _flash_check(message: str, check: PostingCheck) -> None:
    if check.problem_count:
        counts = [
            f"{len(found)} {word}{'s' if len(found) != 1 else ''}"
            for found, word in ((check.errors, "error"), (check.warnings, "warning"))
            if found
        ]
        flash(
            f"{message} The posting checker found {' and '.join(counts)}: see the posting check.",
            "warning",
        )
    else:
        flash(f"{message} The posting checker found no problem.", "success")


@bp.route("/jobs/new", methods=["GET", "POST"])
@manager_required
def new_job():
    form = _job_form()
    if form.level_id.choices and form.validate_on_submit() and (job := _save(form, None)):
        return redirect(url_for("plans.job", job_id=job.id))
    return render_template("plans/job_form.html", form=form, job=None)


@bp.route("/jobs/<int:job_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_job(job_id: int):
    job = get_job_or_404(job_id, *JOB_PAGE_OPTIONS)
    form = _job_form(job)
    if form.validate_on_submit() and _save(form, job):
        return redirect(url_for("plans.job", job_id=job.id))
    return render_template("plans/job_form.html", form=form, job=job)


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    """A job, its posting and its plan; interviewers may read it, not change it."""
    job = get_job_or_404(job_id, *JOB_PAGE_OPTIONS)
    context = {}
    if current_user.is_manager:
        coverage = coverage_for(db.session, job)
        context = {
            "check": check_posting(job, job.stages),
            # Uncovered skills are already among the opening problems.
            "plan_notes": coverage.findings[1:] if coverage.uncovered_skills else coverage.findings,
            "opening_problems": services.opening_problems(db.session, job, coverage=coverage),
            "action_form": EmptyForm(),
        }
    return render_template(
        "plans/job.html",
        job=job,
        process=process_summary(job.stages),
        plan_endpoint="plans.plan" if "plans.plan" in current_app.view_functions else None,
        **context,
    )


@bp.route("/jobs/<int:job_id>/preview")
@manager_required
def job_preview(job_id: int):
    """The public posting as candidates will see it, with the checker's findings, any status."""
    job = get_job_or_404(job_id, *JOB_PAGE_OPTIONS)
    return render_template(
        "plans/posting_preview.html",
        job=job,
        team=current_user.team,
        process=process_summary(job.stages),
        check=check_posting(job, job.stages),
        today=date.today(),
    )


@bp.route("/jobs/<int:job_id>/open", methods=["POST"])
@manager_required
def open_job(job_id: int):
    return _change_status(job_id, JobStatus.OPEN)


def _close_question(job: Job) -> dict:
    """What the page that asks before closing ``job`` says."""
    return {
        "title": f"Close {job.title}",
        "question": f"Close {job.title}?",
        "consequences": [
            "The posting leaves the careers page, and its link says the job is closed: "
            "nobody new can apply.",
            "Candidates already in the process stay on the board; you can still move them, "
            "interview them and decide.",
            "You can reopen the job later.",
        ],
        "button": "Close the job",
        "action": url_for("plans.close_job", job_id=job.id),
        "cancel": url_for("plans.job", job_id=job.id),
        "crumbs": [
            ("Jobs", url_for("plans.jobs")),
            (job.title, url_for("plans.job", job_id=job.id)),
        ],
    }


@bp.route("/jobs/<int:job_id>/close", methods=["GET", "POST"])
@manager_required
def close_job(job_id: int):
    """Asks first (GET), then closes the job (POST)."""
    if request.method == "GET":
        return render_template(
            "confirm.html",
            confirm=_close_question(get_job_or_404(job_id)),
            form=EmptyForm(formdata=None),
        )
    return _change_status(job_id, JobStatus.CLOSED)


def _change_status(job_id: int, status: JobStatus):
    job = get_job_or_404(job_id, *JOB_PAGE_OPTIONS)
    if not EmptyForm().validate_on_submit():
        flash("The form had expired. Try again.", "error")
        return redirect(url_for("plans.job", job_id=job.id))
    try:
        services.change_status(db.session, job, status, current_user)
    except services.JobError as error:
        flash(str(error), "error")
        return redirect(url_for("plans.job", job_id=job.id))
    db.session.commit()
    if status == JobStatus.OPEN:
        check = check_posting(job, job.stages)
        _flash_check(f"{job.title} is open: its posting is public.", check)
    else:
        flash(f"{job.title} is closed: its posting is no longer public.", "success")
    return redirect(url_for("plans.job", job_id=job.id))
