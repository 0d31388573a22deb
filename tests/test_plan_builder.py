"""Building a job's interview plan: add, edit, reorder and delete stages; who may do it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.plans.models import PlanStage, PlanTemplate
from tests import factories


@pytest.fixture
def job(db):
    return factories.JobFactory()


@pytest.fixture
def manager(auth, job):
    return auth.login(Role.HIRING_MANAGER, team=job.team)


def expect(job, proficiency=2, **skill):
    return factories.ExpectationFactory(
        team=job.team,
        level=job.level,
        proficiency=proficiency,
        description="Explains trade-offs of the design.",
        **{f"skill__{k}": v for k, v in skill.items()},
    ).skill


def stage(job, position, *skills, key="live_coding", name=None, **fields):
    return factories.PlanStageFactory(
        team=job.team,
        job=job,
        stage_type__key=key,
        position=position,
        name=name or f"Stage {position}",
        focus_skills=list(skills),
        **fields,
    )


def stage_data(**overrides):
    data = {"stage_type": "live_coding", "name": "", "duration_minutes": "60", "panel_size": "2"}
    data.update(overrides)
    return data


def names(db, job):
    db.session.expire_all()
    return [
        s.name
        for s in db.session.scalars(
            select(PlanStage).where(PlanStage.job_id == job.id).order_by(PlanStage.position)
        )
    ]


# Adding ------------------------------------------------------------------------------------


def test_manager_adds_a_stage_named_after_its_type_with_focus_skills(client, manager, job, db):
    api = expect(job, name="API design")

    response = client.post(
        f"/jobs/{job.id}/plan/stages", data=stage_data(focus_skills=[str(api.id)])
    )

    assert response.status_code == 302
    added = db.session.scalar(select(PlanStage).where(PlanStage.job_id == job.id))
    assert (added.name, added.position, added.duration_minutes, added.panel_size) == (
        "Live coding",
        1,
        60,
        2,
    )
    assert added.stage_type.key == "live_coding"
    assert added.focus_skills == [api]
    page = client.get(response.location).text
    assert "Added “Live coding” as stage 1." in page


def test_a_new_stage_goes_after_the_last_one(client, manager, job, db):
    stage(job, 1, name="Screen", key="screen")
    stage(job, 2, name="Pairing")

    client.post(
        f"/jobs/{job.id}/plan/stages", data=stage_data(name="  Final   round ", stage_type="final")
    )

    assert names(db, job) == ["Screen", "Pairing", "Final round"]


def test_the_stage_form_offers_the_teams_own_types_and_marks_expected_skills(client, manager, job):
    factories.StageTypeFactory(team=job.team, key="pairing", name="Pair programming", builtin=False)
    expected = expect(job, 3, name="Databases")
    factories.SkillFactory(team=job.team, name="Accessibility")
    factories.SkillFactory(name="Other team's skill")

    page = client.get(f"/jobs/{job.id}/plan").text

    assert '<option value="pairing">Pair programming</option>' in page
    assert '<optgroup label="Your team&#39;s">' in page
    assert page.index("Databases") < page.index("Accessibility")
    assert f'value="{expected.id}"' in page
    assert "Other team&#39;s skill" not in page


def test_a_stage_can_use_the_teams_own_type(client, manager, job, db):
    factories.StageTypeFactory(team=job.team, key="pairing", name="Pair programming", builtin=False)

    client.post(f"/jobs/{job.id}/plan/stages", data=stage_data(stage_type="pairing"))

    assert names(db, job) == ["Pair programming"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration_minutes", "", "Enter the duration in minutes."),
        ("duration_minutes", "0", "Enter between 5 and 480 minutes."),
        ("duration_minutes", "forty", "Enter the duration as a whole number of minutes."),
        ("panel_size", "11", "Enter between 1 and 10 interviewers."),
        ("stage_type", "karaoke", "Not a valid choice."),
        ("name", "x" * 121, "Field cannot be longer than 120 characters."),
        ("focus_skills", "many", "could not be coerced"),
    ],
)
def test_an_invalid_stage_is_refused_with_a_message_and_the_input_kept(
    client, manager, job, db, field, value, message
):
    skill = expect(job)
    data = stage_data(**{"name": "Deep dive", "focus_skills": [str(skill.id)], field: value})

    response = client.post(f"/jobs/{job.id}/plan/stages", data=data)

    assert response.status_code == 200
    assert message in response.text
    assert response.text.count(message) == 1
    if field != "focus_skills":
        assert f'<div class="invalid-feedback d-block">{message}' in response.text
        assert 'class="form-control is-invalid"' in response.text or "form-select is-invalid" in (
            response.text
        )
    if field != "name":
        assert 'value="Deep dive"' in response.text
    if field != "focus_skills":
        assert f'value="{skill.id}" checked' in response.text
    assert names(db, job) == []


def test_a_skill_of_another_team_cannot_be_a_focus_skill(client, manager, job, db):
    foreign = factories.SkillFactory()

    response = client.post(
        f"/jobs/{job.id}/plan/stages", data=stage_data(focus_skills=[str(foreign.id)])
    )

    assert response.status_code == 200
    assert "is not a valid choice" in response.text
    assert names(db, job) == []


# Editing, reordering, deleting -------------------------------------------------------------


def test_manager_renames_a_stage_and_changes_its_focus_skills(client, manager, job, db):
    old, new = expect(job, name="Testing"), expect(job, name="Security")
    screen = stage(job, 1, old, name="Screen", key="screen")

    response = client.post(
        f"/jobs/{job.id}/plan/stages/{screen.id}/edit",
        data=stage_data(
            stage_type="system_design",
            name="Architecture",
            duration_minutes="90",
            panel_size="3",
            focus_skills=[str(new.id)],
        ),
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert screen.name == "Architecture"
    assert screen.stage_type.key == "system_design"
    assert (screen.duration_minutes, screen.panel_size) == (90, 3)
    assert screen.focus_skills == [new]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan_stage.updated"))
    assert event.subject_id == screen.id and "focus_skills" in event.data["changed"]


def test_the_edit_form_is_prefilled_and_can_remove_every_focus_skill(client, manager, job, db):
    skill = expect(job, name="Testing")
    screen = stage(job, 1, skill, name="Screen", key="screen")

    page = client.get(f"/jobs/{job.id}/plan/stages/{screen.id}/edit").text
    assert 'value="Screen"' in page and f'value="{skill.id}" checked' in page

    client.post(
        f"/jobs/{job.id}/plan/stages/{screen.id}/edit",
        data=stage_data(stage_type="screen", name="Screen"),
    )
    db.session.expire_all()
    assert screen.focus_skills == []


def test_move_buttons_reorder_the_plan(client, manager, job, db):
    first, second, third = stage(job, 1), stage(job, 2), stage(job, 3)

    client.post(f"/jobs/{job.id}/plan/stages/{third.id}/move", data={"direction": "up"})
    assert names(db, job) == ["Stage 1", "Stage 3", "Stage 2"]

    client.post(f"/jobs/{job.id}/plan/stages/{first.id}/move", data={"direction": "down"})
    assert names(db, job) == ["Stage 3", "Stage 1", "Stage 2"]
    assert [s.position for s in (third, first, second)] == [1, 2, 3]


def test_the_first_stage_cannot_move_up(client, manager, job, db):
    first = stage(job, 1)
    stage(job, 2)

    response = client.post(
        f"/jobs/{job.id}/plan/stages/{first.id}/move",
        data={"direction": "up"},
        follow_redirects=True,
    )

    assert "“Stage 1” is already the first stage." in response.text
    assert names(db, job) == ["Stage 1", "Stage 2"]


def test_an_unknown_direction_is_a_bad_request(client, manager, job):
    first = stage(job, 1)

    response = client.post(
        f"/jobs/{job.id}/plan/stages/{first.id}/move", data={"direction": "sideways"}
    )

    assert response.status_code == 400


def test_manager_deletes_a_stage_and_the_rest_close_up(client, manager, job, db):
    stage(job, 1)
    middle = stage(job, 2)
    last = stage(job, 3)

    response = client.post(f"/jobs/{job.id}/plan/stages/{middle.id}/delete", follow_redirects=True)

    assert "Deleted “Stage 2” and its kit." in response.text
    assert names(db, job) == ["Stage 1", "Stage 3"]
    assert last.position == 2


def test_a_stage_with_interviews_cannot_be_deleted(client, manager, job, db):
    interviewed = stage(job, 1, name="Live coding")
    factories.InterviewFactory(team=job.team, application__job=job, plan_stage=interviewed)

    response = client.post(
        f"/jobs/{job.id}/plan/stages/{interviewed.id}/delete", follow_redirects=True
    )

    assert "“Live coding” cannot be deleted: 1 interview of this stage is on record" in (
        response.text
    )
    assert names(db, job) == ["Live coding"]


def test_a_stage_candidates_are_at_cannot_be_deleted(client, manager, job, db):
    current = stage(job, 1, name="Screen")
    factories.ApplicationFactory(team=job.team, job=job, current_stage_id=current.id)

    response = client.post(f"/jobs/{job.id}/plan/stages/{current.id}/delete", follow_redirects=True)

    assert "1 candidate is at this stage; move them to another stage first." in response.text
    assert names(db, job) == ["Screen"]


def test_plan_changes_are_audited(client, manager, job, db):
    client.post(f"/jobs/{job.id}/plan/stages", data=stage_data())
    added = db.session.scalar(select(PlanStage).where(PlanStage.job_id == job.id))
    client.post(f"/jobs/{job.id}/plan/stages/{added.id}/delete")

    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.team_id == job.team_id)
    ).all()

    assert {"plan_stage.created", "kit_version.created", "plan_stage.deleted"} <= set(actions)


# Who may see and change the plan ------------------------------------------------------------


def test_interviewer_reads_the_plan_without_any_form(client, auth, job):
    auth.login(Role.INTERVIEWER, team=job.team)
    stage(job, 1, name="Pairing")

    response = client.get(f"/jobs/{job.id}/plan")

    assert response.status_code == 200
    assert "Pairing" in response.text
    assert "<form" not in response.text.split('id="main"')[1]


def _post_urls(job, stage_id, template_id):
    base = f"/jobs/{job.id}/plan"
    return [
        f"{base}/stages",
        f"{base}/stages/{stage_id}/edit",
        f"{base}/stages/{stage_id}/move",
        f"{base}/stages/{stage_id}/delete",
        f"{base}/stages/{stage_id}/kit",
        f"{base}/copy",
        f"{base}/apply-template",
        f"{base}/save-template",
        f"/plan-templates/{template_id}/delete",
        "/plan-settings",
        "/plan-settings/stage-types",
    ]


def test_interviewer_cannot_change_anything_in_a_plan(client, auth, job, db):
    auth.login(Role.INTERVIEWER, team=job.team)
    screen = stage(job, 1)
    template = PlanTemplate(team=job.team, name="Backend standard loop")
    db.session.add(template)
    db.session.flush()

    for url in _post_urls(job, screen.id, template.id):
        response = client.post(url, data={"direction": "up", "name": "x"})
        assert response.status_code == 403, url
    assert names(db, job) == ["Stage 1"]
    assert db.session.get(PlanTemplate, template.id) is not None


def test_interviewer_cannot_open_the_edit_form(client, auth, job):
    auth.login(Role.INTERVIEWER, team=job.team)
    screen = stage(job, 1)

    assert client.get(f"/jobs/{job.id}/plan/stages/{screen.id}/edit").status_code == 403


def test_another_teams_plan_is_not_found(client, manager, db):
    other = factories.JobFactory()
    foreign = stage(other, 1)
    base = f"/jobs/{other.id}/plan"

    assert client.get(base).status_code == 404
    assert client.get(f"{base}/stages/{foreign.id}/edit").status_code == 404
    assert client.get(f"{base}/stages/{foreign.id}/kit").status_code == 404
    assert client.post(f"{base}/stages", data=stage_data()).status_code == 404
    assert client.post(f"{base}/stages/{foreign.id}/delete").status_code == 404
    assert names(db, other) == ["Stage 1"]


def test_a_stage_of_another_job_in_the_url_is_not_found(client, manager, job, db):
    sibling = factories.JobFactory(team=job.team, level=job.level)
    theirs = stage(sibling, 1)
    base = f"/jobs/{job.id}/plan/stages/{theirs.id}"

    assert client.get(f"{base}/edit").status_code == 404
    assert client.get(f"{base}/kit").status_code == 404
    assert client.post(f"{base}/move", data={"direction": "down"}).status_code == 404
    assert client.post(f"{base}/delete").status_code == 404
    assert client.post(f"{base}/edit", data=stage_data()).status_code == 404
    assert names(db, sibling) == ["Stage 1"]


def test_a_stage_id_of_another_team_in_my_jobs_url_is_not_found(client, manager, job):
    foreign = stage(factories.JobFactory(), 1)

    assert client.get(f"/jobs/{job.id}/plan/stages/{foreign.id}/edit").status_code == 404


# Query count -------------------------------------------------------------------------------


def _plan_of(job, stages, skills):
    skill_list = [expect(job, 1 + i % 4) for i in range(skills)]
    for position in range(1, stages + 1):
        stage(job, position, *skill_list[position % skills :: stages] or skill_list[:1])
    for _ in range(3):
        factories.SkillFactory(team=job.team)
    return job


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_the_plan_page_runs_the_same_queries_for_small_and_large_plans(
    client, auth, db, count_queries, role
):
    small = _plan_of(factories.JobFactory(), 3, 5)
    large = _plan_of(factories.JobFactory(), 12, 30)
    counts = []
    for job in (small, large):
        auth.login(role, team=job.team)
        factories.JobFactory(team=job.team)  # a job to copy from
        db.session.expire_all()
        with count_queries() as counter:
            response = client.get(f"/jobs/{job.id}/plan")
        assert response.status_code == 200
        counts.append(counter.count)
        auth.logout()

    assert counts[0] == counts[1]
