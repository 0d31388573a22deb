"""Interview kits: prefilled from the matrix, edited in place until used, then versioned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.plans import kits
from interviewer.plans.models import KitVersion, PlanStage
from tests import factories


@pytest.fixture
def job(db):
    return factories.JobFactory()


@pytest.fixture
def manager(auth, job):
    return auth.login(Role.HIRING_MANAGER, team=job.team)


def expect(job, name, anchor, proficiency=3):
    return factories.ExpectationFactory(
        team=job.team,
        level=job.level,
        proficiency=proficiency,
        description=anchor,
        skill__name=name,
    ).skill


def add_stage(client, job, *skills, name="Live coding"):
    """Add a stage through the plan page, as a manager does."""
    response = client.post(
        f"/jobs/{job.id}/plan/stages",
        data={
            "stage_type": "live_coding",
            "name": name,
            "duration_minutes": "60",
            "panel_size": "1",
            "focus_skills": [str(skill.id) for skill in skills],
        },
    )
    assert response.status_code == 302
    return client.application.extensions["sqlalchemy"].session.scalar(
        select(PlanStage).where(PlanStage.job_id == job.id, PlanStage.name == name)
    )


def kit_url(job, stage, **query):
    suffix = "".join(f"?{key}={value}" for key, value in query.items())
    return f"/jobs/{job.id}/plan/stages/{stage.id}/kit{suffix}"


def kit_data(stage, what="Pairing in a shared editor.", **per_skill):
    """Form data for the kit of ``stage``; ``per_skill`` maps skill names to question text."""
    data = {"what_to_expect": what}
    for index, skill in enumerate(stage.focus_skills):
        item = next(i for i in stage.current_kit.items if i.skill_id == skill.id)
        data[f"items-{index}-skill_id"] = str(skill.id)
        data[f"items-{index}-questions"] = per_skill.get(skill.name, item.questions)
        data[f"items-{index}-probe"] = item.probe
        data[f"items-{index}-rubric"] = item.rubric
    return data


def versions(db, stage):
    db.session.expire_all()
    return db.session.scalars(
        select(KitVersion).where(KitVersion.plan_stage_id == stage.id).order_by(KitVersion.number)
    ).all()


def test_a_new_stage_gets_a_kit_with_the_levels_rubric_anchors(client, manager, job, db):
    api = expect(job, "API design", "Designs paginated, versioned endpoints.")
    testing = expect(job, "Testing", "Writes tests that pin behaviour.")

    stage = add_stage(client, job, api, testing)

    (kit,) = versions(db, stage)
    assert kit.number == 1 and kit.used_at is None
    anchors = {item.skill.name: item.rubric for item in kit.items}
    assert anchors == {
        "API design": "Designs paginated, versioned endpoints.",
        "Testing": "Writes tests that pin behaviour.",
    }
    page = client.get(kit_url(job, stage)).text
    assert "Designs paginated, versioned endpoints." in page
    assert f"{job.level.name} expects 3 · Strong" in page


def test_editing_an_unused_kit_changes_it_in_place(client, manager, job, db):
    api = expect(job, "API design", "Anchor")
    stage = add_stage(client, job, api)

    response = client.post(
        kit_url(job, stage),
        data=kit_data(stage, **{"API design": "Design GET /orders."}),
        follow_redirects=True,
    )

    assert "Saved kit version 1." in response.text
    (kit,) = versions(db, stage)
    assert kit.what_to_expect == "Pairing in a shared editor."
    assert kit.items[0].questions == "Design GET /orders."


def test_editing_a_used_kit_creates_the_next_version_and_keeps_the_old_one(
    client, manager, job, db
):
    api = expect(job, "API design", "Anchor")
    stage = add_stage(client, job, api)
    client.post(kit_url(job, stage), data=kit_data(stage, **{"API design": "Question A"}))
    used_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    kits.mark_kit_used(db.session, stage.current_kit, used_at)

    response = client.post(
        kit_url(job, stage),
        data=kit_data(stage, **{"API design": "Question B"}),
        follow_redirects=True,
    )

    assert "Saved as kit version 2. Version 1 stays as the interviews that used it saw it." in (
        response.text
    )
    first, second = versions(db, stage)
    assert (first.number, first.items[0].questions, first.used_at) == (1, "Question A", used_at)
    assert (second.number, second.items[0].questions, second.used_at) == (2, "Question B", None)
    assert second.what_to_expect == first.what_to_expect
    assert second.items[0].rubric == "Anchor"
    assert "Question B" in response.text


def test_an_old_version_stays_readable_with_a_banner(client, manager, job, db):
    api = expect(job, "API design", "Anchor")
    stage = add_stage(client, job, api)
    client.post(kit_url(job, stage), data=kit_data(stage, **{"API design": "Question A"}))
    kits.mark_kit_used(db.session, stage.current_kit, datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    client.post(kit_url(job, stage), data=kit_data(stage, **{"API design": "Question B"}))

    page = client.get(kit_url(job, stage, version=1)).text

    assert "You are reading <strong>version 1</strong>, used by interviews since" in page
    assert "Mon 02 Mar 2026, 09:00" in page
    assert "Question A" in page and "Question B" not in page
    assert "<textarea" not in page


def test_saving_an_unchanged_used_kit_makes_no_new_version(client, manager, job, db):
    api = expect(job, "API design", "Anchor")
    stage = add_stage(client, job, api)
    client.post(kit_url(job, stage), data=kit_data(stage, **{"API design": "Line 1\nLine 2"}))
    kits.mark_kit_used(db.session, stage.current_kit, datetime.now(UTC))

    # Browsers send textarea line breaks as CRLF.
    response = client.post(
        kit_url(job, stage),
        data=kit_data(stage, **{"API design": "Line 1\r\nLine 2"}),
        follow_redirects=True,
    )

    assert "Nothing changed in the kit." in response.text
    assert len(versions(db, stage)) == 1


def test_a_new_focus_skill_joins_an_unused_kit_in_place(client, manager, job, db):
    api = expect(job, "API design", "Anchor A")
    security = expect(job, "Security", "Anchor S")
    stage = add_stage(client, job, api)

    client.post(
        f"/jobs/{job.id}/plan/stages/{stage.id}/edit",
        data={
            "stage_type": "live_coding",
            "name": "Live coding",
            "duration_minutes": "60",
            "panel_size": "1",
            "focus_skills": [str(api.id), str(security.id)],
        },
    )

    (kit,) = versions(db, stage)
    assert {item.skill.name: item.rubric for item in kit.items} == {
        "API design": "Anchor A",
        "Security": "Anchor S",
    }


def test_a_new_focus_skill_on_a_used_kit_makes_a_new_version(client, manager, job, db):
    api = expect(job, "API design", "Anchor A")
    security = expect(job, "Security", "Anchor S")
    stage = add_stage(client, job, api)
    client.post(kit_url(job, stage), data=kit_data(stage, **{"API design": "Question A"}))
    kits.mark_kit_used(db.session, stage.current_kit, datetime.now(UTC))

    client.post(
        f"/jobs/{job.id}/plan/stages/{stage.id}/edit",
        data={
            "stage_type": "live_coding",
            "name": "Live coding",
            "duration_minutes": "60",
            "panel_size": "1",
            "focus_skills": [str(api.id), str(security.id)],
        },
    )

    first, second = versions(db, stage)
    assert [item.skill.name for item in first.items] == ["API design"]
    assert sorted((i.skill.name, i.questions) for i in second.items) == [
        ("API design", "Question A"),
        ("Security", ""),
    ]


def test_a_kit_that_is_too_long_is_refused_with_a_message(client, manager, job, db):
    api = expect(job, "API design", "Anchor")
    stage = add_stage(client, job, api)

    response = client.post(kit_url(job, stage), data=kit_data(stage, **{"API design": "x" * 5001}))

    assert response.status_code == 200
    assert "Field cannot be longer than 5000 characters." in response.text
    assert versions(db, stage)[0].items[0].questions == ""


def test_a_stage_without_a_kit_gets_one_on_first_save(client, manager, job, db):
    skill = expect(job, "Testing", "Anchor T")
    stage = factories.PlanStageFactory(team=job.team, job=job, focus_skills=[skill])

    page = client.get(kit_url(job, stage)).text
    assert "Anchor T" in page

    client.post(
        kit_url(job, stage),
        data={
            "what_to_expect": "A conversation.",
            "items-0-skill_id": str(skill.id),
            "items-0-questions": "How do you test a migration?",
            "items-0-probe": "",
            "items-0-rubric": "Anchor T",
        },
    )

    (kit,) = versions(db, stage)
    assert kit.what_to_expect == "A conversation."
    assert kit.items[0].questions == "How do you test a migration?"


def test_kit_versions_are_audited(client, manager, job, db):
    stage = add_stage(client, job, expect(job, "API design", "Anchor"))
    kits.mark_kit_used(db.session, stage.current_kit, datetime.now(UTC))
    client.post(kit_url(job, stage), data=kit_data(stage, what="Changed."))

    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "kit_version")
    ).all()

    assert actions.count("kit_version.created") == 2
    assert "kit_version.used" in actions


def test_interviewer_reads_a_kit_but_cannot_edit_it(client, auth, job, db):
    skill = expect(job, "API design", "Anchor")
    stage = factories.PlanStageFactory(team=job.team, job=job, focus_skills=[skill])
    kit = factories.KitVersionFactory(team=job.team, plan_stage=stage)
    factories.KitItemFactory(team=job.team, kit_version=kit, skill=skill, questions="Q1")
    auth.login(Role.INTERVIEWER, team=job.team)

    page = client.get(kit_url(job, stage))
    response = client.post(kit_url(job, stage), data={"what_to_expect": "Hacked"})

    assert page.status_code == 200
    assert "Q1" in page.text and "<textarea" not in page.text
    assert response.status_code == 403
    assert versions(db, stage)[0].what_to_expect != "Hacked"


def test_an_unknown_version_is_not_found(client, manager, job):
    stage = add_stage(client, job, expect(job, "API design", "Anchor"))

    assert client.get(kit_url(job, stage, version=7)).status_code == 404


def test_posting_to_an_old_version_changes_nothing(client, manager, job, db):
    stage = add_stage(client, job, expect(job, "API design", "Anchor"))
    kits.mark_kit_used(db.session, stage.current_kit, datetime.now(UTC))
    client.post(kit_url(job, stage), data=kit_data(stage, what="Version two."))

    response = client.post(kit_url(job, stage, version=1), data=kit_data(stage, what="Sneaky"))

    assert response.status_code == 400
    assert [kit.what_to_expect for kit in versions(db, stage)] == ["", "Version two."]


def test_an_interview_uses_the_current_kit_and_the_first_use_is_kept(db, job):
    skill = expect(job, "API design", "Anchor")
    stage = factories.PlanStageFactory(team=job.team, job=job, focus_skills=[skill])

    kit = kits.kit_for_interview(db.session, stage)
    later = datetime(2026, 5, 1, tzinfo=UTC)
    kits.mark_kit_used(db.session, kit, later)
    kits.mark_kit_used(db.session, kit, later + timedelta(days=3))
    kits.mark_kit_used(db.session, kit, later - timedelta(days=1))

    assert kit.number == 1 and [item.skill for item in kit.items] == [skill]
    assert kits.kit_for_interview(db.session, stage) is kit
    assert kit.used_at == later - timedelta(days=1)


def test_a_kit_saved_by_two_managers_at_once_keeps_the_loser_s_text(
    client, manager, job, db, monkeypatch
):
    api = expect(job, "API design", "Anchor")
    stage = add_stage(client, job, api)

    def clashing_save(*args, **kwargs):
        raise IntegrityError("INSERT INTO kit_version", {}, Exception("unique constraint"))

    monkeypatch.setattr(kits, "save_kit", clashing_save)
    response = client.post(kit_url(job, stage), data=kit_data(stage, **{"API design": "Mine"}))

    assert response.status_code == 200
    assert "Someone else saved this kit at the same moment" in response.text
    assert "Mine" in response.text
