"""Core journey 4, "Candidate follows", in a real browser.

The hiring manager copies a demo candidate's private link from the candidate page; the
candidate opens it without an account (on a desktop and on a phone), sees where they stand:
the steps done, the next one with its date in their time zone, the ones left with what to
expect, and the counts the posting promises. They switch the page to another time zone and
the date follows. Nothing internal shows: no score, no evidence, no other candidate, no
interviewer's surname.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from interviewer.auth.models import Role, User
from interviewer.candidates.models import Application, Candidate
from interviewer.extensions import db
from interviewer.scheduling.models import Interview, InterviewStatus
from interviewer.scorecards.models import RATING_LABELS, Rating, Scorecard
from tests.e2e import PHONE, LiveServer

CANDIDATE = "Hannah Schmidt"
JOB = "Junior Backend Developer"
#: Her plan: two steps done, the next booked, the final round left.
DONE = ["Intro call", "Pair programming"]
NEXT = "Data and security walkthrough"
REMAINING = ["Meet the team"]
NEXT_EXPECT = "A conversation around a simple diagram"
REMAINING_EXPECT = "Meet the hiring manager and a future teammate"
OTHER_ZONE = "America/New_York"


def when(start: datetime, end: datetime, tz: str) -> str:
    """``Tue 31 Mar, 14:00-15:00 (Berlin time)``, as the portal writes an interview's time."""
    local_start, local_end = start.astimezone(ZoneInfo(tz)), end.astimezone(ZoneInfo(tz))
    label = tz.rsplit("/", 1)[-1].replace("_", " ") + " time"
    return f"{local_start:%a %d %b}, {local_start:%H:%M}-{local_end:%H:%M} ({label})"


@pytest.fixture
def private(live_server: LiveServer, demo) -> dict:
    """What the page must and must not show, read from the committed demo data."""
    with live_server.app.app_context():
        application = db.session.scalar(
            select(Application)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Candidate.name == CANDIDATE)
        )
        upcoming = db.session.scalar(
            select(Interview)
            .where(
                Interview.application_id == application.id,
                Interview.status == InterviewStatus.SCHEDULED,
                Interview.starts_at > datetime.now(UTC),
            )
            .order_by(Interview.starts_at)
        )
        others = db.session.scalars(select(Candidate.name).where(Candidate.name != CANDIDATE))
        team = db.session.scalars(select(User.name).where(User.team_id == application.team_id))
        evidence = db.session.scalars(
            select(Rating.evidence).join(Rating.scorecard).where(Rating.evidence != "")
        )
        takeaways = db.session.scalars(
            select(Scorecard.key_takeaways).where(Scorecard.key_takeaways != "")
        )
        data = {
            "timezone": application.candidate.timezone,
            "interview": (upcoming.starts_at, upcoming.ends_at, upcoming.plan_stage.name),
            "others": sorted(set(others)),
            "surnames": sorted({name.split()[-1] for name in team}),
            "secrets": sorted(set(evidence) | set(takeaways)),
        }
        db.session.remove()
    assert data["interview"][2] == NEXT
    return data


def portal_link_from_the_candidate_page(page: Page, sign_in_as) -> str:
    sign_in_as(Role.HIRING_MANAGER)
    page.goto("/candidates/")
    page.get_by_role("link", name=CANDIDATE).first.click()
    expect(page.get_by_role("heading", name=CANDIDATE, level=1)).to_be_visible()
    link = page.get_by_role("textbox", name="Candidate portal link").first.input_value()
    assert re.search(r"/portal/[\w.-]+$", link), link
    return link


def shows_the_timeline(tab: Page, private: dict) -> None:
    process = tab.get_by_role("region", name="Your interview process")
    for name in DONE + [NEXT] + REMAINING:
        expect(process.get_by_role("heading", name=name, level=3)).to_be_visible()
    expect(process.get_by_text("Done", exact=True)).to_have_count(len(DONE))
    expect(process.get_by_text("Next", exact=True)).to_have_count(1)
    expect(process.locator("[data-state=remaining]")).to_have_count(len(REMAINING))
    expect(process.get_by_text(NEXT_EXPECT)).to_be_visible()
    expect(process.get_by_text(REMAINING_EXPECT)).to_be_visible()
    for count in ("4 steps", "1 live-coding session", "1 whiteboard session"):
        expect(process.get_by_text(count, exact=True)).to_be_visible()
    expect(process.get_by_text("1 step before the final round")).to_be_visible()
    expect(tab.get_by_text(f"You're in the process: next is {NEXT}.")).to_be_visible()


def shows_nothing_internal(tab: Page, private: dict) -> None:
    text = tab.locator("body").inner_text()
    for secret in private["secrets"]:
        assert secret not in text, f"scorecard text on the portal: {secret!r}"
    for name in private["others"]:
        assert name not in text, f"another candidate's name on the portal: {name!r}"
    for surname in private["surnames"]:
        assert not re.search(rf"\b{re.escape(surname)}\b", text), f"surname {surname!r} shown"
    # "Yes" and "No" are plain words too; the two-word labels only ever mean a rating.
    for label in (label for label in RATING_LABELS.values() if " " in label):
        assert label.lower() not in text.lower(), f"rating {label!r} shown"
    assert not re.search(r"\bscore|recommendation|rating\b", text, re.IGNORECASE)


def test_a_candidate_follows_their_process_through_the_private_link(
    page: Page, sign_in_as, browser: Browser, live_server: LiveServer, private: dict
):
    link = portal_link_from_the_candidate_page(page, sign_in_as)
    starts, ends, _stage = private["interview"]

    context = browser.new_context(base_url=live_server.url)  # the candidate: no sign-in
    errors: list[str] = []
    try:
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(link)

        expect(tab.get_by_role("heading", name=JOB, level=1)).to_be_visible()
        expect(tab.get_by_text("Hi Hannah, this page follows your interviews")).to_be_visible()
        upcoming = tab.get_by_role("region", name="Your next interview")
        expect(upcoming.get_by_text(NEXT, exact=True)).to_be_visible()
        expect(upcoming.get_by_text(when(starts, ends, private["timezone"]))).to_be_visible()
        shows_the_timeline(tab, private)
        shows_nothing_internal(tab, private)

        tab.get_by_role("combobox", name="Times on this page are in").select_option(OTHER_ZONE)
        tab.get_by_role("button", name="Use this time zone").click()

        expect(tab.get_by_text("Times are now shown in your chosen time zone.")).to_be_visible()
        expect(upcoming.get_by_text(when(starts, ends, OTHER_ZONE))).to_be_visible()
        expect(tab.get_by_text(when(starts, ends, private["timezone"]))).to_have_count(0)
        expect(tab.get_by_role("combobox", name="Times on this page are in")).to_have_value(
            OTHER_ZONE
        )
    finally:
        context.close()
    assert not errors, errors


def test_the_private_link_reads_well_on_a_phone(
    page: Page, sign_in_as, browser: Browser, live_server: LiveServer, private: dict
):
    link = portal_link_from_the_candidate_page(page, sign_in_as)

    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    try:
        tab = context.new_page()
        tab.goto(link)

        expect(tab.get_by_role("heading", name=JOB, level=1)).to_be_visible()
        expect(tab.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
        shows_the_timeline(tab, private)
        shows_nothing_internal(tab, private)
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    finally:
        context.close()
