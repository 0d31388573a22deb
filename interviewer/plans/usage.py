"""Plans' answers to the catalogue: where a skill is a focus skill or in a kit, a level's jobs.

Connected when ``interviewer.plans`` is imported.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.catalog import signals as catalog_signals
from interviewer.catalog.models import Level, Skill
from interviewer.plans.models import Job, KitItem, KitVersion, PlanStage, plan_stage_focus_skill


@catalog_signals.skill_usage.connect
def skill_in_plans(skill: Skill, *, session: Session, **kwargs: object) -> list[str]:
    """One line per job whose stages have ``skill`` as a focus skill or in their kit, naming
    the stages, by place."""
    uses: dict[str, set[str]] = defaultdict(set)
    focus_rows = session.execute(
        select(Job.title, PlanStage.name)
        .select_from(plan_stage_focus_skill)
        .join(PlanStage, PlanStage.id == plan_stage_focus_skill.c.plan_stage_id)
        .join(Job, Job.id == PlanStage.job_id)
        .where(plan_stage_focus_skill.c.skill_id == skill.id, PlanStage.team_id == skill.team_id)
    ).all()
    for title, stage_name in focus_rows:
        uses[f"focus skill in {title}"].add(stage_name)
    kit_rows = session.execute(
        select(Job.title, PlanStage.name)
        .select_from(KitItem)
        .join(KitVersion, KitVersion.id == KitItem.kit_version_id)
        .join(PlanStage, PlanStage.id == KitVersion.plan_stage_id)
        .join(Job, Job.id == PlanStage.job_id)
        .where(KitItem.skill_id == skill.id, KitItem.team_id == skill.team_id)
    ).all()
    for title, stage_name in kit_rows:
        uses[f"interview kit in {title}"].add(stage_name)
    return [f"{place} ({', '.join(sorted(stages))})" for place, stages in sorted(uses.items())]


@catalog_signals.level_jobs.connect
def jobs_of_level(level: Level, *, session: Session, **kwargs: object) -> list[str]:
    """Titles of the jobs opened for ``level``, by title."""
    return list(
        session.scalars(
            select(Job.title)
            .where(Job.level_id == level.id, Job.team_id == level.team_id)
            .order_by(Job.title)
        )
    )
