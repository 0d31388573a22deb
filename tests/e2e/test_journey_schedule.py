"""Core journey 2, "Manager schedules", in a real browser.

The hiring manager adds a candidate to the Backend Developer job, schedules the intro call
(the plan's first stage: stages happen in plan order), moves them on to live coding and
books it with two interviewers. Booking one of those interviewers at an overlapping time
for another candidate is refused with the reason on the form. The manager, one of the
interviewers and the candidate (through the private link) each download the calendar file.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Download, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from interviewer.auth.models import Role
from interviewer.extensions import db
from interviewer.scheduling.models import Interview, PanelMember
from tests.e2e import LiveServer, sign_in

JOB = "Backend Developer"
CANDIDATE = ("Noor Haddad", "noor.haddad@example.org")
OTHER_CANDIDATE = ("Lena Novak", "lena.novak@example.org")
#: The hiring manager's zone in the demo: the schedule form starts in it.
MANAGER_ZONE = "Europe/Berlin"


def when(start: datetime, end: datetime, tz: str) -> str:
    """``Tue 31 Mar, 14:00-15:15 (Berlin time)``, as the app writes an interview's time."""
    local_start, local_end = start.astimezone(ZoneInfo(tz)), end.astimezone(ZoneInfo(tz))
    label = "UTC" if tz == "UTC" else tz.rsplit("/", 1)[-1].replace("_", " ") + " time"
    return f"{local_start:%a %d %b}, {local_start:%H:%M}-{local_end:%H:%M} ({label})"


def add_candidate(page: Page, name: str, email: str) -> None:
    page.goto("/candidates/")
    page.get_by_role("link", name="Add candidate").first.click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Job").select_option(label=f"{JOB} (open)")
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_text(f"Added {name}. Applied to {JOB} at Intro call.")).to_be_visible()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def book_first_suggestion(page: Page, stage: str, name: str) -> None:
    page.get_by_role("link", name=f"Schedule {stage}").click()
    expect(page.get_by_role("heading", name=f"Schedule {stage} with {name}")).to_be_visible()
    suggested = page.get_by_role("region", name="Suggested slots")
    suggested.get_by_role("button", name=re.compile(r"^Book this slot")).first.click()
    expect(page.get_by_text(f"{stage} booked for {name}:")).to_be_visible()


def booked(live_server: LiveServer, interview_id: int) -> Interview:
    """The interview as committed, with its panel."""
    with live_server.app.app_context():
        interview = db.session.scalar(
            select(Interview)
            .where(Interview.id == interview_id)
            .options(selectinload(Interview.panel).selectinload(PanelMember.user))
        )
        db.session.expunge_all()
        db.session.remove()
    return interview


def calendar_file(download: Download) -> str:
    path = download.path()
    assert path is not None, download.failure()
    text = Path(path).read_text()
    assert text.startswith("BEGIN:VCALENDAR"), text[:200]
    assert "METHOD:REQUEST" in text
    return text


def download_invite(page: Page, url: str) -> str:
    page.goto(url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download calendar invite (.ics)").click()
    return calendar_file(info.value)


def test_a_manager_schedules_live_coding_and_everyone_gets_the_calendar_file(
    page: Page, sign_in_as, demo, browser: Browser, live_server: LiveServer
):
    name, email = CANDIDATE
    sign_in_as(Role.HIRING_MANAGER)
    add_candidate(page, name, email)
    expect(page.get_by_text("No interview scheduled yet.")).to_be_visible()

    book_first_suggestion(page, "Intro call", name)
    page.get_by_role("link", name=name).first.click()
    page.get_by_role("button", name="Move to Live coding").click()
    expect(page.get_by_text(f"{name} is now at Live coding.")).to_be_visible()
    book_first_suggestion(page, "Live coding", name)

    interview_url = page.url
    interview = booked(live_server, int(interview_url.rsplit("/", 1)[1]))
    panel = interview.interviewers
    assert len(panel) == 2
    for person in panel:
        expect(page.get_by_text(person.name).first).to_be_visible()
    slot = when(interview.starts_at, interview.ends_at, MANAGER_ZONE)
    expect(page.get_by_text(slot).first).to_be_visible()

    # An engineer of that panel (the hiring manager may sit on it too), half an hour later,
    # for another candidate: refused.
    engineer = next(p for p in panel if p.email != demo.email(Role.HIRING_MANAGER))
    add_candidate(page, *OTHER_CANDIDATE)
    page.get_by_role("link", name="Schedule Intro call").click()
    overlap = interview.starts_at.astimezone(ZoneInfo(MANAGER_ZONE)) + timedelta(minutes=30)
    page.get_by_label("Date").fill(overlap.date().isoformat())
    page.get_by_label("Start time").fill(overlap.strftime("%H:%M"))
    # The date is read in the manager's own zone unless another is chosen.
    expect(page.get_by_label("Time zone")).to_have_value(MANAGER_ZONE)
    page.get_by_label(engineer.name, exact=True).check()
    page.get_by_role("button", name="Schedule interview").click()

    refusal = f"{engineer.name} already has an interview {slot} with another candidate."
    expect(page.get_by_role("alert").filter(has_text=refusal)).to_be_visible()
    other = OTHER_CANDIDATE[0]
    expect(page.get_by_role("heading", name=f"Schedule Intro call with {other}")).to_be_visible()
    expect(page.get_by_label(engineer.name, exact=True)).to_be_checked()
    expect(page.get_by_label("Start time")).to_have_value(overlap.strftime("%H:%M"))

    # The manager's calendar file, from the interview page, and the candidate's private link.
    text = download_invite(page, interview_url)
    assert f"{name})" in text and all(person.email in text for person in panel)
    page.get_by_role("link", name=name).first.click()
    link = page.get_by_role("textbox", name="Candidate portal link").first.input_value()

    # The engineer, signed in as themselves.
    page.context.clear_cookies()
    sign_in(page, engineer.email, demo.password)
    assert f"UID:{interview.uid}" in download_invite(page, interview_url)

    # The candidate, through the private link, without an account.
    context = browser.new_context(base_url=live_server.url)
    try:
        tab = context.new_page()
        tab.goto(link)
        step = tab.get_by_role("listitem").filter(
            has=tab.get_by_role("heading", name="Live coding", level=3)
        )
        # A candidate added without a zone reads the team's (the demo team is in Berlin).
        expect(
            step.get_by_text(when(interview.starts_at, interview.ends_at, "Europe/Berlin"))
        ).to_be_visible()
        with tab.expect_download() as info:
            step.get_by_role("link", name="calendar file").click()
        text = calendar_file(info.value)
    finally:
        context.close()
    assert f"UID:{interview.uid}" in text
    # Only the candidate attends in their copy: interviewers' addresses stay inside the team.
    assert text.count("ATTENDEE") == 1 and email in text and engineer.email not in text
