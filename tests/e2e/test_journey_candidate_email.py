"""The rejection email a manager can trust, in a real browser.

The hiring manager keeps the team's own rejection text for one reason at Candidate emails,
then rejects a candidate for that reason: the form shows that text, rendered for the
candidate, as soon as the reason is chosen; the manager edits it for this one candidate and
the edited email waits in the outbox.

The journey adds its own candidate, so the demo data the other journeys read is left as it
was (the text it keeps is for a reason they do not use).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from interviewer.auth.models import Role, User
from interviewer.candidates.models import Application, Candidate
from interviewer.extensions import db
from interviewer.mail.models import OutboxEmail
from interviewer.plans.models import Job, JobStatus
from tests.e2e import LiveServer

REASON = "Candidate not responsive"
EMAIL = "lale.okafor@example.org"


@pytest.fixture
def application_id(live_server: LiveServer, demo) -> int:
    """Lale's application to an open job of the manager's team, at its first stage."""
    with live_server.app.app_context():
        manager = db.session.scalar(select(User).where(User.email == demo.email("hiring_manager")))
        job = db.session.scalars(
            select(Job)
            .where(Job.team_id == manager.team_id, Job.status == JobStatus.OPEN)
            .order_by(Job.id)
        ).first()
        candidate = Candidate(team_id=manager.team_id, name="Lale Okafor", email=EMAIL)
        application = Application(
            team_id=manager.team_id, candidate=candidate, job=job, current_stage=job.stages[0]
        )
        db.session.add_all([candidate, application])
        db.session.commit()
        found = application.id
        db.session.remove()
    return found


def test_the_reasons_own_text_is_shown_edited_for_the_candidate_and_queued(
    page: Page, sign_in_as, live_server: LiveServer, application_id: int
):
    sign_in_as(Role.HIRING_MANAGER)
    page.goto("/team/emails/")
    page.get_by_role("link", name=REASON).click()
    page.get_by_label("Subject").fill("About your application, {{ first_name }}")
    page.get_by_label("Email text").fill("Dear {{ first_name }},\n\nWe could not reach you.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-body")).to_have_text("Dear Ana,\n\nWe could not reach you.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved")

    page.goto(f"/candidates/applications/{application_id}/reject")
    body = page.locator("#candidate-email-body")
    expect(body).to_contain_text("not to go further")
    expect(page.get_by_role("button", name="Preview email")).to_be_hidden()
    expect(page.get_by_label("Email text")).to_be_hidden()
    page.get_by_label("Reason").select_option(REASON)
    expect(body).to_contain_text("Dear Lale,")
    expect(body).to_contain_text("We could not reach you.")

    page.get_by_label("Edit it for this candidate, then send").check()
    text = page.get_by_label("Email text")
    expect(text).to_have_value("Dear Lale,\n\nWe could not reach you.")
    text.fill("Dear Lale,\n\nWe could not reach you; write to us any time.")
    page.get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Lale Okafor is emailed your edited text.")

    with live_server.app.app_context():
        [email] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_email == EMAIL))
        assert email.subject == "About your application, Lale"
        assert email.body == "Dear Lale,\n\nWe could not reach you; write to us any time."
        db.session.remove()
