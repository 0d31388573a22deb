"""An admin invites a colleague; the colleague follows the emailed link, chooses a password
and lands signed in; the link works only once. Then the colleague turns on two-factor
sign-in and signs in again with the password and a code from their app."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.extensions import db
from interviewer.mail.models import OutboxEmail
from tests.e2e import sign_out
from tests.e2e.two_factor import scan_setup_key, sign_in_with_code

PASSWORD = "tangerine submarine orchestra"


def _invitation_path(live_server, email: str) -> str:
    with live_server.app.app_context():
        body = db.session.scalars(
            select(OutboxEmail.body)
            .where(OutboxEmail.to_email == email)
            .order_by(OutboxEmail.id.desc())
        ).first()
        db.session.remove()
    return "/invite/" + re.search(r"/invite/(\S+)", body).group(1)


def test_invited_colleague_sets_a_password_and_lands_signed_in(
    page: Page, browser, live_server, demo, sign_in_as
):
    sign_in_as(Role.ADMIN)
    page.goto("/team/users")
    page.get_by_label("Name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace.hopper@example.com")
    page.get_by_label("Role", exact=True).select_option("hiring_manager")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to grace.hopper@example.com")).to_be_visible()
    resend = page.get_by_role("button", name="Resend the invitation to grace.hopper@example.com")
    expect(resend).to_be_visible()
    path = _invitation_path(live_server, "grace.hopper@example.com")

    invitee = browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(path)
    expect(invitee.get_by_role("heading", name=f"Join {demo.team_name}")).to_be_visible()
    invitee.get_by_label("Choose a password").fill("grace hopper")
    invitee.get_by_label("Repeat the password").fill("grace hopper")
    invitee.get_by_role("button", name="Set my password and sign in").click()
    expect(invitee.get_by_text("too easy to guess")).to_be_visible()
    invitee.get_by_label("Choose a password").fill(PASSWORD)
    invitee.get_by_label("Repeat the password").fill(PASSWORD)
    invitee.get_by_role("button", name="Set my password and sign in").click()

    expect(invitee).to_have_url(re.compile(r"/dashboard$"))
    expect(invitee.get_by_text(f"Welcome to {demo.team_name}, Grace Hopper.")).to_be_visible()
    invitee.goto(path)
    expect(invitee.get_by_role("heading", name="This invitation was used already")).to_be_visible()
    invitee.context.close()

    page.goto("/team/users")
    expect(page.get_by_text("grace.hopper@example.com")).to_be_visible()
    page.goto("/team/audit?kind=invitations")
    expect(page.get_by_role("listitem").filter(has_text="Invitation accepted")).to_be_visible()


def _sign_out(page: Page) -> None:
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/login$"))


def test_invite_then_set_a_password_then_sign_in_with_two_factor(
    page: Page, browser, live_server, demo, sign_in_as
):
    sign_in_as(Role.ADMIN)
    page.goto("/team/users")
    page.get_by_label("Name").fill("Katherine Johnson")
    page.get_by_label("Email").fill("katherine.johnson@example.com")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to katherine.johnson@example.com")).to_be_visible()
    path = _invitation_path(live_server, "katherine.johnson@example.com")

    invitee = browser.new_context(base_url=live_server.url).new_page()
    invitee.goto(path)
    invitee.get_by_label("Choose a password").fill(PASSWORD)
    invitee.get_by_label("Repeat the password").fill(PASSWORD)
    invitee.get_by_role("button", name="Set my password and sign in").click()
    expect(invitee.get_by_text(f"Welcome to {demo.team_name}, Katherine Johnson.")).to_be_visible()

    invitee.goto("/account")
    invitee.get_by_role("button", name="Turn on two-factor sign-in").click()
    app = scan_setup_key(invitee)
    invitee.get_by_label("6-digit code from your app").fill(app.code())
    invitee.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(invitee.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    _sign_out(invitee)

    # The password alone is not enough now: the code step comes before any page.
    invitee.get_by_label("Email").fill("katherine.johnson@example.com")
    invitee.get_by_label("Password").fill(PASSWORD)
    invitee.get_by_role("button", name="Sign in").click()
    expect(invitee).to_have_url(re.compile(r"/login/two-factor"))
    invitee.goto("/my-interviews")
    expect(invitee).to_have_url(re.compile(r"/login"))

    sign_in_with_code(invitee, "katherine.johnson@example.com", PASSWORD, app)
    expect(invitee).to_have_url(re.compile(r"/my-interviews$"))
    expect(invitee.get_by_role("button", name=re.compile("Katherine Johnson"))).to_be_visible()
    invitee.context.close()

    page.goto("/team/audit")
    hers = page.get_by_role("listitem").filter(has_text="Katherine Johnson")
    for action in ("Invitation accepted", "Two-factor sign-in turned on", "Signed in"):
        expect(hers.filter(has_text=action).first).to_be_visible()
