"""Loading the team's jobs, plan stages and plan templates by id.

Each helper loads within the signed-in user's team and answers 404 for a row of another
team, a missing row or an id that is not a number; the role checks are the views' decorators,
which refuse before anything is loaded.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy.orm import selectinload

from interviewer.db import get_in_team_or_404
from interviewer.plans.models import (
    Job,
    KitVersion,
    PlanStage,
    PlanTemplate,
    PlanTemplateFocusSkill,
    PlanTemplateStage,
)

#: Loads a plan stage's kit versions with their items, for copies and kits.
STAGE_KITS = selectinload(PlanStage.kit_versions).selectinload(KitVersion.items)

#: What copying a job's plan reads: its stages with their focus skills and kits.
PLAN_COPY_OPTIONS = (
    selectinload(Job.stages).selectinload(PlanStage.focus_skills),
    selectinload(Job.stages).options(STAGE_KITS),
)

#: What applying a plan template reads: its stages with their focus skills.
TEMPLATE_STAGES = (
    selectinload(PlanTemplate.stages)
    .selectinload(PlanTemplateStage.focus)
    .selectinload(PlanTemplateFocusSkill.skill),
)


def get_job_or_404(job_id: Any, *options: Any) -> Job:
    """A job of the signed-in user's team, loaded with ``options``, or 404."""
    return get_in_team_or_404(Job, job_id, *options)


def get_copy_source_or_404(source_id: Any, *, into: Job) -> Job:
    """Another job of the team whose plan is to be copied into ``into``, or 404."""
    source = get_job_or_404(source_id, *PLAN_COPY_OPTIONS)
    if source.id == into.id:
        abort(404)
    return source


def get_stage_or_404(stage_id: Any, *options: Any, job: Job) -> PlanStage:
    """A stage of ``job`` (not of another job, not of another team), or 404."""
    stage = get_in_team_or_404(PlanStage, stage_id, *options)
    if stage.job_id != job.id:
        abort(404)
    return stage


def get_plan_template_or_404(template_id: Any, *options: Any) -> PlanTemplate:
    """A plan template of the signed-in user's team, or 404."""
    return get_in_team_or_404(PlanTemplate, template_id, *options)
