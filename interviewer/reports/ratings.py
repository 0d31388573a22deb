"""The raw export of ratings, for analysis elsewhere.

One row per submitted rating of the applications received in the range (each scorecard's
latest version; drafts never appear), with no candidate's name: the application id joins
it to nothing outside the team's own export.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.catalog.models import Skill
from interviewer.plans.models import Job, PlanStage
from interviewer.reports.filters import ReportFilter
from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import Rating, Scorecard, ScorecardState

HEADER = ["application_id", "job", "stage", "skill", "interviewer", "rating", "submitted_at"]


def ratings_statement(report_filter: ReportFilter):
    """The export's one query, in application, stage, skill and interviewer order."""
    return (
        select(
            Scorecard.application_id,
            Job.title,
            PlanStage.name,
            Skill.name,
            User.name,
            Rating.score,
            Scorecard.submitted_at,
        )
        .select_from(Rating)
        .join(Scorecard, Scorecard.id == Rating.scorecard_id)
        .join(Interview, Interview.id == Scorecard.interview_id)
        .join(PlanStage, PlanStage.id == Interview.plan_stage_id)
        .join(Job, Job.id == PlanStage.job_id)
        .join(Skill, Skill.id == Rating.skill_id)
        .join(User, User.id == Scorecard.interviewer_id)
        .where(
            Rating.team_id == report_filter.team_id,
            Scorecard.state == ScorecardState.SUBMITTED,
            Scorecard.application_id.in_(report_filter.applications()),
        )
        .order_by(Scorecard.application_id, PlanStage.position, Skill.name, User.name, Rating.id)
    )


def ratings_rows(session: Session, report_filter: ReportFilter) -> Iterator[list]:
    """The rows of the export, read in batches as they are written out."""
    result = session.execute(ratings_statement(report_filter), execution_options={"yield_per": 500})
    for application_id, job, stage, skill, interviewer, score, submitted_at in result:
        yield [
            application_id,
            job,
            stage,
            skill,
            interviewer,
            "" if score is None else score,
            submitted_at.isoformat() if submitted_at else "",
        ]
