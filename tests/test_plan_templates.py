"""Copying a plan from another job, and the team's plan templates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.plans import kits
from interviewer.plans.models import PlanStage, PlanTemplate
from tests import factories


@pytest.fixture
def team(db):
    return factories.TeamFactory()


@pytest.fixture
def manager(auth, team):
    return auth.login(Role.HIRING_MANAGER, team=team)


@pytest.fixture
def skills(team):
    return {
        name: factories.SkillFactory(team=team, name=name)
        for name in ("API design", "Security", "Testing")
    }


def job_at(team, level, skills, anchor_prefix):
    """A job of ``level`` whose matrix expects every skill, with anchors named by level."""
    for skill in skills.values():
        factories.ExpectationFactory(
            team=team,
            level=level,
            skill=skill,
            proficiency=2,
            description=f"{anchor_prefix}: {skill.name}",
        )
    return factories.JobFactory(team=team, level=level)


@pytest.fixture
def senior(team, skills):
    return factories.LevelFactory(team=team, name="Senior")


@pytest.fixture
def source(team, skills, senior):
    """A job with two stages and written kits."""
    job = job_at(team, senior, skills, "Senior")
    coding = factories.PlanStageFactory(
        team=team,
        job=job,
        position=1,
        name="Pairing",
        stage_type__key="live_coding",
        duration_minutes=90,
        panel_size=2,
        focus_skills=[skills["API design"], skills["Testing"]],
    )
    talk = factories.PlanStageFactory(
        team=team,
        job=job,
        position=2,
        name="Values",
        stage_type__key="behavioral",
        focus_skills=[skills["Security"]],
    )
    for stage in (coding, talk):
        kit = factories.KitVersionFactory(
            team=team, plan_stage=stage, what_to_expect=f"About {stage.name}."
        )
        for skill in stage.focus_skills:
            factories.KitItemFactory(
                team=team,
                kit_version=kit,
                skill=skill,
                questions=f"Ask about {skill.name}",
                probe=f"Probe {skill.name}",
                rubric=f"Custom senior anchor: {skill.name}",
            )
        kits.mark_kit_used(factories.db.session, kit, datetime(2026, 1, 5, tzinfo=UTC))
    return job


def plan_of(db, job):
    db.session.expire_all()
    return db.session.scalars(
        select(PlanStage).where(PlanStage.job_id == job.id).order_by(PlanStage.position)
    ).all()


# Copy a plan --------------------------------------------------------------------------------


def test_copying_into_an_empty_plan_brings_stages_focus_skills_and_kits(
    client, manager, team, skills, senior, source, db
):
    target = job_at(team, senior, {}, "unused")

    response = client.post(
        f"/jobs/{target.id}/plan/copy", data={"copy-source": source.id}, follow_redirects=True
    )

    assert "Added 2 stages with their kits." in response.text
    coding, talk = plan_of(db, target)
    assert (coding.name, coding.position, coding.duration_minutes, coding.panel_size) == (
        "Pairing",
        1,
        90,
        2,
    )
    assert coding.stage_type.key == "live_coding"
    assert [s.name for s in coding.focus_skills] == ["API design", "Testing"]
    assert [s.name for s in talk.focus_skills] == ["Security"]
    kit = coding.current_kit
    assert (kit.number, kit.used_at, kit.what_to_expect) == (1, None, "About Pairing.")
    assert sorted((i.questions, i.probe, i.rubric) for i in kit.items) == [
        ("Ask about API design", "Probe API design", "Custom senior anchor: API design"),
        ("Ask about Testing", "Probe Testing", "Custom senior anchor: Testing"),
    ]
    assert len(plan_of(db, source)) == 2


def test_copying_to_another_level_takes_that_levels_rubric_anchors(
    client, manager, team, skills, source, db
):
    junior = factories.LevelFactory(team=team, name="Junior")
    target = job_at(team, junior, skills, "Junior")

    client.post(f"/jobs/{target.id}/plan/copy", data={"copy-source": source.id})

    coding = plan_of(db, target)[0]
    assert sorted((i.questions, i.rubric) for i in coding.current_kit.items) == [
        ("Ask about API design", "Junior: API design"),
        ("Ask about Testing", "Junior: Testing"),
    ]


def test_copying_into_a_plan_with_stages_asks_first(client, manager, team, senior, source, db):
    target = job_at(team, senior, {}, "unused")
    factories.PlanStageFactory(team=team, job=target, position=1, name="Existing")

    response = client.post(f"/jobs/{target.id}/plan/copy", data={"copy-source": source.id})

    assert response.status_code == 200
    assert "This plan already has 1 stage" in response.text
    assert 'name="copy-mode" value="append"' in response.text
    assert 'name="copy-mode" value="replace"' in response.text
    assert [s.name for s in plan_of(db, target)] == ["Existing"]


def test_a_confirmed_append_keeps_the_current_stages_first(
    client, manager, team, senior, source, db
):
    target = job_at(team, senior, {}, "unused")
    factories.PlanStageFactory(team=team, job=target, position=1, name="Existing")

    client.post(
        f"/jobs/{target.id}/plan/copy", data={"copy-source": source.id, "copy-mode": "append"}
    )

    plan = plan_of(db, target)
    assert [(s.position, s.name) for s in plan] == [(1, "Existing"), (2, "Pairing"), (3, "Values")]


def test_a_confirmed_replace_removes_the_current_stages(client, manager, team, senior, source, db):
    target = job_at(team, senior, {}, "unused")
    factories.PlanStageFactory(team=team, job=target, position=1, name="Existing")

    client.post(
        f"/jobs/{target.id}/plan/copy", data={"copy-source": source.id, "copy-mode": "replace"}
    )

    assert [s.name for s in plan_of(db, target)] == ["Pairing", "Values"]


def test_replacing_stages_that_have_interviews_is_refused(
    client, manager, team, senior, source, db
):
    target = job_at(team, senior, {}, "unused")
    existing = factories.PlanStageFactory(team=team, job=target, position=1, name="Existing")
    factories.InterviewFactory(team=team, application__job=target, plan_stage=existing)

    response = client.post(
        f"/jobs/{target.id}/plan/copy",
        data={"copy-source": source.id, "copy-mode": "replace"},
        follow_redirects=True,
    )

    assert "The current plan cannot be replaced: 1 interview of this stage is on record" in (
        response.text
    )
    assert [s.name for s in plan_of(db, target)] == ["Existing"]


def test_a_plan_of_another_team_cannot_be_copied(client, manager, team, senior, db):
    target = job_at(team, senior, {}, "unused")
    foreign = factories.PlanStageFactory(name="Foreign").job

    response = client.post(f"/jobs/{target.id}/plan/copy", data={"copy-source": foreign.id})

    assert response.status_code == 200
    assert "Not a valid choice." in response.text
    assert plan_of(db, target) == []


def test_copy_is_audited(client, manager, team, senior, source, db):
    target = job_at(team, senior, {}, "unused")

    client.post(f"/jobs/{target.id}/plan/copy", data={"copy-source": source.id})

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.copied"))
    assert (event.subject_id, event.data["source_job_id"]) == (target.id, source.id)


# Templates ----------------------------------------------------------------------------------


def save(client, job, name="Backend standard loop"):
    return client.post(
        f"/jobs/{job.id}/plan/save-template", data={"save-name": name}, follow_redirects=True
    )


def test_a_plan_is_saved_as_a_template_with_its_questions(client, manager, source, db):
    response = save(client, source)

    assert "Saved the plan as the template “Backend standard loop”." in response.text
    template = db.session.scalar(select(PlanTemplate))
    assert [(s.position, s.name, s.duration_minutes) for s in template.stages] == [
        (1, "Pairing", 90),
        (2, "Values", 60),
    ]
    assert sorted((f.skill.name, f.questions, f.probe) for f in template.stages[0].focus) == [
        ("API design", "Ask about API design", "Probe API design"),
        ("Testing", "Ask about Testing", "Probe Testing"),
    ]
    assert template.stages[0].what_to_expect == "About Pairing."


def test_a_template_name_is_unique_in_the_team(client, manager, source, db):
    save(client, source)

    response = save(client, source, "backend STANDARD loop")

    assert "A template named “backend STANDARD loop” exists; choose another name." in (
        response.text
    )
    assert len(db.session.scalars(select(PlanTemplate)).all()) == 1


def test_an_empty_plan_cannot_be_saved_as_a_template(client, manager, team, senior, db):
    empty = job_at(team, senior, {}, "unused")

    response = save(client, empty)

    assert "Add stages to the plan before saving it as a template." in response.text
    assert db.session.scalars(select(PlanTemplate)).all() == []


def test_a_template_needs_a_name(client, manager, source, db):
    response = save(client, source, "  ")

    assert "Give the template a name." in response.text


def test_applying_a_template_builds_the_plan_with_the_jobs_rubric(
    client, manager, team, skills, source, db
):
    save(client, source)
    template = db.session.scalar(select(PlanTemplate))
    middle = factories.LevelFactory(team=team, name="Middle")
    target = job_at(team, middle, skills, "Middle")

    response = client.post(
        f"/jobs/{target.id}/plan/apply-template",
        data={"template-source": template.id},
        follow_redirects=True,
    )

    assert "Added 2 stages with their kits." in response.text
    coding, talk = plan_of(db, target)
    assert [s.name for s in coding.focus_skills] == ["API design", "Testing"]
    assert talk.stage_type.key == "behavioral"
    assert sorted((i.questions, i.rubric) for i in coding.current_kit.items) == [
        ("Ask about API design", "Middle: API design"),
        ("Ask about Testing", "Middle: Testing"),
    ]
    assert coding.current_kit.what_to_expect == "About Pairing."


def test_applying_a_template_to_a_plan_with_stages_asks_first(
    client, manager, team, senior, source, db
):
    save(client, source)
    template = db.session.scalar(select(PlanTemplate))

    response = client.post(
        f"/jobs/{source.id}/plan/apply-template", data={"template-source": template.id}
    )

    assert "This plan already has 2 stages" in response.text
    assert "The template <strong>Backend standard loop</strong>" in response.text
    assert len(plan_of(db, source)) == 2


def test_the_templates_page_lists_templates_with_their_stages(client, manager, source):
    save(client, source)

    page = client.get("/plan-templates").text

    assert "Backend standard loop" in page
    assert "Pairing" in page and "API design, Testing" in page


def test_the_templates_page_says_how_to_make_one(client, manager):
    page = client.get("/plan-templates").text

    assert "No templates yet." in page


def test_a_template_is_deleted_and_plans_built_from_it_stay(
    client, manager, team, senior, source, db
):
    save(client, source)
    template = db.session.scalar(select(PlanTemplate))

    response = client.post(f"/plan-templates/{template.id}/delete", follow_redirects=True)

    assert "Deleted the template “Backend standard loop”." in response.text
    assert db.session.scalars(select(PlanTemplate)).all() == []
    assert len(plan_of(db, source)) == 2


def test_another_teams_template_cannot_be_deleted_or_applied(client, manager, team, senior, db):
    target = job_at(team, senior, {}, "unused")
    foreign = PlanTemplate(team=factories.TeamFactory(), name="Theirs")
    db.session.add(foreign)
    db.session.flush()

    assert client.post(f"/plan-templates/{foreign.id}/delete").status_code == 404
    applied = client.post(
        f"/jobs/{target.id}/plan/apply-template", data={"template-source": foreign.id}
    )
    assert "Not a valid choice." in applied.text
    assert db.session.get(PlanTemplate, foreign.id) is not None


def test_templates_are_for_managers_only(client, auth, team):
    auth.login(Role.INTERVIEWER, team=team)

    assert client.get("/plan-templates").status_code == 403
