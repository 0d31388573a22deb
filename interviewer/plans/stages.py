"""Interview plans: stages and their order, focus skills, stage types, copies and templates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import column, func, select, table
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import Team, User
from interviewer.catalog.models import Skill
from interviewer.db import in_team
from interviewer.plans import kits
from interviewer.plans.models import (
    BUILTIN_STAGE_TYPES,
    Job,
    PlanStage,
    PlanTemplate,
    PlanTemplateFocusSkill,
    PlanTemplateStage,
    StageType,
)

#: Bounds of the team's limit on the total interview time of one plan, in hours.
PLAN_LIMIT_HOURS = (1, 40)

# Interviews and applications belong to features above plans; their tables are named here
# only to refuse deleting a stage that they point at.
_interview = table("interview", column("plan_stage_id"))
_application = table("application", column("current_stage_id"))


class PlanError(ValueError):
    """A plan change the rules refuse; the message says why, in the user's words."""


@dataclass(frozen=True)
class StageTypeOption:
    key: str
    name: str
    builtin: bool


@dataclass(frozen=True)
class SkillOption:
    skill: Skill
    #: Proficiency the job's level expects; 0 when the level does not expect the skill.
    proficiency: int


# -- stage types ------------------------------------------------------------------------------


def stage_type_options(session: Session, team_id: int) -> list[StageTypeOption]:
    """The built-in stage types in their usual order, then the team's own by name."""
    rows = {row.key: row for row in session.scalars(in_team(StageType, team_id)).all()}
    options = [
        StageTypeOption(key, rows[key].name if key in rows else name, True)
        for key, name in BUILTIN_STAGE_TYPES.items()
    ]
    own = sorted(
        (row for row in rows.values() if row.key not in BUILTIN_STAGE_TYPES),
        key=lambda row: row.name.lower(),
    )
    return options + [StageTypeOption(row.key, row.name, False) for row in own]


def get_stage_type(session: Session, team_id: int, key: str) -> StageType:
    """The team's stage type ``key``; a built-in one is added to the team on first use."""
    stage_type = session.scalar(in_team(StageType, team_id).where(StageType.key == key))
    if stage_type is not None:
        return stage_type
    if key not in BUILTIN_STAGE_TYPES:
        raise PlanError("Choose one of the listed stage types.")
    stage_type = StageType(team_id=team_id, key=key, name=BUILTIN_STAGE_TYPES[key], builtin=True)
    session.add(stage_type)
    session.flush()
    return stage_type


def _key_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:32] or "stage"


def add_stage_type(
    session: Session, team_id: int, actor: User | None, name: str, description: str = ""
) -> StageType:
    """Add a team's own stage type; its key is made from the name."""
    name = " ".join(name.split())
    taken = stage_type_options(session, team_id)
    if any(option.name.lower() == name.lower() for option in taken):
        raise PlanError(f"There is already a stage type named “{name}”.")
    keys = {option.key for option in taken}
    base = key = _key_for(name)
    suffix = 2
    while key in keys:
        key, suffix = f"{base}_{suffix}", suffix + 1
    stage_type = StageType(
        team_id=team_id, key=key, name=name, description=(description or "").strip(), builtin=False
    )
    session.add(stage_type)
    session.flush()
    audit.record(
        session, team_id=team_id, actor=actor, action="stage_type.created", subject=stage_type
    )
    return stage_type


def set_plan_limit(session: Session, team: Team, actor: User | None, minutes: int) -> None:
    """Change the team's limit on the total interview time of one plan."""
    low, high = PLAN_LIMIT_HOURS
    if not low * 60 <= minutes <= high * 60:
        raise PlanError(f"Enter between {low} and {high} hours.")
    before = team.max_plan_minutes
    team.max_plan_minutes = minutes
    session.flush()
    audit.record(
        session,
        team_id=team.id,
        actor=actor,
        action="team.plan_limit_changed",
        subject=team,
        before=before,
        after=minutes,
    )


# -- stages -----------------------------------------------------------------------------------


def skill_options(session: Session, team_id: int, expected: dict[int, int]) -> list[SkillOption]:
    """The team's skills for a focus-skill choice: those the level expects first (highest
    proficiency first), then the others, by name. ``expected`` maps skill id to proficiency.
    """
    skills = session.scalars(in_team(Skill, team_id).order_by(Skill.name)).all()
    options = [SkillOption(skill, expected.get(skill.id, 0)) for skill in skills]
    return sorted(options, key=lambda option: (-option.proficiency, option.skill.name.lower()))


def _team_skills(session: Session, team_id: int, skill_ids: Iterable[int]) -> list[Skill]:
    skill_ids = set(skill_ids)
    if not skill_ids:
        return []
    skills = session.scalars(in_team(Skill, team_id).where(Skill.id.in_(skill_ids))).all()
    if len(skills) != len(skill_ids):
        raise PlanError("Choose focus skills from the list.")
    return sorted(skills, key=lambda skill: skill.name)


