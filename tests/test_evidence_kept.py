"""The database itself keeps the evidence of an assessment: deleting a skill, a plan stage,
a kit version or a user that ratings, interviews or scorecards point at is refused, whatever
the app checks first; deleting a whole team still takes every row of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from interviewer.auth.models import Role, Team, User
from interviewer.catalog.models import Skill
from interviewer.plans.models import KitVersion, PlanStage, plan_stage_focus_skill
from interviewer.scheduling.models import CandidateWindow, Interview
from interviewer.scorecards.models import (
    Rating,
    Scorecard,
    ScorecardRevision,
    ScorecardState,
)
from tests import factories


def refused(db, row) -> None:
    """Deleting ``row`` fails at flush; the savepoint rolls the attempt back."""
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.delete(row)
        db.session.flush()


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_deleting_a_skill_that_has_a_rating_is_refused_and_the_rating_stays(db):
    rating = factories.RatingFactory(score=4)
    skill = rating.skill

    refused(db, skill)

    assert count(db, Skill, Skill.id == skill.id) == 1
    assert db.session.get(Rating, rating.id).score == 4


def test_deleting_a_plan_stage_that_has_an_interview_is_refused_by_the_database(db):
    interview = factories.InterviewFactory()
    stage = interview.plan_stage

    refused(db, stage)

    assert count(db, PlanStage, PlanStage.id == stage.id) == 1
    assert db.session.get(Interview, interview.id).plan_stage_id == stage.id


def test_deleting_a_kit_version_an_interview_used_is_refused_by_the_database(db):
    kit = factories.KitVersionFactory()
    interview = factories.InterviewFactory(
        team=kit.team, plan_stage=kit.plan_stage, kit_version=kit
    )

    refused(db, kit)

    assert db.session.get(Interview, interview.id).kit_version_id == kit.id


def test_deleting_a_user_who_wrote_scorecards_is_refused_and_the_scorecards_stay(db):
    team = factories.TeamFactory()
    author = factories.UserFactory(team=team)
    for _ in range(2):
        factories.ScorecardFactory(team=team, interviewer=author)

    refused(db, author)

    assert count(db, User, User.id == author.id) == 1
    assert count(db, Scorecard, Scorecard.interviewer_id == author.id) == 2


def test_deleting_a_whole_team_takes_every_row_of_it_and_nothing_of_another(db):
    team = factories.TeamFactory()
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    interviewer = factories.UserFactory(team=team)
    skill = factories.SkillFactory(team=team)
    job = factories.JobFactory(team=team, hiring_manager=manager)
    factories.ExpectationFactory(team=team, level=job.level, skill=skill)
    stage = factories.PlanStageFactory(team=team, job=job, focus_skills=[skill])
    kit = factories.KitVersionFactory(team=team, plan_stage=stage, created_by=manager)
    factories.KitItemFactory(team=team, kit_version=kit, skill=skill)
    application = factories.ApplicationFactory(team=team, job=job, current_stage=stage)
    interview = factories.InterviewFactory(
        team=team, application=application, plan_stage=stage, kit_version=kit
    )
    factories.PanelMemberFactory(team=team, interview=interview, user=interviewer)
    scorecard = factories.ScorecardFactory(
        team=team,
        interview=interview,
        interviewer=interviewer,
        kit_version=kit,
        state=ScorecardState.SUBMITTED,
    )
    factories.RatingFactory(team=team, scorecard=scorecard, skill=skill)
    db.session.add(ScorecardRevision(team=team, scorecard=scorecard, number=1, author=interviewer))
    factories.DecisionFactory(team=team, application=application, decided_by=manager)
    factories.AuditEventFactory(team=team, actor=manager)
    factories.AvailabilityFactory(team=team, user=interviewer)
    start = datetime.now(UTC) + timedelta(days=3)
    db.session.add(
        CandidateWindow(
            team=team,
            application=application,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
    )
    other = factories.RatingFactory()
    db.session.flush()
    team_id, other_team_id = team.id, other.team_id

    tables = [table for table in db.metadata.sorted_tables if "team_id" in table.c]
    built = {table.name for table in tables if count(db, table, table.c.team_id == team_id)}
    assert {"interview", "panel_member", "scorecard", "rating", "decision"} <= built

    db.session.execute(delete(Team).where(Team.id == team_id))
    db.session.expire_all()

    left = {table.name: count(db, table, table.c.team_id == team_id) for table in tables}
    assert left == dict.fromkeys(left, 0)
    assert count(db, Team, Team.id == team_id) == 0
    assert count(db, plan_stage_focus_skill) == 0
    assert count(db, Rating, Rating.team_id == other_team_id) == 1
    assert count(db, KitVersion) == 0
