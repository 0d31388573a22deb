"""The team's planning settings: the limit on total interview time, and its own stage types."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.plans.models import StageType
from tests import factories


@pytest.fixture
def manager(auth):
    return auth.login(Role.HIRING_MANAGER)


@pytest.mark.parametrize(("hours", "minutes"), [("4.5", 270), ("1", 60), ("40", 2400)])
def test_a_manager_sets_the_teams_interview_time_limit(client, manager, db, hours, minutes):
    response = client.post("/plan-settings", data={"max_plan_hours": hours}, follow_redirects=True)

    assert f"A plan may now take up to {hours} h in total." in response.text
    assert manager.team.max_plan_minutes == minutes
    assert f'value="{hours}"' in response.text


def test_an_admin_may_set_the_limit_too(client, auth):
    admin = auth.login(Role.ADMIN)

    client.post("/plan-settings", data={"max_plan_hours": "8"})

    assert admin.team.max_plan_minutes == 480


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0.5", "Enter between 1 and 40 hours."),
        ("41", "Enter between 1 and 40 hours."),
        ("", "Enter a number of hours."),
        ("six", "Enter a number, in digits."),
        ("NaN", "Enter between 1 and 40 hours."),
    ],
)
def test_a_limit_outside_one_to_forty_hours_is_refused(client, manager, hours, message):
    response = client.post("/plan-settings", data={"max_plan_hours": hours})

    assert response.status_code == 200
    assert response.text.count(message) == 1
    assert f'value="{hours}"' in response.text
    assert manager.team.max_plan_minutes == 360


def test_the_limit_change_is_audited(client, manager, db):
    client.post("/plan-settings", data={"max_plan_hours": "5"})

    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "team.plan_limit_changed")
    )
    assert (event.data["before"], event.data["after"]) == (360, 300)


def test_the_settings_page_shows_the_current_limit_and_every_stage_type(client, manager):
    manager.team.max_plan_minutes = 390
    factories.StageTypeFactory(team=manager.team, key="pairing", name="Pairing", builtin=False)

    page = client.get("/plan-settings").text

    assert 'value="6.5"' in page
    assert "Live coding" in page and "System design" in page
    assert "Pairing" in page


def test_a_manager_adds_a_stage_type_with_a_generated_key(client, manager, db):
    response = client.post(
        "/plan-settings/stage-types",
        data={"name": "Pair programming (remote)", "description": "Two hours in our codebase."},
        follow_redirects=True,
    )

    assert "Added the stage type “Pair programming (remote)”" in response.text
    added = db.session.scalar(select(StageType).where(StageType.team_id == manager.team_id))
    assert (added.key, added.builtin, added.description) == (
        "pair_programming_remote",
        False,
        "Two hours in our codebase.",
    )


def test_a_stage_type_key_that_is_taken_gets_a_suffix(client, manager, db):
    factories.StageTypeFactory(team=manager.team, key="pairing", name="Pairing!", builtin=False)

    client.post("/plan-settings/stage-types", data={"name": "Pairing"})

    keys = db.session.scalars(
        select(StageType.key).where(StageType.team_id == manager.team_id)
    ).all()
    assert sorted(keys) == ["pairing", "pairing_2"]


@pytest.mark.parametrize("name", ["Whiteboard", "whiteboard", "Pairing"])
def test_a_stage_type_name_must_be_new(client, manager, db, name):
    factories.StageTypeFactory(team=manager.team, key="pairing", name="Pairing", builtin=False)

    response = client.post("/plan-settings/stage-types", data={"name": name})

    assert response.status_code == 200
    assert f"There is already a stage type named “{name}”." in response.text
    assert len(db.session.scalars(select(StageType)).all()) == 1


def test_a_stage_type_needs_a_name(client, manager):
    response = client.post("/plan-settings/stage-types", data={"name": ""})

    assert "Name the stage type." in response.text


def test_another_teams_stage_types_are_not_shown_or_counted(client, manager, db):
    factories.StageTypeFactory(key="pairing", name="Their pairing", builtin=False)

    page = client.get("/plan-settings").text
    response = client.post("/plan-settings/stage-types", data={"name": "Their pairing"})

    assert "Their pairing" not in page
    assert response.status_code == 302


def test_interviewers_cannot_open_the_settings(client, auth):
    auth.login(Role.INTERVIEWER)

    assert client.get("/plan-settings").status_code == 403