def _renumber(stages: Sequence[PlanStage]) -> None:
    for position, stage in enumerate(sorted(stages, key=lambda s: s.position), start=1):
        stage.position = position


def add_stage(
    session: Session,
    job: Job,
    actor: User | None,
    *,
    stage_type_key: str,
    name: str,
    duration_minutes: int,
    panel_size: int,
    skill_ids: Iterable[int],
) -> PlanStage:
    """Append a stage to ``job``'s plan, with its first kit. An empty name takes the type's."""
    stage_type = get_stage_type(session, job.team_id, stage_type_key)
    stage = PlanStage(
        team_id=job.team_id,
        stage_type=stage_type,
        position=max((s.position for s in job.stages), default=0) + 1,
        name=" ".join(name.split()) or stage_type.name,
        duration_minutes=duration_minutes,
        panel_size=panel_size,
        focus_skills=_team_skills(session, job.team_id, skill_ids),
    )
    job.stages.append(stage)
    session.flush()
    kits.start_kit(session, stage, actor)
    audit.record(
        session,
        team_id=job.team_id,
        actor=actor,
        action="plan_stage.created",
        subject=stage,
        job_id=job.id,
        name=stage.name,
    )
    return stage


def update_stage(
    session: Session,
    stage: PlanStage,
    actor: User | None,
    *,
    stage_type_key: str,
    name: str,
    duration_minutes: int,
    panel_size: int,
    skill_ids: Iterable[int],
) -> list[str]:
    """Change a stage; its kit follows the focus skills. Returns the names of changed fields."""
    stage_type = get_stage_type(session, stage.team_id, stage_type_key)
    skills = _team_skills(session, stage.team_id, skill_ids)
    values = {
        "stage_type": stage_type,
        "name": " ".join(name.split()) or stage_type.name,
        "duration_minutes": duration_minutes,
        "panel_size": panel_size,
    }
    changed = [field for field, value in values.items() if getattr(stage, field) != value]
    for field in changed:
        setattr(stage, field, values[field])
    if {s.id for s in stage.focus_skills} != {s.id for s in skills}:
        changed.append("focus_skills")
        stage.focus_skills = skills
    session.flush()
    if changed:
        kits.sync_kit(session, stage, actor)
        audit.record(
            session,
            team_id=stage.team_id,
            actor=actor,
            action="plan_stage.updated",
            subject=stage,
            job_id=stage.job_id,
            changed=changed,
        )
    return changed


def move_stage(session: Session, stage: PlanStage, actor: User | None, direction: str) -> bool:
    """Swap the stage with its neighbour ``up`` or ``down``; False when it is already at the end."""
    stages = sorted(stage.job.stages, key=lambda s: s.position)
    index = stages.index(stage)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(stages):
        return False
    stages[index], stages[other] = stages[other], stages[index]
    for position, each in enumerate(stages, start=1):
        each.position = position
    session.flush()
    audit.record(
        session,
        team_id=stage.team_id,
        actor=actor,
        action="plan_stage.moved",
        subject=stage,
        job_id=stage.job_id,
        position=stage.position,
    )
    return True


def deletion_blocker(session: Session, stages: Sequence[PlanStage]) -> str | None:
    """Why ``stages`` cannot be deleted (interviews or candidates point at them), or None."""
    ids = [stage.id for stage in stages]
    if not ids:
        return None
    interviews = session.scalar(
        select(func.count()).select_from(_interview).where(_interview.c.plan_stage_id.in_(ids))
    )
    candidates = session.scalar(
        select(func.count())
        .select_from(_application)
        .where(_application.c.current_stage_id.in_(ids))
    )
    what = "this stage" if len(ids) == 1 else "these stages"
    if interviews:
        return (
            f"{interviews} interview{'s' if interviews > 1 else ''} of {what} "
            f"{'are' if interviews > 1 else 'is'} on record; their scorecards need {what}."
        )
    if candidates:
        return (
            f"{candidates} candidate{'s are' if candidates > 1 else ' is'} at {what}; "
            "move them to another stage first."
        )
    return None


def delete_stage(session: Session, stage: PlanStage, actor: User | None) -> None:
    """Remove a stage and its kit, unless interviews or candidates depend on it."""
    blocker = deletion_blocker(session, [stage])
    if blocker:
        raise PlanError(f"“{stage.name}” cannot be deleted: {blocker}")
    job = stage.job
    audit.record(
        session,
        team_id=stage.team_id,
        actor=actor,
        action="plan_stage.deleted",
        subject=stage,
        job_id=job.id,
        name=stage.name,
    )
    job.stages.remove(stage)
    session.flush()
    _renumber(job.stages)
    session.flush()


# -- copies and templates ---------------------------------------------------------------------


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
