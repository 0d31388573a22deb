"""Hand-built ratings for the calibration and reliability reports.

Scorecards are written through the scorecard services (submit, save draft, amend), as
interviewers write them, so the reports read exactly what the app stores.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from interviewer.auth.models import Role
from interviewer.extensions import db
from interviewer.reports.filters import ReportFilter, default_range
from interviewer.scorecards import services
from interviewer.scorecards.models import DecisionOutcome
from interviewer.scorecards.services import KitEntry, RatingInput, ScorecardInput
from tests import factories

NOW = datetime.now(UTC).replace(microsecond=0)


class Ratings:
    """One team with a job, its stages and skills, and a way to score its applications."""

    def __init__(self, team=None) -> None:
        self.team = team or factories.TeamFactory()
        self.job = factories.JobFactory(team=self.team)
        self.manager = factories.UserFactory(team=self.team, role=Role.HIRING_MANAGER)
        self.stages = {}

    def report_filter(self, **narrowed) -> ReportFilter:
        start, end = default_range(date.today())
        return ReportFilter(team_id=self.team.id, start=start, end=end, **narrowed)

    def skill(self, name: str):
        return factories.SkillFactory(team=self.team, name=name)

    def interviewer(self, name: str):
        return factories.UserFactory(team=self.team, name=name)

    def stage(self, key: str = "live_coding", job=None):
        job = job or self.job
        if (key, job.id) not in self.stages:
            stage_type = factories.StageTypeFactory(team=self.team, key=key)
            self.stages[key, job.id] = factories.PlanStageFactory(
                team=self.team, job=job, stage_type=stage_type
            )
        return self.stages[key, job.id]

    def application(self, job=None, received: datetime | None = None):
        application = factories.ApplicationFactory(team=self.team, job=job or self.job)
        if received is not None:
            application.created_at = received
            db.session.flush()
        return application

    def interview(self, application, panel, stage: str = "live_coding"):
        interview = factories.InterviewFactory(
            team=self.team,
            application=application,
            plan_stage=self.stage(stage, application.job),
            starts_at=NOW - timedelta(days=3),
        )
        for user in panel:
            factories.PanelMemberFactory(team=self.team, interview=interview, user=user)
        db.session.refresh(interview)
        return interview

    def score(self, interview, user, scores: dict, recommendation: int = 3, submit=True):
        """``user``'s scorecard of ``interview``: skill -> score (None = not assessed)."""
        scorecard = services.scorecard_for(db.session, interview, user, NOW)
        write = services.submit if submit else services.save_draft
        return write(
            db.session,
            scorecard,
            _input(scores, recommendation),
            entries=[KitEntry(skill) for skill in scores],
            expected_lock=scorecard.lock_version or 0,
            actor=user,
            now=NOW,
        )

    def amend(self, scorecard, scores: dict, recommendation: int = 3):
        return services.amend(
            db.session,
            scorecard,
            _input(scores, recommendation),
            "Misread my notes.",
            entries=[KitEntry(skill) for skill in scores],
            expected_lock=scorecard.lock_version,
            actor=scorecard.interviewer,
            now=NOW,
        )

    def panel(self, application, scores_by_user: dict, stage="live_coding", recommendations=None):
        """One interview of ``application`` in which each user submits their scores."""
        interview = self.interview(application, list(scores_by_user), stage)
        recommendations = recommendations or {}
        for user, scores in scores_by_user.items():
            self.score(interview, user, scores, recommendations.get(user, 3))
        return interview

    def decide(self, application, outcome: DecisionOutcome, at: datetime | None = None):
        return factories.DecisionFactory(
            team=self.team,
            application=application,
            decided_by=self.manager,
            outcome=outcome,
            created_at=at or NOW,
        )


def _input(scores: dict, recommendation: int) -> ScorecardInput:
    return ScorecardInput(
        ratings={
            skill.id: RatingInput(score, "" if score is None else "Seen in the session.")
            for skill, score in scores.items()
        },
        key_takeaways="Clear thinker.",
        recommendation=recommendation,
    )
