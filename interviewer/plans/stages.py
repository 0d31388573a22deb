"""Interview plans: stages and their order, focus skills, stage types, copies and templates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from blinker import NamedSignal
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import Team, User
from interviewer.catalog.models import Skill
from interviewer.db import in_team
from interviewer.plans import kits, signals
from interviewer.plans.models import (
    BUILTIN_STAGE_TYPES,
    Job,
    PlanStage,
    StageType,
)
from interviewer.signals import values_from_signal

#: Bounds of the team's limit on the total interview time of one plan, in hours.
PLAN_LIMIT_HOURS = (1, 40)


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
    """Why ``stages`` cannot be deleted (interviews or candidates point at them), or None.

    Scheduling and candidates answer the ``stage_interviews`` and ``stage_candidates``
    signals; interviews are asked about first, as their scorecards are evidence.
    """
    ids = [stage.id for stage in stages]
    if not ids:
        return None
    what = "this stage" if len(ids) == 1 else "these stages"
    interviews = _count(signals.stage_interviews, session, ids)
    if interviews:
        return (
            f"{interviews} interview{'s' if interviews > 1 else ''} of {what} "
            f"{'are' if interviews > 1 else 'is'} on record; their scorecards need {what}."
        )
    candidates = _count(signals.stage_candidates, session, ids)
    if candidates:
        return (
            f"{candidates} candidate{'s are' if candidates > 1 else ' is'} at {what}; "
            "move them to another stage first."
        )
    return None


def _count(signal: NamedSignal, session: Session, stage_ids: list[int]) -> int:
    """The sum of the counts the receivers of ``signal`` answer for these stages."""
    return sum(values_from_signal(signal.send(session=session, stage_ids=stage_ids)))


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
