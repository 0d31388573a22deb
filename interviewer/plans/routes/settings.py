"""The team's planning settings: the limit on interview time and its own stage types."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.plans import bp
from interviewer.plans import stages as services
from interviewer.plans.plan_forms import (
    PlanSettingsForm,
    StageTypeForm,
)
from interviewer.plans.routes.stages import acting_user


def _hours(minutes: int) -> Decimal:
    """Minutes as hours, without trailing zeros (6, 6.5, 6.67)."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    return hours.to_integral() if hours == hours.to_integral() else hours.normalize()


def _render_settings(limit_form: PlanSettingsForm, type_form: StageTypeForm):
    types = services.stage_type_options(db.session, current_user.team_id)
    return render_template(
        "plans/plan_settings.html", limit_form=limit_form, type_form=type_form, stage_types=types
    )


@bp.route("/plan-settings", methods=["GET", "POST"])
@manager_required
def plan_settings():
    """The team's limit on total interview time, and its stage types."""
    team = current_user.team
    form = PlanSettingsForm(data={"max_plan_hours": _hours(team.max_plan_minutes)})
    if form.validate_on_submit():
        minutes = round(form.max_plan_hours.data * 60)
        try:
            services.set_plan_limit(db.session, team, acting_user(), minutes)
        except services.PlanError as error:
            form.max_plan_hours.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"A plan may now take up to {_hours(minutes)} h in total.", "success")
            return redirect(url_for("plans.plan_settings"))
    return _render_settings(form, StageTypeForm(formdata=None))


@bp.route("/plan-settings/stage-types", methods=["POST"])
@manager_required
def add_stage_type():
    form = StageTypeForm()
    if form.validate_on_submit():
        try:
            stage_type = services.add_stage_type(
                db.session,
                current_user.team_id,
                acting_user(),
                form.name.data,
                form.description.data or "",
            )
        except services.PlanError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Added the stage type “{stage_type.name}”; plans can use it now.", "success")
            return redirect(url_for("plans.plan_settings"))
    limit = current_user.team.max_plan_minutes
    return _render_settings(
        PlanSettingsForm(formdata=None, data={"max_plan_hours": limit / 60}), form
    )
