"""Copies of a plan from another job, and the team's plan templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.catalog.models import Skill
from interviewer.db import in_team
from interviewer.plans import kits
from interviewer.plans.models import (
    Job,
    PlanStage,
    PlanTemplate,
    PlanTemplateFocusSkill,
    PlanTemplateStage,
)
from interviewer.plans.stages import PlanError, deletion_blocker


@dataclass(frozen=True)
class _StagePlan:
    """A stage to create, whatever it is copied from."""

    stage_type_id: int
    name: str
    duration_minutes: int
    panel_size: int
    skills: list[Skill]
    what_to_expect: str
    items: dict[int, kits.KitText]


def _clear_plan(session: Session, job: Job) -> None:
    blocker = deletion_blocker(session, job.stages)
    if blocker:
        raise PlanError(f"The current plan cannot be replaced: {blocker}")
    job.stages.clear()
    session.flush()


def _build_stages(
    session: Session, job: Job, actor: User | None, plans: Sequence[_StagePlan]
) -> list[PlanStage]:
    start = max((s.position for s in job.stages), default=0)
    created = []
    for offset, plan in enumerate(plans, start=1):
        stage = PlanStage(
            team_id=job.team_id,
            stage_type_id=plan.stage_type_id,
            position=start + offset,
            name=plan.name,
            duration_minutes=plan.duration_minutes,
            panel_size=plan.panel_size,
            focus_skills=list(plan.skills),
        )
        job.stages.append(stage)
        created.append(stage)
    session.flush()
    for stage, plan in zip(created, plans, strict=True):
        kits.start_kit(session, stage, actor, plan.what_to_expect, plan.items)
    return created


def copy_plan(
    session: Session, source: Job, target: Job, actor: User | None, *, replace: bool
) -> list[PlanStage]:
    """Copy ``source``'s stages, focus skills and current kits onto ``target``.

    ``replace`` removes the target's stages first, otherwise the copies follow them. Rubric
    anchors are copied only between jobs of the same level; otherwise the target level's
    anchors are used, since a Junior's bar is not a Senior's.
    """
    if source.id == target.id or source.team_id != target.team_id:
        raise PlanError("Choose another job of your team to copy from.")
    if not source.stages:
        raise PlanError(f"“{source.title}” has no stages to copy.")
    same_level = source.level_id == target.level_id
    plans = []
    for stage in source.stages:
        kit = stage.current_kit
        plans.append(
            _StagePlan(
                stage_type_id=stage.stage_type_id,
                name=stage.name,
                duration_minutes=stage.duration_minutes,
                panel_size=stage.panel_size,
                skills=list(stage.focus_skills),
                what_to_expect=kit.what_to_expect if kit else "",
                items={
                    item.skill_id: kits.KitText(
                        item.questions, item.probe, item.rubric if same_level else ""
                    )
                    for item in (kit.items if kit else [])
                },
            )
        )
    if replace:
        _clear_plan(session, target)
    created = _build_stages(session, target, actor, plans)
    audit.record(
        session,
        team_id=target.team_id,
        actor=actor,
        action="plan.copied",
        subject=target,
        source_job_id=source.id,
        replace=replace,
        stages=len(created),
    )
    return created


def save_template(session: Session, job: Job, actor: User | None, name: str) -> PlanTemplate:
    """Save ``job``'s plan (stages, focus skills, kit questions) as a named team template."""
    name = " ".join(name.split())
    if not job.stages:
        raise PlanError("Add stages to the plan before saving it as a template.")
    taken = session.scalar(
        in_team(PlanTemplate, job.team_id).where(func.lower(PlanTemplate.name) == name.lower())
    )
    if taken is not None:
        raise PlanError(f"A template named “{name}” exists; choose another name.")
    template = PlanTemplate(team_id=job.team_id, name=name, created_by=actor)
    for stage in job.stages:
        kit = stage.current_kit
        texts = {item.skill_id: item for item in kit.items} if kit else {}
        template.stages.append(
            PlanTemplateStage(
                team_id=job.team_id,
                stage_type_id=stage.stage_type_id,
                position=len(template.stages) + 1,
                name=stage.name,
                duration_minutes=stage.duration_minutes,
                panel_size=stage.panel_size,
                what_to_expect=kit.what_to_expect if kit else "",
                focus=[
                    PlanTemplateFocusSkill(
                        team_id=job.team_id,
                        skill_id=skill.id,
                        questions=texts[skill.id].questions if skill.id in texts else "",
                        probe=texts[skill.id].probe if skill.id in texts else "",
                    )
                    for skill in stage.focus_skills
                ],
            )
        )
    session.add(template)
    session.flush()
    audit.record(
        session,
        team_id=job.team_id,
        actor=actor,
        action="plan_template.created",
        subject=template,
        job_id=job.id,
        name=name,
    )
    return template


def apply_template(
    session: Session, template: PlanTemplate, job: Job, actor: User | None, *, replace: bool
) -> list[PlanStage]:
    """Build ``job``'s plan from ``template``; rubric anchors come from the job's level."""
    if template.team_id != job.team_id:
        raise PlanError("Choose one of your team's templates.")
    plans = [
        _StagePlan(
            stage_type_id=stage.stage_type_id,
            name=stage.name,
            duration_minutes=stage.duration_minutes,
            panel_size=stage.panel_size,
            skills=sorted((focus.skill for focus in stage.focus), key=lambda s: s.name),
            what_to_expect=stage.what_to_expect,
            items={
                focus.skill_id: kits.KitText(focus.questions, focus.probe) for focus in stage.focus
            },
        )
        for stage in template.stages
    ]
    if replace:
        _clear_plan(session, job)
    created = _build_stages(session, job, actor, plans)
    audit.record(
        session,
        team_id=job.team_id,
        actor=actor,
        action="plan_template.applied",
        subject=job,
        template_id=template.id,
        replace=replace,
        stages=len(created),
    )
    return created


def delete_template(session: Session, template: PlanTemplate, actor: User | None) -> None:
    """Remove a template; plans built from it are not touched."""
    audit.record(
        session,
        team_id=template.team_id,
        actor=actor,
        action="plan_template.deleted",
        subject=template,
        name=template.name,
    )
    session.delete(template)
    session.flush()
