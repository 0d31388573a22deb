"""Copying a plan from another job, and the team's plan templates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import manager_required
from interviewer.db import in_team
from interviewer.extensions import db
from interviewer.plans import bp, plan_copies
from interviewer.plans import stages as services
from interviewer.plans.access import (
    PLAN_COPY_OPTIONS,
    TEMPLATE_STAGES,
    get_copy_source_or_404,
    get_job_or_404,
    get_plan_template_or_404,
)
from interviewer.plans.models import (
    Job,
    PlanTemplate,
    PlanTemplateFocusSkill,
    PlanTemplateStage,
)
from interviewer.plans.plan_forms import (
    ApplyTemplateForm,
    PlanSourceForm,
    SaveTemplateForm,
)
from interviewer.plans.routes.stages import (
    acting_user,
    copy_sources,
    render_plan,
    template_choices,
)


def _confirm_or_build(job: Job, form: PlanSourceForm, source, build, form_name: str):
    """Ask first when the job already has stages; otherwise (or once confirmed) build."""
    if job.stages and not form.mode.data:
        return render_template(
            "plans/plan_copy.html", job=job, form=form, source=source, endpoint=form_name
        )
    try:
        created = build(replace=form.mode.data == "replace")
    except services.PlanError as error:
        flash(str(error), "danger")
        return redirect(url_for("plans.plan", job_id=job.id))
    db.session.commit()
    flash(
        f"Added {len(created)} stage{'s' if len(created) != 1 else ''} with their kits.", "success"
    )
    return redirect(url_for("plans.plan", job_id=job.id))


@bp.route("/jobs/<int:job_id>/plan/copy", methods=["POST"])
@manager_required
def copy_plan(job_id: int):
    """Copy another job's plan; when this plan has stages, ask whether to replace or append."""
    job = get_job_or_404(job_id, selectinload(Job.stages))
    form = PlanSourceForm()
    form.source.choices = copy_sources(job)
    if not form.validate_on_submit():
        return render_plan(job, copy_form=form)
    source = get_copy_source_or_404(form.source.data, into=job)
    return _confirm_or_build(
        job,
        form,
        source,
        lambda replace: plan_copies.copy_plan(
            db.session, source, job, acting_user(), replace=replace
        ),
        "plans.copy_plan",
    )


@bp.route("/jobs/<int:job_id>/plan/apply-template", methods=["POST"])
@manager_required
def apply_template(job_id: int):
    job = get_job_or_404(job_id, selectinload(Job.stages))
    form = ApplyTemplateForm()
    form.source.choices = template_choices()
    if not form.validate_on_submit():
        return render_plan(job, apply_form=form)
    template = get_plan_template_or_404(form.source.data, *TEMPLATE_STAGES)
    return _confirm_or_build(
        job,
        form,
        template,
        lambda replace: plan_copies.apply_template(
            db.session, template, job, acting_user(), replace=replace
        ),
        "plans.apply_template",
    )


@bp.route("/jobs/<int:job_id>/plan/save-template", methods=["POST"])
@manager_required
def save_template(job_id: int):
    job = get_job_or_404(job_id, *PLAN_COPY_OPTIONS)
    form = SaveTemplateForm()
    if form.validate_on_submit():
        try:
            template = plan_copies.save_template(db.session, job, acting_user(), form.name.data)
        except services.PlanError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Saved the plan as the template “{template.name}”.", "success")
            return redirect(url_for("plans.plan", job_id=job.id))
    return render_plan(job, template_form=form)


@bp.route("/plan-templates")
@manager_required
def templates():
    """The team's plan templates with their stages."""
    rows = db.session.scalars(
        in_team(PlanTemplate, current_user.team_id)
        .options(
            selectinload(PlanTemplate.stages).selectinload(PlanTemplateStage.stage_type),
            selectinload(PlanTemplate.stages)
            .selectinload(PlanTemplateStage.focus)
            .selectinload(PlanTemplateFocusSkill.skill),
            selectinload(PlanTemplate.created_by),
        )
        .order_by(PlanTemplate.name)
    ).all()
    return render_template(
        "plans/templates.html", templates=rows, delete_form=EmptyForm(formdata=None)
    )


@bp.route("/plan-templates/<int:template_id>/delete", methods=["POST"])
@manager_required
def delete_template(template_id: int):
    template = get_plan_template_or_404(template_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    plan_copies.delete_template(db.session, template, acting_user())
    db.session.commit()
    flash(f"Deleted the template “{template.name}”. Plans built from it are unchanged.", "success")
    return redirect(url_for("plans.templates"))


# Settings ---------------------------------------------------------------------------------
