"""Signing in and out in a real browser, as each role sees it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from interviewer.auth.models import Role
from tests.e2e import sign_out


def test_hiring_manager_signs_in_sees_the_team_dashboard_and_signs_out(page: Page, demo):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_label("Email").fill(demo.email(Role.HIRING_MANAGER))
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(demo.team_name)
    assert demo.open_job_titles, "the demo data has no open job to look for"
    for title in demo.open_job_titles[:5]:
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()

    # Sign out sits in the user menu, under the user's name.
    sign_out(page)

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_wrong_password_shows_the_error_under_the_password_field(page: Page, demo):
    email = demo.email(Role.HIRING_MANAGER)
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    error = page.get_by_text("Email or password is not right")
    expect(error).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_label("Email")).to_have_value(email)
    # Next to the field: between the password box and the checkbox that follows it.
    password = page.get_by_label("Password").bounding_box()
    message = error.bounding_box()
    remember = page.get_by_label("Keep me signed in").bounding_box()
    assert password and message and remember
    assert password["y"] + password["height"] <= message["y"] < remember["y"]


def test_interviewer_lands_on_my_interviews_without_the_managers_pages(page: Page, sign_in_as):
    sign_in_as(Role.INTERVIEWER)

    expect(page).to_have_url(re.compile(r"/my-interviews$"))
    expect(page.get_by_role("heading", name="My interviews", level=1)).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="My interviews")).to_be_visible()
    expect(navigation.get_by_role("link", name="Candidates")).to_have_count(0)

    page.goto("/candidates/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
