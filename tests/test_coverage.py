"""Coverage of an interview plan: the matrix and each of its flags, true and false."""

from __future__ import annotations

import pytest

from interviewer.auth.models import Role
from interviewer.plans.coverage import coverage_for
from tests import factories


@pytest.fixture
def job(db):
    return factories.JobFactory()


def expect(job, proficiency, name=None):
    """A skill that ``job``'s level expects at ``proficiency``."""
    extra = {"skill__name": name} if name else {}
    return factories.ExpectationFactory(
        team=job.team, level=job.level, proficiency=proficiency, **extra
    ).skill


def stage(job, *skills, minutes=60, key="live_coding"):
    return factories.PlanStageFactory(
        team=job.team,
        job=job,
        stage_type__key=key,
        focus_skills=list(skills),
        duration_minutes=minutes,
    )


def test_an_expected_skill_no_stage_assesses_is_uncovered_and_named(db, job):
    api = expect(job, 2, "API design")
    testing = expect(job, 1, "Testing")
    stage(job, api)

    coverage = coverage_for(db.session, job)

    assert coverage.uncovered_skills == [testing]
    assert not coverage.complete
    assert "No stage assesses: Testing." in coverage.findings


def test_a_plan_that_assesses_every_expected_skill_is_complete(db, job):
    api, testing = expect(job, 2), expect(job, 1)
    stage(job, api)
    stage(job, testing)

    coverage = coverage_for(db.session, job)

    assert coverage.complete
    assert coverage.uncovered_skills == []
    assert coverage.findings == []


def test_a_skill_at_proficiency_zero_is_not_expected(db, job):
    not_expected = expect(job, 0)
    stage(job, not_expected)

    coverage = coverage_for(db.session, job)

    assert coverage.rows == []
    assert coverage.complete
    assert coverage.unexpected_skills == [not_expected]


def test_a_deep_skill_assessed_by_one_stage_only_is_flagged_as_thin(db, job):
    design = expect(job, 3, "System design")
    stage(job, design)

    coverage = coverage_for(db.session, job)

    assert coverage.thin_skills == [design]
    assert coverage.complete
    assert (
        "1 skill is expected at proficiency 3+ but assessed by one stage only: "
        "System design; add it to another stage." in coverage.findings
    )


def test_a_deep_skill_assessed_twice_is_not_thin(db, job):
    design = expect(job, 4)
    stage(job, design)
    stage(job, design)

    assert coverage_for(db.session, job).thin_skills == []


def test_a_skill_below_proficiency_three_may_be_assessed_once(db, job):
    stage(job, expect(job, 2))

    assert coverage_for(db.session, job).thin_skills == []


def test_a_stage_without_focus_skill_is_flagged(db, job):
    empty = stage(job)
    empty.name = "Coffee chat"
    stage(job, expect(job, 1))

    coverage = coverage_for(db.session, job)

    assert coverage.stages_without_focus == [empty]
    assert "1 stage has no focus skill: “Coffee chat”." in coverage.findings


def test_stages_with_focus_skills_are_not_flagged(db, job):
    stage(job, expect(job, 1))

    assert coverage_for(db.session, job).stages_without_focus == []


def test_a_plan_longer_than_the_team_limit_is_flagged(db, job):
    job.team.max_plan_minutes = 120
    skill = expect(job, 1)
    stage(job, skill, minutes=60)
    stage(job, skill, minutes=90)

    coverage = coverage_for(db.session, job)

    assert coverage.total_minutes == 150
    assert coverage.over_time
    assert "The plan takes 2.5 h, over the team's limit of 2.0 h." in coverage.findings


def test_a_plan_exactly_at_the_limit_is_not_over_time(db, job):
    job.team.max_plan_minutes = 120
    skill = expect(job, 1)
    stage(job, skill, minutes=60)
    stage(job, skill, minutes=60)

    assert not coverage_for(db.session, job).over_time


def test_the_default_limit_is_six_hours(db, job):
    assert coverage_for(db.session, job).limit_minutes == 360


def test_other_teams_expectations_and_stages_do_not_count(db, job):
    expect(job, 2)
    other = factories.JobFactory()
    factories.ExpectationFactory(team=other.team, level=other.level, proficiency=3)

    coverage = coverage_for(db.session, job)

    assert len(coverage.rows) == 1
    assert coverage.stages == []


def test_the_plan_page_shows_the_matrix_with_headers_and_marks(client, auth, job):
    auth.login(Role.INTERVIEWER, team=job.team)
    api = expect(job, 3, "API design")
    expect(job, 2, "Security")
    stage(job, api).name = "Live coding"
    stage(job, minutes=30, key="screen").name = "Recruiter screen"

    page = client.get(f"/jobs/{job.id}/plan").text

    assert '<th scope="col">1. Live coding</th>' in page
    assert '<th scope="col">2. Recruiter screen</th>' in page
    assert '<th scope="row" class="coverage-skill">API design' in page
    assert '<span class="visually-hidden">Assessed</span>' in page
    assert "1 skill not assessed:</strong> Security." in page
    assert "1 skill assessed once:</strong> API design (proficiency 3)." in page
    assert "1 stage with no focus skill:</strong>" in page
    assert "“Recruiter screen”" in page


def test_the_plan_page_says_when_the_plan_has_no_gap(client, auth, job):
    auth.login(Role.HIRING_MANAGER, team=job.team)
    skill = expect(job, 2)
    stage(job, skill)

    page = client.get(f"/jobs/{job.id}/plan").text

    assert "Every skill" in page and "is assessed" in page
    assert "not assessed:" not in page
    assert "to fix in this plan" not in page


def test_the_plan_page_flags_a_plan_over_the_time_limit(client, auth, job):
    auth.login(Role.HIRING_MANAGER, team=job.team)
    job.team.max_plan_minutes = 60
    stage(job, expect(job, 1), minutes=90)

    page = client.get(f"/jobs/{job.id}/plan").text

    assert "Too long:</strong> the plan takes 1 h 30 min, over the team's limit of 1 h." in page


def test_the_plan_page_groups_the_findings_in_one_panel_one_line_per_kind(client, auth, job):
    auth.login(Role.HIRING_MANAGER, team=job.team)
    deep = [expect(job, 3, name) for name in ("API design", "Caching", "Databases")]
    stage(job, *deep).name = "Live coding"
    for name in ("Coffee chat", "Lunch"):
        stage(job, minutes=30, key="screen").name = name

    page = client.get(f"/jobs/{job.id}/plan").text

    panel = page[page.index('class="card coverage-findings') : page.index('id="stages"')]
    assert page.count('class="card coverage-findings') == 1
    assert "2 things to fix in this plan" in panel
    assert panel.count("<li") == 2
    assert (
        "3 skills assessed once:</strong> API design (proficiency 3), Caching (proficiency 3), "
        "Databases (proficiency 3)." in panel
    )
    assert "2 stages with no focus skill:</strong>" in panel
    assert "“Coffee chat”</a>, " in panel and "“Lunch”</a>." in panel
    assert "list-group-item-warning" not in page
    assert "alert" not in panel


def test_the_findings_name_every_thin_skill_in_one_sentence(db, job):
    deep = [expect(job, 3, name) for name in ("API design", "Caching")]
    stage(job, *deep)

    assert coverage_for(db.session, job).findings == [
        "2 skills are expected at proficiency 3+ but assessed by one stage only: "
        "API design, Caching; add each to another stage."
    ]
