"""The rows and columns the three-year report pages read instead of working them out: each
panel seat's week (load), each rater row's latest decision (calibration) and the units
per skill and per stage type (reliability) follow every change and equal a rebuild from
scratch."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import literal, select

from interviewer.extensions import db
from interviewer.plans.models import PlanStage
from interviewer.reports import seats, summaries
from interviewer.reports.calibration import calibration_report
from interviewer.reports.filters import ReportFilter
from interviewer.reports.load import load_report
from interviewer.reports.models import (
    PanelSeat,
    RaterSummary,
    RatingUnit,
    SkillUnit,
    StageTypeUnit,
)
from interviewer.reports.reliability import reliability_report
from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import Decision, DecisionOutcome
from tests import factories
from tests.ratings_support import NOW, Ratings
from tests.test_decisions import REJECT_REASON

# A Sunday evening in UTC: its week began on Monday the 2nd, the next on the 9th.
SUNDAY = datetime(2026, 3, 8, 22, 30, tzinfo=UTC)


def weeks(team_id):
    """(interview, interviewer) -> the stored week of each of the team's seats."""
    rows = db.session.execute(
        select(PanelSeat.interview_id, PanelSeat.interviewer_id, PanelSeat.week).where(
            PanelSeat.team_id == team_id
        )
    )
    return {(i, u): _date(week) for i, u, week in rows}


def expected_weeks(team_id):
    """The same, worked out in Python: the Monday of each start in UTC."""
    return {
        (interview.id, member.user_id): _monday(interview.starts_at)
        for interview in db.session.scalars(select(Interview).where(Interview.team_id == team_id))
        if interview.status != "cancelled"
        for member in interview.panel
    }


def _date(value):
    return value if isinstance(value, date) else date.fromisoformat(value)


def _monday(moment: datetime) -> date:
    day = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def assert_weeks_follow(team_id):
    db.session.flush()
    found = weeks(team_id)
    assert found == expected_weeks(team_id)
    seats.refresh(db.session, team_id)
    assert weeks(team_id) == found


def test_a_seat_week_follows_its_interview_across_a_week_boundary(db):
    team = factories.TeamFactory()
    ada, bo = (factories.UserFactory(team=team, name=name) for name in ("Ada", "Bo"))
    interview = factories.InterviewFactory(
        team=team, starts_at=SUNDAY, ends_at=SUNDAY + timedelta(hours=1)
    )
    factories.PanelMemberFactory(team=team, interview=interview, user=ada)
    assert_weeks_follow(team.id)
    assert set(weeks(team.id).values()) == {date(2026, 3, 2)}

    # Two hours later is Monday: the next week, for the new panel member too.
    interview.starts_at = SUNDAY + timedelta(hours=2)
    interview.ends_at = SUNDAY + timedelta(hours=3)
    factories.PanelMemberFactory(team=team, interview=interview, user=bo)
    assert_weeks_follow(team.id)
    assert set(weeks(team.id).values()) == {date(2026, 3, 9)}

    report = load_report(db.session, ReportFilter(team.id, date(2026, 3, 1), date(2026, 3, 15)))
    assert {(row.name, row.busiest_week) for row in report.interviewers} == {
        ("Ada", date(2026, 3, 9)),
        ("Bo", date(2026, 3, 9)),
    }

    interview.status = "cancelled"
    assert_weeks_follow(team.id)
    assert weeks(team.id) == {}


def decisions(team_id):
    """(application, interviewer) -> the latest decision each rater row carries."""
    rows = db.session.execute(
        select(
            RaterSummary.application_id, RaterSummary.interviewer_id, RaterSummary.decision
        ).where(RaterSummary.team_id == team_id)
    )
    return {(a, u): decision for a, u, decision in rows}


def expected_decisions(team_id):
    """The same, from the decisions themselves: the latest by time, then id."""
    latest = {}
    for decision in db.session.scalars(
        select(Decision)
        .where(Decision.team_id == team_id)
        .order_by(Decision.created_at, Decision.id)
    ):
        latest[decision.application_id] = str(decision.outcome)
    return {(a, u): latest.get(a) for a, u in decisions(team_id)}


def assert_decisions_follow(team_id):
    db.session.flush()
    found = decisions(team_id)
    assert found == expected_decisions(team_id)
    summaries.refresh(db.session, team_id)
    assert decisions(team_id) == found
    return found


def agreement(team, name):
    result = calibration_report(db.session, team.report_filter())
    person = next(person for person in result.interviewers if person.name == name)
    return person.decided, person.agreed


