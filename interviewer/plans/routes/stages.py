"""The interview plan of a job: stages, their order, focus skills and coverage; plan templates
and the team's planning settings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.plans import bp
from interviewer.plans import stages as services
from interviewer.plans.access import get_job_or_404, get_stage_or_404
from interviewer.plans.coverage import Coverage, coverage_for
from interviewer.plans.models import Job, PlanStage, PlanTemplate, PlanTemplateStage
from interviewer.plans.plan_forms import (
    ApplyTemplateForm,
    MoveStageForm,
    PlanSourceForm,
    SaveTemplateForm,
    StageForm,
)

#: What the plan pages read of their job: its one level, joined rather than a statement of
#: its own.
PLAN_JOB = joinedload(Job.level)


def acting_user():
    return current_user._get_current_object()


def _setup_stage_form(form: StageForm, coverage: Coverage) -> list[services.SkillOption]:
    """Fill the choices of ``form``; returns the skill options for the checkbox list."""
    types = services.stage_type_options(db.session, current_user.team_id)
    own = [(t.key, t.name) for t in types if not t.builtin]
    standard = [(t.key, t.name) for t in types if t.builtin]
    form.stage_type.choices = {"Standard": standard, "Your team's": own} if own else standard
    options = services.skill_options(db.session, current_user.team_id, coverage.expected)
    form.focus_skills.choices = [(option.skill.id, option.skill.name) for option in options]
    return options


def _edit_form(stage: PlanStage) -> StageForm:
    """The stage form filled with ``stage`` as it is."""
    return StageForm(
        data={
            "stage_type": stage.stage_type.key,
            "name": stage.name,
            "duration_minutes": stage.duration_minutes,
            "panel_size": stage.panel_size,
            "focus_skills": [skill.id for skill in stage.focus_skills],
        }
    )


def _stage_values(form: StageForm) -> dict:
    return {
        "stage_type_key": form.stage_type.data,
        "name": form.name.data or "",
        "duration_minutes": form.duration_minutes.data,
        "panel_size": form.panel_size.data,
        "skill_ids": form.focus_skills.data or [],
    }


def copy_sources(job: Job) -> list[tuple[int, str]]:
    """Other jobs of the team that have a plan, labelled with their size (one query)."""
    rows = db.session.execute(
        select(Job.id, Job.title, func.count(PlanStage.id))
        .join(PlanStage, PlanStage.job_id == Job.id)
        .where(Job.team_id == job.team_id, Job.id != job.id)
        .group_by(Job.id, Job.title)
        .order_by(Job.title)
    ).all()
    return [
        (ident, f"{title} ({count} stage{'s' if count != 1 else ''})")
        for ident, title, count in rows
    ]


def template_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(PlanTemplate.id, PlanTemplate.name, func.count(PlanTemplateStage.id))
        .join(PlanTemplateStage, PlanTemplateStage.template_id == PlanTemplate.id)
        .where(PlanTemplate.team_id == current_user.team_id)
        .group_by(PlanTemplate.id, PlanTemplate.name)
        .order_by(PlanTemplate.name)
    ).all()
    return [
        (ident, f"{name} ({count} stage{'s' if count != 1 else ''})") for ident, name, count in rows
    ]


def render_plan(job: Job, *, stage_form: StageForm | None = None, **forms):
    """The plan page; managers get the forms, with any that failed validation as given."""
    coverage = coverage_for(db.session, job)
    context = {"job": job, "coverage": coverage, "can_edit": current_user.is_manager}
    if current_user.is_manager:
        stage_form = stage_form or StageForm(formdata=None)
        context["skill_options"] = _setup_stage_form(stage_form, coverage)
        copy_form = forms.get("copy_form") or PlanSourceForm(formdata=None)
        copy_form.source.choices = copy_sources(job)
        apply_form = forms.get("apply_form") or ApplyTemplateForm(formdata=None)
        apply_form.source.choices = template_choices()
        context.update(
            stage_form=stage_form,
            copy_form=copy_form,
            apply_form=apply_form,
            template_form=forms.get("template_form") or SaveTemplateForm(formdata=None),
            move_form=MoveStageForm(formdata=None),
        )
    return render_template("plans/plan.html", **context)


@bp.route("/jobs/<int:job_id>/plan")
@login_required
@kept
def plan(job_id: int):
    """The plan and its coverage matrix; interviewers read it, managers change it."""
    return render_plan(get_job_or_404(job_id, PLAN_JOB))


@bp.route("/jobs/<int:job_id>/plan/stages", methods=["POST"])
@manager_required
def add_stage(job_id: int):
    job = get_job_or_404(job_id, PLAN_JOB)
    form = StageForm()
    _setup_stage_form(form, coverage_for(db.session, job))
    if form.validate_on_submit():
        try:
            stage = services.add_stage(db.session, job, acting_user(), **_stage_values(form))
        except services.PlanError as error:
            form.stage_type.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Added “{stage.name}” as stage {stage.position}.", "success")
            return redirect(url_for("plans.plan", job_id=job.id, _anchor=f"stage-{stage.id}"))
    return render_plan(job, stage_form=form)


#: What the stage page reads of its stage.
EDIT_STAGE = (selectinload(PlanStage.focus_skills), selectinload(PlanStage.stage_type))


@bp.route("/jobs/<int:job_id>/plan/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_stage(job_id: int, stage_id: int):
    """Rename a stage, change its type, duration, panel and focus skills; or delete it."""
    job = get_job_or_404(job_id, PLAN_JOB)
    stage = get_stage_or_404(stage_id, *EDIT_STAGE, job=job)
    form = _edit_form(stage)
    options = _setup_stage_form(form, coverage_for(db.session, job))
    if form.validate_on_submit():
        try:
            changed = services.update_stage(db.session, stage, acting_user(), **_stage_values(form))
        except services.PlanError as error:
            form.focus_skills.errors.append(str(error))
        else:
            db.session.commit()
            saved = f"Saved “{stage.name}”." if changed else f"Nothing changed in “{stage.name}”."
            flash(saved, "success" if changed else "info")
            return redirect(url_for("plans.plan", job_id=job.id, _anchor=f"stage-{stage.id}"))
    return render_template(
        "plans/plan_stage.html",
        job=job,
        stage=stage,
        form=form,
        skill_options=options,
    )


@bp.route("/jobs/<int:job_id>/plan/stages/<int:stage_id>/move", methods=["POST"])
@manager_required
def move_stage(job_id: int, stage_id: int):
    job = get_job_or_404(job_id, PLAN_JOB)
    stage = get_stage_or_404(
        stage_id, selectinload(PlanStage.job).selectinload(Job.stages), job=job
    )
    form = MoveStageForm()
    if not form.validate_on_submit():
        abort(400)
    if services.move_stage(db.session, stage, acting_user(), form.direction.data):
        db.session.commit()
        flash(f"Moved “{stage.name}” {form.direction.data} to stage {stage.position}.", "success")
    else:
        end = "first" if form.direction.data == "up" else "last"
        flash(f"“{stage.name}” is already the {end} stage.", "info")
    return redirect(url_for("plans.plan", job_id=job.id, _anchor=f"stage-{stage.id}"))


def _delete_question(job, stage) -> dict:
    """What the page that asks before deleting ``stage`` says."""
    plan = url_for("plans.plan", job_id=job.id)
    return {
        "title": f"Delete “{stage.name}”",
        "question": f"Delete the stage “{stage.name}” of {job.title}?",
        "consequences": [
            "The stage and every version of its kit (questions, guidance, what to expect) "
            "are removed; this cannot be undone.",
            "The stages after it move up one place in the plan.",
            "Not possible once interviews of it are on record or candidates are at it: "
            "you are told so and nothing changes.",
        ],
        "button": f"Delete “{stage.name}”",
        "action": url_for("plans.delete_stage", job_id=job.id, stage_id=stage.id),
        "cancel": url_for("plans.edit_stage", job_id=job.id, stage_id=stage.id),
        "crumbs": [(job.title, url_for("plans.job", job_id=job.id)), ("Interview plan", plan)],
    }


@bp.route("/jobs/<int:job_id>/plan/stages/<int:stage_id>/delete", methods=["GET", "POST"])
@manager_required
def delete_stage(job_id: int, stage_id: int):
    """Asks first (GET), then deletes the stage and its kit (POST)."""
    job = get_job_or_404(job_id, PLAN_JOB)
    stage = get_stage_or_404(stage_id, job=job)
    if request.method == "GET":
        return render_template(
            "confirm.html", confirm=_delete_question(job, stage), form=EmptyForm(formdata=None)
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = stage.name
    try:
        services.delete_stage(db.session, stage, acting_user())
    except services.PlanError as error:
        flash(str(error), "danger")
        return redirect(url_for("plans.edit_stage", job_id=job.id, stage_id=stage.id))
    db.session.commit()
    flash(f"Deleted “{name}” and its kit.", "success")
    return redirect(url_for("plans.plan", job_id=job.id))


# Copies and templates ---------------------------------------------------------------------
