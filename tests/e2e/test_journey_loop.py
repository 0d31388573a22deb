"""Journey 8, "Loop books itself", in a real browser: the manager adds a candidate, clicks
"Schedule the rest", reads three loop options and books the first; every stage of the plan
is booked at once and listed on the candidate's page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from interviewer import ROOT
from interviewer.auth.models import Role
from interviewer.candidates.models import Application, Candidate
from interviewer.extensions import db
from interviewer.scheduling.models import Interview
from tests.e2e import DESKTOP, PHONE, LiveServer

JOB = "Backend Developer"
NAME, EMAIL = "Ines Loop", "ines.loop@example.org"
SHOTS = ROOT / "screenshots"


def add_candidate(page: Page) -> None:
    page.goto("/candidates/")
    page.get_by_role("link", name="Add candidate").first.click()
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Job").select_option(label=f"{JOB} (open)")
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_role("heading", name=NAME, level=1)).to_be_visible()


def interviews_of(live_server: LiveServer) -> int:
    with live_server.app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(Interview)
            .join(Application, Application.id == Interview.application_id)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Candidate.email == EMAIL)
        )
        db.session.remove()
    return count


def test_schedule_the_rest_books_the_whole_loop_at_once(
    page: Page, sign_in_as, live_server: LiveServer
):
    sign_in_as(Role.HIRING_MANAGER)
    add_candidate(page)

    page.get_by_role("link", name=re.compile(r"^Schedule the rest")).click()
    expect(page.get_by_role("heading", name=f"Schedule the rest with {NAME}")).to_be_visible()
    options = page.locator("section.loop-option")
    expect(options).to_have_count(3)
    ticked = page.get_by_role("checkbox")
    stages = ticked.count()
    assert stages >= 3
    for n in range(stages):
        expect(ticked.nth(n)).to_be_checked()
    page.screenshot(path=SHOTS / "loop-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SHOTS / "loop-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    first = options.first
    booked_times = first.locator("li").all_inner_texts()
    assert len(booked_times) == stages
    first.get_by_role("button", name=re.compile(r"^Book this loop")).click()

    expect(page.get_by_text(re.compile(rf"{stages} interviews booked for {NAME}"))).to_be_visible()
    expect(page.get_by_role("heading", name=NAME, level=1)).to_be_visible()
    assert interviews_of(live_server) == stages
    # Everything booked: the page no longer offers the rest.
    expect(page.get_by_role("link", name=re.compile(r"^Schedule the rest"))).to_have_count(0)
