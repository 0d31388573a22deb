"""Invitations: an admin invites a colleague by email; the one-time link (7 days, revocable,
replaced by a resend) lets them choose a password and lands them signed in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from interviewer.accounts.models import Invitation
from interviewer.accounts.user_views import invitation_link
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role, User
from interviewer.db import utcnow
from interviewer.mail.models import OutboxEmail
from tests import factories

PASSWORD = "tangerine submarine orchestra"
INVITE = {"name": "Grace Hopper", "email": "Grace@Example.com", "role": "hiring_manager"}
LINK = re.compile(r"http://localhost/invite/([A-Za-z0-9_-]+)")


def invite(client, **fields):
    return client.post("/team/users", data={**INVITE, **fields})


def last_link(db, email="grace@example.com") -> str:
    """The invitation link of the newest email to ``email`` in the outbox."""
    body = db.session.scalars(
        select(OutboxEmail.body)
        .where(OutboxEmail.to_email == email)
        .order_by(OutboxEmail.id.desc())
    ).first()
    found = LINK.search(body)
    assert found, body
    return found.group(0).removeprefix("http://localhost")


def accept(client, path, password=PASSWORD, repeat=None):
    return client.post(path, data={"password": password, "repeat": repeat or password})


def actions(db, team_id) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.team_id == team_id).order_by(AuditEvent.id)
        )
    )


@pytest.fixture
def admin(auth):
    return auth.login(Role.ADMIN, name="Ada Admin")


def test_invite_queues_an_email_with_an_absolute_one_time_link(client, db, admin):
    response = invite(client)

    assert response.status_code == 302
    page = client.get("/team/users").get_data(as_text=True)
    assert "Invitation sent to grace@example.com" in page
    assert "Pending invitations" in page and "Grace Hopper" in page
    email = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.to_email == "grace@example.com")
    )
    assert email.team_id == admin.team_id
    assert email.subject == f"Ada Admin invites you to {admin.team.name}"
    assert "as hiring manager" in email.body
    token = LINK.search(email.body).group(1)
    invitation = db.session.scalar(select(Invitation))
    # Only the token's hash is kept.
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
    assert invitation.invited_by_id == admin.id
    assert actions(db, admin.team_id)[-1] == "invitation.sent"


def test_invitee_sets_a_password_and_lands_signed_in(app, client, db, admin):
    invite(client)
    path = last_link(db)
    client.post("/logout")

    page = client.get(path)

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Join" in html and admin.team.name in html and "Grace Hopper" in html
    assert "Hiring manager" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"

    response = accept(client, path)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/", follow_redirects=True)
    assert home.request.path == "/dashboard"
    assert f"Welcome to {admin.team.name}, Grace Hopper." in home.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "grace@example.com"))
    assert user.role is Role.HIRING_MANAGER and user.team_id == admin.team_id
    assert user.last_sign_in_at is not None
    assert db.session.scalar(select(Invitation)).accepted_at is not None
    assert actions(db, admin.team_id)[-1] == "invitation.accepted"
    # The password works from another browser too.
    other = app.test_client()
    signed = other.post("/login", data={"email": "grace@example.com", "password": PASSWORD})
    assert signed.status_code == 302


def test_the_link_works_once(app, client, db, admin):
    invite(client)
    path = last_link(db)
    client.post("/logout")
    accept(client, path)
    client.post("/logout")

    page = client.get(path)
    again = accept(client, path, password="another long passphrase here")

    assert page.status_code == 410
    assert "used already" in page.get_data(as_text=True)
    assert again.status_code == 410
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.email == "grace@example.com")
        )
        == 1
    )


def test_the_link_expires_after_seven_days(client, db, admin):
    invite(client)
    path = last_link(db)
    client.post("/logout")
    sent = db.session.scalar(select(Invitation)).sent_at

    with time_machine.travel(sent + timedelta(days=7) - timedelta(minutes=1)):
        assert client.get(path).status_code == 200
    with time_machine.travel(sent + timedelta(days=7, seconds=1)):
        page = client.get(path)
        posted = accept(client, path)

    assert page.status_code == 410
    html = page.get_data(as_text=True)
    assert "expired" in html and "Ask the team's admin to send you a new invitation" in html
    assert posted.status_code == 410
    assert db.session.scalar(select(User).where(User.email == "grace@example.com")) is None


def test_resend_kills_the_old_link_and_gives_seven_new_days(client, db, auth, admin):
    invite(client)
    old = last_link(db)
    invitation = db.session.scalar(select(Invitation))
    later = utcnow() + timedelta(days=6)

    with time_machine.travel(later):
        auth.login(user=admin)  # the first session has ended by then
        response = client.post(f"/team/invitations/{invitation.id}/resend")
        new = last_link(db)
        db.session.refresh(invitation)
        assert invitation.expires_at >= later + timedelta(days=7) - timedelta(seconds=5)

    assert response.status_code == 302
    assert new != old
    client.post("/logout")
    assert client.get(old).status_code == 404
    assert accept(client, old).status_code == 404
    assert client.get(new).status_code == 200
    assert actions(db, admin.team_id)[-1] == "invitation.resent"
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 2


def test_revoke_kills_the_link(client, db, admin):
    invite(client)
    path = last_link(db)
    invitation = db.session.scalar(select(Invitation))

    client.post(f"/team/invitations/{invitation.id}/revoke")

    assert (
        "Grace Hopper"
        not in client.get("/team/users").get_data(as_text=True).split("Pending invitations")[1]
    )
    client.post("/logout")
    page = client.get(path)
    assert page.status_code == 410
    assert "withdrawn" in page.get_data(as_text=True)
    assert accept(client, path).status_code == 410
    assert actions(db, admin.team_id)[-1] == "invitation.revoked"


@pytest.mark.parametrize("token", ["nothing-like-this", "x" * 101, "%E2%9C%93"])
def test_an_unknown_link_is_a_kind_404(client, db, token):
    page = client.get(f"/invite/{token}")

    assert page.status_code == 404
    assert "Ask the team's admin to send you a new invitation" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("taken@example.com", "taken@example.com already has an account."),
        ("waiting@example.com", "waiting@example.com has an invitation waiting already"),
    ],
)
def test_an_email_with_an_account_or_a_pending_invitation_is_refused(
    client, db, admin, email, message
):
    factories.UserFactory(email="taken@example.com")
    invite(client, email="waiting@example.com")

    response = invite(client, email=email.upper(), name="Someone Else")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="Someone Else"' in html
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1


def test_an_expired_invitation_may_be_sent_anew(client, db, auth, admin):
    invite(client)
    with time_machine.travel(utcnow() + timedelta(days=8)):
        auth.login(user=admin)
        response = invite(client)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2


@pytest.mark.parametrize(
    ("password", "repeat", "message"),
    [
        ("grace hopper", None, "too easy to guess"),
        ("short", None, "at least 12 characters"),
        ("aaaaaaaaaaaaaaaa", None, ""),
        (PASSWORD, "something else entirely", "The two passwords differ"),
        ("", "", "Choose a password of 12 characters or more."),
    ],
)
def test_a_weak_or_mistyped_password_is_refused_on_the_form(
    client, db, admin, password, repeat, message
):
    invite(client)
    path = last_link(db)
    client.post("/logout")

    response = client.post(path, data={"password": password, "repeat": repeat or password})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "is-invalid" in html and message in html
    assert db.session.scalar(select(User).where(User.email == "grace@example.com")) is None
    assert db.session.scalar(select(Invitation)).accepted_at is None


def test_a_password_built_from_the_invitees_name_is_refused(client, db, admin):
    invite(client, name="Wolfgang Amadeus Mozart")
    path = last_link(db)
    client.post("/logout")

    response = accept(client, path, password="Wolfgang Amadeus Mozart")

    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "grace@example.com")) is None


def test_a_signed_in_visitor_is_asked_to_sign_out_first(client, db, admin):
    invite(client)
    path = last_link(db)

    page = client.get(path)
    posted = accept(client, path)

    assert page.status_code == 200
    assert "Sign out to accept this invitation" in page.get_data(as_text=True)
    assert posted.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "grace@example.com")) is None
    response = client.post(f"{path}/sign-out", follow_redirects=True)
    assert response.request.path == path
    assert "Choose a password" in response.get_data(as_text=True)


def test_another_teams_invitation_is_not_found(client, db, admin):
    other = factories.TeamFactory()
    theirs = Invitation(
        team=other,
        email="z@example.com",
        name="Z",
        role=Role.ADMIN,
        token_hash="0" * 64,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(theirs)
    db.session.flush()

    for action in ("resend", "revoke"):
        assert client.post(f"/team/invitations/{theirs.id}/{action}").status_code == 404
    db.session.refresh(theirs)
    assert theirs.revoked_at is None
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_invite(client, db, auth, role):
    auth.login(role)

    assert invite(client).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_the_link_names_app_url_whatever_host_the_request_named(app, monkeypatch):
    with app.test_request_context("/team/users", base_url="http://evil.example"):
        assert invitation_link("abc") == "http://evil.example/invite/abc"
        monkeypatch.setitem(app.config, "APP_URL", "https://hiring.example.org/app")
        assert invitation_link("abc") == "https://hiring.example.org/app/invite/abc"
