"""The settings pages of scheduling: a person's daily limit and own meeting link under My
settings, and the team's scheduling settings for admins."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from tests.test_scheduling import BERLIN, make_interviewer
from tests.test_security import CSRF_MESSAGE, csrf_token

MINE = {"timezone": BERLIN, "weekly_limit": "5", "daily_limit": "2", "video_link": ""}


@pytest.fixture
def me(auth):
    return auth.login(Role.INTERVIEWER, name="Dana Lee", timezone=BERLIN)


# --- My settings ------------------------------------------------------------------------


def test_my_settings_save_the_daily_limit_and_my_own_meeting_link(client, me):
    sent = {**MINE, "video_link": " https://meet.example.com/dana-lee "}
    response = client.post("/me/settings", data=sent)

    assert response.status_code == 302
    assert (me.weekly_interview_limit, me.daily_interview_limit) == (5, 2)
    assert me.video_link == "https://meet.example.com/dana-lee"
    page = client.get("/me/settings").get_data(as_text=True)
    assert "Most interviews per day" in page
    assert 'value="https://meet.example.com/dana-lee"' in page
    assert 'value="2"' in page

    client.post("/me/settings", data={**MINE, "daily_limit": ""})
    assert me.daily_interview_limit is None
    assert me.video_link == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("daily_limit", "25", "Use a number from 0 to 24."),
        ("daily_limit", "-1", "Use a number from 0 to 24."),
        ("daily_limit", "two", "Use a number from 0 to 24."),
        ("video_link", "http://meet.example.com/dana", "Enter a full https link"),
        ("video_link", "javascript:alert(1)", "Enter a full https link"),
        ("video_link", "https://", "Enter a full https link"),
        ("video_link", "https://meet.example.com/a room", "A link holds no spaces."),
    ],
)
def test_my_settings_refuse_a_bad_daily_limit_or_link_and_keep_what_was_typed(
    client, me, field, value, message
):
    response = client.post("/me/settings", data={**MINE, "weekly_limit": "7", field: value})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'value="7"' in page  # the other fields as typed
    assert me.weekly_interview_limit is None
    assert me.daily_interview_limit is None and me.video_link == ""


def test_a_manager_reads_both_limits_of_an_interviewer(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    sam = make_interviewer(manager.team, name="Sam Park", limit=4, daily_interview_limit=2)
    zoe = make_interviewer(manager.team, name="Zoe Ward")

    sams = client.get(f"/users/{sam.id}/availability").get_data(as_text=True)
    zoes = client.get(f"/users/{zoe.id}/availability").get_data(as_text=True)

    assert "at most 4 a week and at most 2 a day." in sams
    assert "no weekly limit and no daily limit." in zoes


# --- the team's scheduling settings ---------------------------------------------------

TEAM = {
    "min_break_minutes": "10",
    "shadow_interviews": "3",
    "reverse_shadow_interviews": "1",
    "video_link_base": "https://meet.jit.si",
    "booking_offer_hours": "48",
}


def _settings(team):
    return (
        team.min_break_minutes,
        team.shadow_interviews,
        team.reverse_shadow_interviews,
        team.video_link_base,
        team.booking_offer_hours,
    )


def _events(db, team):
    return db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.team_id == team.id, AuditEvent.action == "team.scheduling_changed"
        )
    ).all()


def test_an_admin_reads_the_teams_scheduling_settings_with_what_each_means(client, auth):
    auth.login(Role.ADMIN)

    page = client.get("/team/scheduling").get_data(as_text=True)

    for words in (
        "Minimum break between interviews (minutes)",
        "Shadow interviews",
        "Reverse-shadow interviews",
        "Video rooms address",
        "Each interview gets its own unguessable room under this address, e.g. "
        "https://meet.jit.si/",
        "Hold offered times for (hours)",
        "Save scheduling settings",
    ):
        assert words in page
    assert 'value="72"' in page and 'value="0"' in page


def test_an_admin_saves_the_settings_and_the_change_is_audited(client, db, auth):
    admin = auth.login(Role.ADMIN)
    team = admin.team

    response = client.post("/team/scheduling", data=TEAM, follow_redirects=True)

    assert "Scheduling settings saved." in response.get_data(as_text=True)
    assert _settings(team) == (10, 3, 1, "https://meet.jit.si/", 48)
    (event,) = _events(db, team)
    assert event.actor_id == admin.id
    assert event.data["changes"] == {
        "min_break_minutes": [0, 10],
        "shadow_interviews": [2, 3],
        "reverse_shadow_interviews": [2, 1],
        "booking_offer_hours": [72, 48],
        "video_link_base": ["", "https://meet.jit.si/"],
    }

    assert "Scheduling settings changed" in client.get("/team/audit").get_data(as_text=True)

    again = client.post("/team/scheduling", data=TEAM, follow_redirects=True)
    assert "Nothing to save" in again.get_data(as_text=True)
    assert len(_events(db, team)) == 1

    client.post("/team/scheduling", data={**TEAM, "video_link_base": ""})
    assert team.video_link_base == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_break_minutes", "121", "Use a whole number from 0 to 120."),
        ("min_break_minutes", "", "Use a whole number from 0 to 120."),
        ("shadow_interviews", "-1", "Use a whole number from 0 to 20."),
        ("reverse_shadow_interviews", "21", "Use a whole number from 0 to 20."),
        ("booking_offer_hours", "0", "Use a whole number from 1 to 336."),
        ("booking_offer_hours", "337", "Use a whole number from 1 to 336."),
        ("video_link_base", "http://meet.jit.si/", "Enter a full https link"),
        ("video_link_base", "https://meet.example.com/?room=", "without ? or #"),
    ],
)
def test_bad_settings_are_refused_on_the_form_and_nothing_is_lost_or_saved(
    client, db, auth, field, value, message
):
    admin = auth.login(Role.ADMIN)
    before = _settings(admin.team)

    response = client.post("/team/scheduling", data={**TEAM, field: value})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    for name, typed in TEAM.items():
        if name != field:
            assert f'value="{typed}"' in page
    assert _settings(admin.team) == before
    assert _events(db, admin.team) == []


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_reach_the_teams_scheduling_settings(client, auth, role):
    user = auth.login(role)

    assert client.get("/team/scheduling").status_code == 403
    assert client.post("/team/scheduling", data=TEAM).status_code == 403
    assert user.team.min_break_minutes == 0


def test_the_settings_need_the_forms_csrf_token(app, client, auth, monkeypatch):
    admin = auth.login(Role.ADMIN)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    refused = client.post("/team/scheduling", data=TEAM)

    assert refused.status_code == 400
    assert CSRF_MESSAGE in refused.get_data(as_text=True)
    assert admin.team.min_break_minutes == 0
    token = csrf_token(client.get("/team/scheduling").get_data(as_text=True))
    assert client.post("/team/scheduling", data={**TEAM, "csrf_token": token}).status_code == 302
    assert admin.team.min_break_minutes == 10


def test_the_admin_menu_links_the_scheduling_settings(client, auth):
    auth.login(Role.ADMIN)

    page = client.get("/my-interviews").get_data(as_text=True)

    assert 'href="/team/scheduling"' in page
    assert "Scheduling settings" in page
