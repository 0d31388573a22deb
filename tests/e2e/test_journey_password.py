"""A forgotten password reset by email, and a password changed, in a real browser (CSRF on)."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from interviewer.auth import services
from interviewer.auth.models import Team
from interviewer.extensions import db
from interviewer.mail.models import OutboxEmail
from tests.e2e import sign_in

OLD, NEW = "amber quilt lantern 42", "plum violin orbit kettle"
#: The server's rows live for the whole package: each test's person is new.
_serial = itertools.count(1)


@pytest.fixture
def person(live_server, demo) -> str:
    """A user of the demo team of their own, so the demo logins keep their password."""
    with live_server.app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == demo.team_name))
        user = services.create_user(
            db.session,
            team=team,
            email=f"rosa.walker{next(_serial)}@acme.example",
            name="Rosa Walker",
            password=OLD,
            role="interviewer",
            timezone="UTC",
        )
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


def reset_path(live_server, email: str) -> str:
    with live_server.app.app_context():
        body = db.session.scalar(
            select(OutboxEmail.body)
            .where(OutboxEmail.to_email == email)
            .order_by(OutboxEmail.id.desc())
        )
        db.session.remove()
    return re.search(r"/password/reset/\S+", body).group(0)


def test_a_forgotten_password_is_reset_from_the_emailed_link(page: Page, live_server, person):
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(person)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text("If an account exists for that address")).to_be_visible()

    link = reset_path(live_server, person)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("rosa walker")
    page.get_by_label("Repeat the new password").fill("rosa walker")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("at least 12 characters")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Repeat the new password").fill(NEW)
    page.get_by_role("button", name="Save the new password").click()

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Sign in with the new password")).to_be_visible()
    sign_in(page, person, NEW)
    expect(page).to_have_url(re.compile(r"/my-interviews$"))
    page.goto(link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_a_password_changed_from_the_account_page_signs_other_browsers_out(
    page: Page, browser, live_server, person
):
    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in(other, person, OLD)
    sign_in(page, person, OLD)

    page.goto("/account")
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill(OLD)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Repeat the new password").fill(NEW)
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_text("1 other browser was signed out")).to_be_visible()
    other.goto("/account")
    expect(other).to_have_url(re.compile(r"/login\?next="))
    other.context.close()
