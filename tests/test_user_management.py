"""The admin runs the team's users: role changes, deactivation and reactivation, with the team
always keeping an active admin; the users page lists role, status and last sign-in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.db import utcnow
from tests import factories
from tests.conftest import PASSWORD
from tests.test_user_sessions import replay, session_cookie, sign_in


def last_event(db, user):
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "user_account", AuditEvent.subject_id == user.id)
        .order_by(AuditEvent.id.desc())
    ).first()


@pytest.fixture
def admin(auth):
    return auth.login(Role.ADMIN, name="Ada Admin")


def test_users_page_shows_role_status_and_last_sign_in(client, db, admin):
    factories.UserFactory(team=admin.team, name="Never Seen", role=Role.INTERVIEWER)
    factories.UserFactory(
        team=admin.team, name="Gone Person", active=False, last_sign_in_at=utcnow()
    )

    html = client.get("/team/users").get_data(as_text=True)

    assert "Never Seen" in html and "last sign-in: never" in html
    assert "Deactivated" in html and "Active" in html
    assert "Interviewer · last sign-in: never" in html
    assert "The password" not in html and 'type="password"' not in html


def test_admin_changes_a_role_and_the_audit_log_says_from_and_to(client, db, admin):
    colleague = factories.UserFactory(team=admin.team, name="Cole", role=Role.INTERVIEWER)

    response = client.post(f"/team/users/{colleague.id}/role", data={"role": "hiring_manager"})

    assert response.status_code == 302
    assert "Cole is now hiring manager." in client.get("/team/users").get_data(as_text=True)
    assert colleague.role is Role.HIRING_MANAGER
    event = last_event(db, colleague)
    assert event.action == "user.role_changed"
    assert event.data == {"from": "interviewer", "to": "hiring_manager"}
    assert event.actor_id == admin.id


def test_an_unknown_role_is_refused(client, db, admin):
    colleague = factories.UserFactory(team=admin.team, role=Role.INTERVIEWER)

    client.post(f"/team/users/{colleague.id}/role", data={"role": "owner"})

    assert colleague.role is Role.INTERVIEWER
    assert "Pick one of the roles" in client.get("/team/users").get_data(as_text=True)


def test_the_last_admin_cannot_give_up_admin_rights(client, db, admin):
    response = client.post(f"/team/users/{admin.id}/role", data={"role": "interviewer"})

    assert response.status_code == 302
    html = client.get("/team/users").get_data(as_text=True)
    assert "Ada Admin is the team&#39;s last admin" in html
    db.session.refresh(admin)
    assert admin.role is Role.ADMIN


def test_an_admin_may_step_down_when_another_admin_is_active(client, db, admin):
    factories.UserFactory(team=admin.team, role=Role.ADMIN)
    # A deactivated admin does not count.
    factories.UserFactory(team=admin.team, role=Role.ADMIN, active=False)

    client.post(f"/team/users/{admin.id}/role", data={"role": "hiring_manager"})

    db.session.refresh(admin)
    assert admin.role is Role.HIRING_MANAGER
    assert client.get("/team/users").status_code == 403


def test_a_deactivated_admin_is_not_counted_as_the_other_admin(client, db, admin):
    factories.UserFactory(team=admin.team, role=Role.ADMIN, active=False)

    client.post(f"/team/users/{admin.id}/role", data={"role": "interviewer"})

    db.session.refresh(admin)
    assert admin.role is Role.ADMIN


def test_an_admin_cannot_deactivate_themselves(client, db, admin):
    client.post(f"/team/users/{admin.id}/deactivate")

    db.session.refresh(admin)
    assert admin.active
    assert "You cannot deactivate your own account" in client.get("/team/users").get_data(
        as_text=True
    )


def test_deactivation_ends_the_users_sessions_and_keeps_their_scorecards(app, client, db, admin):
    colleague = factories.UserFactory(team=admin.team, name="Cole", role=Role.INTERVIEWER)
    interview = factories.InterviewFactory(team=admin.team)
    scorecard = factories.ScorecardFactory(
        team=admin.team, interview=interview, interviewer=colleague
    )
    theirs = app.test_client()
    sign_in(theirs, colleague)
    cookie = session_cookie(theirs)
    assert replay(app, cookie, "/my-interviews").status_code == 200

    response = client.post(f"/team/users/{colleague.id}/deactivate")

    assert response.status_code == 302
    assert not colleague.active
    event = last_event(db, colleague)
    assert event.action == "user.deactivated" and event.data == {"sessions": 1}
    assert replay(app, cookie, "/my-interviews").status_code == 302
    assert theirs.get("/my-interviews").status_code == 302
    refused = app.test_client().post(
        "/login", data={"email": colleague.email, "password": PASSWORD}
    )
    assert refused.status_code == 401
    assert last_event(db, colleague).action == "user.sign_in_failed"
    assert db.session.get(type(scorecard), scorecard.id) is not None


def test_reactivation_lets_the_user_sign_in_again(app, client, db, admin):
    colleague = factories.UserFactory(team=admin.team, name="Cole", active=False)

    client.post(f"/team/users/{colleague.id}/reactivate")

    assert colleague.active
    assert last_event(db, colleague).action == "user.reactivated"
    sign_in(app.test_client(), colleague)
    html = client.get("/team/users").get_data(as_text=True)
    assert "Cole can sign in again." in html


@pytest.mark.parametrize("action", ["role", "deactivate", "reactivate"])
def test_another_teams_user_is_not_found(client, db, admin, action):
    stranger = factories.UserFactory(role=Role.ADMIN, active=action != "reactivate")

    response = client.post(f"/team/users/{stranger.id}/{action}", data={"role": "interviewer"})

    assert response.status_code == 404
    db.session.refresh(stranger)
    assert stranger.role is Role.ADMIN and stranger.active is (action != "reactivate")


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
@pytest.mark.parametrize("action", ["role", "deactivate", "reactivate"])
def test_only_admins_manage_users(client, db, auth, role, action):
    user = auth.login(role)
    colleague = factories.UserFactory(team=user.team, active=action != "reactivate")

    response = client.post(f"/team/users/{colleague.id}/{action}", data={"role": "admin"})

    assert response.status_code == 403
    assert colleague.role is Role.INTERVIEWER


def test_the_users_page_is_paginated_in_a_bounded_number_of_queries(
    app, client, db, admin, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "PER_PAGE", 5)

    def count(users: int) -> int:
        factories.UserFactory.create_batch(users, team=admin.team)
        with count_queries() as counter:
            assert client.get("/team/users").status_code == 200
        return counter.count

    few = count(2)
    many = count(30)

    assert few == many
    assert 'aria-label="Pages"' in client.get("/team/users").get_data(as_text=True)
    assert client.get("/team/users?page=7").status_code == 200


def with_two_factor(user):
    """``user`` with two-factor sign-in on, and recovery codes, as set up from the account page."""
    from interviewer.auth import totp
    from interviewer.extensions import db as _db

    totp.new_secret(user)
    user.totp_enabled_at = utcnow()
    totp.new_recovery_codes(_db.session, user)
    _db.session.flush()
    return user


def test_admin_turns_off_two_factor_for_a_colleague_who_lost_their_phone(app, client, db, admin):
    from interviewer.auth.models import RecoveryCode

    colleague = with_two_factor(factories.UserFactory(team=admin.team, name="Lost Phone"))
    html = client.get("/team/users").get_data(as_text=True)
    assert "two-factor on" in html and "Turn off two-factor for Lost Phone" in html

    response = client.post(f"/team/users/{colleague.id}/two-factor/reset")

    assert response.status_code == 302
    db.session.refresh(colleague)
    assert not colleague.has_two_factor and colleague.totp_secret is None
    assert (
        db.session.scalar(select(RecoveryCode.id).where(RecoveryCode.user_id == colleague.id))
        is None
    )
    event = last_event(db, colleague)
    assert (event.action, event.actor_id) == ("user.two_factor_reset", admin.id)
    assert "Two-factor sign-in is off for Lost Phone" in client.get("/team/users").get_data(
        as_text=True
    )
    # The password alone signs in now; there is no code step.
    response = app.test_client().post(
        "/login", data={"email": colleague.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and "two-factor" not in response.headers["Location"]


def test_the_reset_ends_the_colleagues_sessions(app, client, db, admin, auth):
    colleague = factories.UserFactory(team=admin.team)
    other = app.test_client()
    sign_in(other, colleague)
    copied = session_cookie(other)
    with_two_factor(colleague)
    db.session.commit()

    client.post(f"/team/users/{colleague.id}/two-factor/reset")

    assert replay(app, copied).status_code == 302


def test_an_admin_cannot_reset_their_own_two_factor_here(client, db, admin):
    with_two_factor(admin)
    db.session.commit()

    client.post(f"/team/users/{admin.id}/two-factor/reset")

    db.session.refresh(admin)
    assert admin.has_two_factor
    html = client.get("/team/users").get_data(as_text=True)
    assert "Turn off your own two-factor sign-in on your account page." in html


def test_reset_of_another_teams_user_is_not_found_and_of_interviewers_forbidden(client, db, auth):
    stranger = with_two_factor(factories.UserFactory(role=Role.ADMIN))
    auth.login(Role.ADMIN)
    assert client.post(f"/team/users/{stranger.id}/two-factor/reset").status_code == 404
    auth.logout()
    interviewer = auth.login(Role.INTERVIEWER)
    colleague = with_two_factor(factories.UserFactory(team=interviewer.team))
    assert client.post(f"/team/users/{colleague.id}/two-factor/reset").status_code == 403
    db.session.refresh(stranger)
    db.session.refresh(colleague)
    assert stranger.has_two_factor and colleague.has_two_factor
