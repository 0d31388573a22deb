"""Two-factor sign-in in a real browser: turning it on from the account page, then signing in
with a code from the app; the team's requirement sends a manager to set it up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from interviewer.auth import services, totp
from interviewer.auth.models import Role, Team, User
from interviewer.extensions import db
from tests.e2e import sign_in, sign_out
from tests.e2e.two_factor import AuthenticatorApp, scan_setup_key, sign_in_with_code

PASSWORD = "orchid tramway lantern 84"


def _new_user(live_server, email: str, role: Role, **team) -> None:
    with live_server.app.app_context():
        team_row = Team(name=f"Team of {email}", slug=email.split("@")[0], **team)
        db.session.add(team_row)
        services.create_user(
            db.session, team=team_row, email=email, name="Tess Totp", password=PASSWORD, role=role
        )
        db.session.commit()
        db.session.remove()


@pytest.fixture
def tess(live_server) -> str:
    email = "tess@two-factor.example"
    _new_user(live_server, email, Role.INTERVIEWER)
    return email


def test_someone_turns_on_two_factor_and_then_signs_in_with_a_code(page: Page, tess):
    sign_in(page, tess, PASSWORD)
    page.goto("/account")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Turn on two-factor sign-in")).to_be_visible()
    expect(page.locator("svg.totp-qr")).to_be_visible()
    app = scan_setup_key(page)
    page.get_by_label("6-digit code from your app").fill(app.code())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_label("Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name=re.compile("I have kept them")).click()
    expect(page.get_by_text(re.compile(r"^On$"))).to_be_visible()

    sign_out(page)
    expect(page).to_have_url(re.compile(r"/login$"))

    sign_in_with_code(page, tess, PASSWORD, app)
    expect(page).to_have_url(re.compile(r"/my-interviews$"))


def test_a_wrong_code_is_refused_on_the_code_step(page: Page, live_server):
    email = "wrong-code@two-factor.example"
    _new_user(live_server, email, Role.INTERVIEWER)
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        secret = totp.new_secret(user)
        user.totp_enabled_at = user.created_at
        db.session.commit()
        db.session.remove()
    app = AuthenticatorApp(secret)

    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    right = app.code()
    page.get_by_label("Code").fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("That code is not right")).to_be_visible()
    page.get_by_label("Code").fill(right)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/my-interviews$"))


def test_a_manager_of_a_team_that_requires_it_is_sent_to_set_it_up(page: Page, live_server):
    email = "mia@two-factor.example"
    _new_user(live_server, email, Role.HIRING_MANAGER, two_factor_required=True)

    sign_in(page, email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/account/two-factor$"))
    expect(page.get_by_text("Your team requires two-factor sign-in")).to_be_visible()
    page.goto("/jobs")
    expect(page).to_have_url(re.compile(r"/account/two-factor$"))
