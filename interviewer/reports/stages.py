"""Stages across jobs: a report on one job groups by its plan stages; on several jobs, by
stage type (Screen, Technical...), which all the team's plans share."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.plans.models import PlanStage, StageType
from interviewer.reports.filters import ReportFilter


def stage_key(report_filter: ReportFilter):
    """The column that groups stays and interviews by stage (join ``PlanStage`` to use it):
    the plan stage when one job is chosen, else its stage type."""
    return PlanStage.id if report_filter.job_id is not None else PlanStage.stage_type_id


def stage_names(session: Session, report_filter: ReportFilter) -> list[tuple[int, str]]:
    """``(key, name)`` of the stages the report groups by, in plan order: the job's plan
    stages, or the stage types of the plans of the jobs the filter leaves, ordered by
    where they come in the plans on average."""
    if report_filter.job_id is not None:
        statement = (
            select(PlanStage.id, PlanStage.name)
            .where(
                PlanStage.team_id == report_filter.team_id,
                PlanStage.job_id == report_filter.job_id,
            )
            .order_by(PlanStage.position, PlanStage.id)
        )
    else:
        statement = (
            select(StageType.id, StageType.name)
            .join(PlanStage, PlanStage.stage_type_id == StageType.id)
            .where(
                StageType.team_id == report_filter.team_id,
                PlanStage.job_id.in_(report_filter.jobs()),
            )
            .group_by(StageType.id, StageType.name)
            .order_by(func.avg(PlanStage.position), func.min(PlanStage.position), StageType.name)
        )
    return [(key, name) for key, name in session.execute(statement)]
