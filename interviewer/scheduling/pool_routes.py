"""The interviewer pools page: who is qualified for each stage type, who is in training."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from interviewer.auth.access import get_user_or_404
from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import manager_required
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.scheduling import bp, pool_queries, pools
from interviewer.scheduling.pool_access import (
    get_pool_member_or_404,
    get_pool_or_404,
    get_stage_type_or_404,
)
from interviewer.scheduling.pool_forms import NewPoolForm, PhaseForm, PoolMemberForm
from interviewer.scheduling.pool_models import InterviewerPool, TrainingPhase

HOME = "scheduling.pools_index"


def _member_form(view: pool_queries.PoolView, formdata=None) -> PoolMemberForm:
    form = PoolMemberForm(formdata=formdata, prefix=f"pool-{view.pool.id}")
    form.user_id.choices = [SelectChoice(user.id, user.name) for user in view.candidates]
    return form


def _new_pool_form(view: pool_queries.StageTypeView, formdata=None) -> NewPoolForm:
    form = NewPoolForm(formdata=formdata, prefix=f"type-{view.stage_type.id}")
    every = [] if view.pool else [SelectChoice(0, f"Every {view.stage_type.name} stage")]
    form.plan_stage_id.choices = [
        *every,
        *(SelectChoice(s.id, f"{s.job.title}: {s.name}") for s in view.stages),
    ]
    return form


def _page(failed: tuple[str, int, object] | None = None, status: int = 200):
    """The page, with the form that failed (its kind, its row id, the form) showing why."""
    views = pool_queries.pools_page(db.session, current_user.team, utcnow())
    forms = {}
    for view in views:
        forms[("type", view.stage_type.id)] = _new_pool_form(view)
        for pool_view in [view.pool, *view.overrides] if view.pool else view.overrides:
            forms[("pool", pool_view.pool.id)] = _member_form(pool_view)
    if failed:
        forms[failed[:2]] = failed[2]
    return render_template(
        "scheduling/pools.html",
        views=views,
        forms=forms,
        phase_form=PhaseForm(),
        action_form=EmptyForm(),
        phases=list(TrainingPhase),
    ), status


def _find_view(pool: InterviewerPool) -> pool_queries.PoolView:
    for view in pool_queries.pools_page(db.session, current_user.team, utcnow()):
        for pool_view in [view.pool, *view.overrides]:
            if pool_view is not None and pool_view.pool.id == pool.id:
                return pool_view
    raise LookupError(pool.id)


@bp.get("/team/pools")
@manager_required
def pools_index():
    """Every stage type with its pool; trainees whose interviews are done move on first."""
    if pools.advance_trainees(db.session, [current_user.team_id], utcnow()):
        db.session.commit()
    return _page()


@bp.post("/team/pools/stage-types/<int:stage_type_id>/pool")
@manager_required
def create_pool(stage_type_id: int):
    stage_type = get_stage_type_or_404(stage_type_id)
    view = next(
        v
        for v in pool_queries.pools_page(db.session, current_user.team, utcnow())
        if v.stage_type.id == stage_type.id
    )
    form = _new_pool_form(view, request.form)
    if not form.validate():
        return _page(("type", stage_type.id, form), 400)
    stage = next((s for s in view.stages if s.id == form.plan_stage_id.data), None)
    pools.create_pool(db.session, stage_type, actor=current_user, plan_stage=stage)
    db.session.commit()
    name = stage.name if stage else stage_type.name
    flash(f"{name} now has its own interviewer pool.", "success")
    return redirect(url_for(HOME))


@bp.post("/team/pools/<int:pool_id>/delete")
@manager_required
def delete_pool(pool_id: int):
    pool = get_pool_or_404(pool_id)
    if EmptyForm().validate_on_submit():
        pools.delete_pool(db.session, pool, actor=current_user)
        db.session.commit()
        flash("Pool removed: every active interviewer can fill those seats again.", "success")
    return redirect(url_for(HOME))


@bp.post("/team/pools/<int:pool_id>/members")
@manager_required
def add_pool_member(pool_id: int):
    pool = get_pool_or_404(pool_id)
    form = _member_form(_find_view(pool), request.form)
    if not form.validate():
        return _page(("pool", pool.id, form), 400)
    user = get_user_or_404(form.user_id.data)
    pools.add_member(db.session, pool, user, TrainingPhase(form.phase.data), actor=current_user)
    db.session.commit()
    flash(f"{user.name} joined the pool.", "success")
    return redirect(url_for(HOME))


@bp.post("/team/pools/members/<int:member_id>/phase")
@manager_required
def change_pool_phase(member_id: int):
    member = get_pool_member_or_404(member_id)
    form = PhaseForm()
    if form.validate_on_submit():
        pools.set_phase(db.session, member, TrainingPhase(form.phase.data), actor=current_user)
        db.session.commit()
        flash(f"{member.user.name} is now {member.phase.label.lower()}.", "success")
    else:
        flash("Choose a phase from the list.", "danger")
    return redirect(url_for(HOME))


@bp.post("/team/pools/members/<int:member_id>/sign-off")
@manager_required
def sign_off_trainee(member_id: int):
    member = get_pool_member_or_404(member_id)
    if EmptyForm().validate_on_submit() and member.phase.in_training:
        pools.set_phase(db.session, member, TrainingPhase.QUALIFIED, actor=current_user, early=True)
        db.session.commit()
        flash(f"{member.user.name} is signed off: qualified from now on.", "success")
    return redirect(url_for(HOME))


@bp.post("/team/pools/members/<int:member_id>/remove")
@manager_required
def remove_pool_member(member_id: int):
    member = get_pool_member_or_404(member_id)
    if EmptyForm().validate_on_submit():
        name = member.user.name
        pools.remove_member(db.session, member, actor=current_user)
        db.session.commit()
        flash(f"{name} left the pool.", "success")
    return redirect(url_for(HOME))
