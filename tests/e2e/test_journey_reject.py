"""Rejecting a candidate with interviews still to come, in a real browser.

The hiring manager rejects from the candidate page: the form offers to cancel the remaining
interview, ticked. The result says it is cancelled and the panel told; the panel's
cancellation (with its calendar file) waits in the outbox. The candidate's private page then
thanks them and says they have no upcoming interviews, with no reason and no details.

The journey adds its own candidate and interviewer, so the demo data the other journeys
read is left as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from interviewer.auth.models import Role, User
from interviewer.candidates.models import Application, Candidate
from interviewer.candidates.portal_links import make_token
from interviewer.extensions import db
from interviewer.mail.models import OutboxEmail
from interviewer.plans.models import Job, JobStatus
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from tests.e2e import PHONE, LiveServer

CANDIDATE = "Rosa Quinn"
PANEL = "Theo Brandt"
REASON = "Position filled"


@pytest.fixture
def booked(live_server: LiveServer, demo) -> dict:
    """Rosa's application to an open job of the manager's team, its second stage booked in
    three days with Theo on the panel."""
    with live_server.app.app_context():
        manager = db.session.scalar(select(User).where(User.email == demo.email("hiring_manager")))
        job = db.session.scalars(
            select(Job)
            .where(Job.team_id == manager.team_id, Job.status == JobStatus.OPEN)
            .order_by(Job.id)
        ).first()
        stages = list(job.stages)
        theo = User(
            team_id=manager.team_id,
            email="theo.brandt@example.org",
            name=PANEL,
            role=Role.INTERVIEWER,
            password_hash="!",
        )
        candidate = Candidate(team_id=manager.team_id, name=CANDIDATE, email="rosa@example.org")
        application = Application(
            team_id=manager.team_id, candidate=candidate, job=job, current_stage=stages[0]
        )
        starts = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=3)
        interview = Interview(
            team_id=manager.team_id,
            application=application,
            plan_stage=stages[1],
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            timezone="Europe/Berlin",
        )
        db.session.add_all([theo, candidate, application, interview])
        db.session.flush()
        db.session.add(PanelMember(team_id=manager.team_id, interview=interview, user=theo))
        db.session.commit()
        data = {
            "candidate_id": candidate.id,
            "interview_id": interview.id,
            "stage": stages[1].name,
            "token": make_token(application),
        }
        db.session.remove()
    return data


def test_rejecting_cancels_the_remaining_interview_and_the_portal_says_so_kindly(
    page: Page, sign_in_as, browser: Browser, live_server: LiveServer, booked: dict
):
    sign_in_as(Role.HIRING_MANAGER)
    page.goto(f"/candidates/{booked['candidate_id']}")
    expect(page.get_by_role("heading", name=CANDIDATE, level=1)).to_be_visible()

    page.get_by_text("Reject…").click()
    form = page.locator("form", has=page.get_by_role("button", name="Reject", exact=True))
    expect(form.get_by_label("Cancel their remaining interview")).to_be_checked()
    form.get_by_label("Reason").select_option(REASON)
    form.get_by_role("button", name="Reject", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Cancelled 1 upcoming interview; the panel is told."
    )
    expect(page.get_by_text("Cancelled", exact=True)).to_be_visible()
    with live_server.app.app_context():
        interview = db.session.get(Interview, booked["interview_id"])
        assert interview.status is InterviewStatus.CANCELLED
        [email] = db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.interview_id == interview.id)
        ).all()
        assert email.to_email == "theo.brandt@example.org"
        assert "METHOD:CANCEL" in email.ics
        db.session.remove()

    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    try:
        tab = context.new_page()
        tab.goto(f"/portal/{booked['token']}")
        status = tab.get_by_test_id("status")
        expect(status).to_contain_text("Thank you for your interest")
        expect(status).to_contain_text("You have no upcoming interviews with us.")
        text = tab.locator("body").inner_text()
        assert REASON not in text
        assert booked["stage"] not in text
        assert "Your next interview" not in text
    finally:
        context.close()