def test_the_latest_decision_on_rater_rows_follows_every_decision(team_ratings):
    team = team_ratings
    skill = team.skill("API design")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    first, second = team.application(), team.application()
    team.panel(first, {ada: {skill: 4}, grace: {skill: 2}}, recommendations={ada: 4, grace: 1})
    assert set(assert_decisions_follow(team.team.id).values()) == {None}
    assert agreement(team, "Ada") == (0, 0)

    advance = team.decide(first, DecisionOutcome.ADVANCE, at=NOW - timedelta(days=2))
    assert_decisions_follow(team.team.id)
    assert agreement(team, "Ada") == (1, 1)
    assert agreement(team, "Grace") == (1, 0)

    # A later rejection is the latest; one recorded earlier is not.
    reject = team.decide(first, DecisionOutcome.REJECT, at=NOW - timedelta(days=1))
    team.decide(first, DecisionOutcome.HIRE, at=NOW - timedelta(days=5))
    assert_decisions_follow(team.team.id)
    assert agreement(team, "Ada") == (1, 0)
    assert agreement(team, "Grace") == (1, 1)

    # Moved back in time, then removed: the advance is the latest again.
    reject.created_at = NOW - timedelta(days=3)
    assert_decisions_follow(team.team.id)
    assert agreement(team, "Ada") == (1, 1)
    db.session.delete(advance)
    assert_decisions_follow(team.team.id)
    assert agreement(team, "Ada") == (1, 0)

    # A scorecard submitted after the decision carries it from the start.
    team.decide(second, DecisionOutcome.OFFER)
    team.panel(second, {ada: {skill: 3}, grace: {skill: 3}}, recommendations={ada: 3, grace: 3})
    found = assert_decisions_follow(team.team.id)
    assert found[second.id, ada.id] == "offer"
    assert agreement(team, "Grace") == (2, 2)


def test_a_decision_recorded_on_the_debrief_reaches_the_rater_rows(team_ratings, client, auth):
    team = team_ratings
    skill = team.skill("Testing")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    application = team.application()
    application.current_stage = team.stage()
    team.panel(
        application, {ada: {skill: 4}, grace: {skill: 1}}, recommendations={ada: 4, grace: 1}
    )
    db.session.commit()
    auth.login(user=team.manager)

    response = client.post(
        f"/applications/{application.id}/decisions",
        data={"outcome": "reject", "rationale": "Not the level.", "reason": REJECT_REASON},
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert set(assert_decisions_follow(team.team.id).values()) == {"reject"}
    assert agreement(team, "Ada") == (1, 0)
    assert agreement(team, "Grace") == (1, 1)


def units(model, key):
    """The stored units of ``model``: (application, skill, key) -> (n1, n2, n3, n4)."""
    rows = db.session.execute(
        select(model.application_id, model.skill_id, key, model.n1, model.n2, model.n3, model.n4)
    )
    return {(a, s, k): tuple(counts) for a, s, k, *counts in rows}


def expected_units(by_type: bool):
    """The same, added up in Python from the ratings units per plan stage."""
    found: dict = {}
    for unit in db.session.scalars(select(RatingUnit)):
        stage = db.session.get(PlanStage, unit.plan_stage_id)
        key = (unit.application_id, unit.skill_id, stage.stage_type_id if by_type else None)
        counts = found.get(key, (0, 0, 0, 0))
        found[key] = tuple(
            a + b for a, b in zip(counts, (unit.n1, unit.n2, unit.n3, unit.n4), strict=True)
        )
    return found


def assert_units_follow(team_id):
    db.session.flush()
    db.session.expire_all()
    skills = units(SkillUnit, literal(None))
    stage_types = units(StageTypeUnit, StageTypeUnit.stage_type_id)
    assert skills == expected_units(by_type=False)
    assert stage_types == expected_units(by_type=True)
    summaries.refresh(db.session, team_id)
    assert units(SkillUnit, literal(None)) == skills
    assert units(StageTypeUnit, StageTypeUnit.stage_type_id) == stage_types
    return skills, stage_types


def test_skill_and_stage_type_units_follow_ratings_and_retyped_stages(team_ratings):
    team = team_ratings
    api = team.skill("API design")
    ada, grace, linus = (team.interviewer(n) for n in ("Ada", "Grace", "Linus"))
    application = team.application()
    team.panel(application, {ada: {api: 4}, grace: {api: 2}}, stage="live_coding")
    team.panel(application, {linus: {api: 3}}, stage="system_design")
    skills, stage_types = assert_units_follow(team.team.id)
    assert skills == {(application.id, api.id, None): (0, 1, 1, 1)}
    assert len(stage_types) == 2

    # An amendment replaces the counts of the version it amends.
    card = team.score(team.interview(application, [ada], "behavioral"), ada, {api: 1})
    team.amend(card, {api: 2})
    assert_units_follow(team.team.id)

    # The system design stage becomes a live coding one: one unit of that type now.
    coding = team.stage("live_coding")
    team.stage("system_design").stage_type = coding.stage_type
    skills, stage_types = assert_units_follow(team.team.id)
    assert {key[2] for key in stage_types} == {
        coding.stage_type_id,
        team.stage("behavioral").stage_type_id,
    }
    result = reliability_report(db.session, team.report_filter())
    assert [a.units for a in result.stages if a.key == coding.stage_type_id] == [1]


@pytest.fixture
def team_ratings(db):
    return Ratings()
