"""Interview kits: questions and guidance per focus skill, versioned."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from interviewer.catalog.models import PROFICIENCY_LABELS, Expectation
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.plans import bp, kits
from interviewer.plans.access import get_job_or_404, get_stage_or_404
from interviewer.plans.models import KitItem, KitVersion, PlanStage
from interviewer.plans.plan_forms import KitForm
from interviewer.plans.routes.stages import PLAN_JOB

#: What the kit page reads of its stage: focus skills, type, every kit version with its items
#: and author.
KIT_STAGE = (
    selectinload(PlanStage.focus_skills),
    selectinload(PlanStage.stage_type),
    selectinload(PlanStage.kit_versions).selectinload(KitVersion.items).selectinload(KitItem.skill),
    selectinload(PlanStage.kit_versions).selectinload(KitVersion.created_by),
)


def _form_data(
    stage: PlanStage, kit: KitVersion | None, expectations: dict[int, Expectation]
) -> dict:
    """The kit form's initial data: one entry per focus skill, rubric from the matrix if new."""
    anchors = {skill_id: row.description for skill_id, row in expectations.items()}
    texts = {item.skill_id: item for item in kit.items} if kit else {}
    return {
        "what_to_expect": kit.what_to_expect if kit else "",
        "items": [
            {
                "skill_id": skill.id,
                "questions": texts[skill.id].questions if skill.id in texts else "",
                "probe": texts[skill.id].probe if skill.id in texts else "",
                "rubric": texts[skill.id].rubric
                if skill.id in texts
                else anchors.get(skill.id, ""),
            }
            for skill in stage.focus_skills
        ],
    }


def _posted_items(form: KitForm) -> dict[int, kits.KitText]:
    items = {}
    for entry in form.items.entries:
        try:
            skill_id = int(entry.form.skill_id.data)
        except (TypeError, ValueError):
            continue
        items[skill_id] = kits.KitText(
            questions=entry.form.questions.data or "",
            probe=entry.form.probe.data or "",
            rubric=entry.form.rubric.data or "",
        )
    return items


def _shown_version(stage: PlanStage) -> KitVersion | None:
    """The kit version named by ``?version=`` (404 if there is none such), else the current."""
    number = request.args.get("version", type=bounded_int)
    shown = kits.get_version(stage, number)
    if number is not None and shown is None:
        abort(404)
    return shown


@bp.route("/jobs/<int:job_id>/plan/stages/<int:stage_id>/kit", methods=["GET", "POST"])
@login_required
def kit(job_id: int, stage_id: int):
    """Read a kit (any version with ``?version=n``); managers edit the current one."""
    if request.method == "POST" and not current_user.is_manager:
        abort(403)
    job = get_job_or_404(job_id, PLAN_JOB)
    stage = get_stage_or_404(stage_id, *KIT_STAGE, job=job)
    shown = _shown_version(stage)
    expectations = kits.level_expectations(db.session, job.team_id, job.level_id)
    form = None
    if current_user.is_manager and shown is stage.current_kit:
        form = KitForm(data=_form_data(stage, shown, expectations))
        if form.validate_on_submit() and _save(stage, form):
            return redirect(url_for("plans.kit", job_id=job.id, stage_id=stage.id))
    elif request.method == "POST":
        abort(400)  # an old version is read-only
    return render_template(
        "plans/kit.html",
        job=job,
        stage=stage,
        kit=shown,
        form=form,
        expectations=expectations,
        skills={skill.id: skill for skill in stage.focus_skills},
        proficiency_labels=PROFICIENCY_LABELS,
    )


def _save(stage: PlanStage, form: KitForm) -> bool:
    """Save the posted kit and say how it went; ``False`` when another save got in first."""
    try:
        saved, outcome = kits.save_kit(
            db.session,
            stage,
            current_user._get_current_object(),
            what_to_expect=form.what_to_expect.data or "",
            items=_posted_items(form),
        )
        db.session.commit()
    except IntegrityError:
        # Two managers made the next version of a used kit at the same moment.
        db.session.rollback()
        flash(
            "Someone else saved this kit at the same moment. Your text is kept "
            "below: open the kit again in another tab to compare, then save.",
            "danger",
        )
        return False
    flash(_saved_message(saved, outcome), "info" if outcome == "unchanged" else "success")
    return True


def _saved_message(kit: KitVersion, outcome: kits.KitSaved) -> str:
    if outcome == kits.KitSaved.UNCHANGED:
        return "Nothing changed in the kit."
    if outcome == kits.KitSaved.NEW_VERSION:
        return (
            f"Saved as kit version {kit.number}. Version {kit.number - 1} stays as the "
            "interviews that used it saw it."
        )
    return f"Saved kit version {kit.number}."
