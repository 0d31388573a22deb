"""Journey 6, "Candidate applies", in a real browser, at desktop and phone widths.

The candidate opens the careers page, the posting, applies with a PDF CV and consent, reads
the confirmation, opens the private link from the email waiting in the outbox and sees the
application under review. The hiring manager then finds the application with its CV and
its source, and rejects it with the team's rejection email; the candidate reads that email
in the outbox and the respectful word on their page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from interviewer.candidates.models import Candidate
from interviewer.candidates.pipeline import REJECT_REASONS
from interviewer.extensions import db
from interviewer.mail.models import OutboxEmail
from tests.apply_support import PDF
from tests.e2e import DESKTOP, PHONE, LiveServer, sign_in, watch_csp

JOB = "Backend Developer"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_candidate_applies_with_a_pdf_and_the_manager_sees_it(
    browser: Browser, live_server: LiveServer, demo, viewport
):
    email = f"noor.haddad.{viewport['width']}@example.net"
    problems: list[str] = []
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, timezone_id="America/Sao_Paulo"
    )
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    watch_csp(page, problems)
    page.goto("/careers/acme")
    page.get_by_role("link", name=JOB, exact=True).click()
    expect(page.get_by_role("heading", name=JOB, exact=True)).to_be_visible()
    page.get_by_role("link", name="Apply for this job").click()

    expect(page.get_by_role("heading", name=f"Apply for {JOB}")).to_be_visible()
    # The browser's own zone is preselected by the page's script.
    expect(page.get_by_label("Your time zone")).to_have_value("America/Sao_Paulo")
    page.get_by_label("Full name").fill("Noor Haddad")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Links (optional)").fill("https://code.example.net/noor")
    page.get_by_label("CV").set_input_files(
        {"name": "Noor Haddad CV.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Note (optional)").fill("I enjoy making slow queries fast.")
    # Sent without consent first: the message says so and the typed text stays.
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("Tick the box to agree to the privacy notice")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Noor Haddad")
    expect(page.get_by_text("Choose your CV again").first).to_be_visible()
    page.get_by_label("CV").set_input_files(
        {"name": "Noor Haddad CV.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("I have read the privacy notice and agree to it").check()
    page.get_by_role("button", name="Send application").click()

    expect(page.get_by_role("heading", name="Thank you, your application is in")).to_be_visible()

    with live_server.app.app_context():
        body = db.session.scalar(select(OutboxEmail.body).where(OutboxEmail.to_email == email))
        candidate = db.session.scalar(select(Candidate).where(Candidate.email == email))
        candidate_id, timezone = candidate.id, candidate.timezone
        application_id = candidate.applications[0].id
        db.session.remove()
    assert timezone == "America/Sao_Paulo"
    link = re.search(r"https?://\S+/portal/\S+", body).group(0)
    page.goto(link)
    expect(page.get_by_test_id("status")).to_have_text("Application received, under review.")
    context.close()

    manager = browser.new_context(
        base_url=live_server.url, viewport=viewport, accept_downloads=True
    )
    staff = manager.new_page()
    sign_in(staff, demo.email("hiring_manager"), demo.password)
    staff.goto(f"/candidates/{candidate_id}")
    expect(staff.get_by_role("heading", name="Noor Haddad")).to_be_visible()
    expect(staff.get_by_text("via Careers page")).to_be_visible()
    expect(staff.get_by_text("I enjoy making slow queries fast.")).to_be_visible()
    with staff.expect_download() as download:
        staff.get_by_role("link", name=re.compile(r"^CV")).click()
    assert download.value.suggested_filename == "Noor Haddad CV.pdf"
    with open(download.value.path(), "rb") as file:
        assert file.read() == PDF

    # Later, the manager rejects the application; the form shows the email that will go.
    staff.goto(f"/candidates/applications/{application_id}/reject")
    staff.get_by_label("Reason").select_option(REJECT_REASONS[1])
    expect(staff.locator("#candidate-email-body")).to_contain_text("Hello Noor,")
    staff.get_by_role("button", name="Reject", exact=True).click()
    expect(staff.get_by_role("alert")).to_contain_text("Noor Haddad is emailed")
    manager.close()

    with live_server.app.app_context():
        emails = db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.to_email == email).order_by(OutboxEmail.id)
        ).all()
        rejection = (emails[-1].subject, emails[-1].body, emails[-1].from_name)
        db.session.remove()
    assert len(emails) == 2
    subject, text, sender = rejection
    assert JOB in subject and "not to go further" in text
    assert sender == "Acme"  # the team's display name, not the software's
    candidate_again = browser.new_context(base_url=live_server.url, viewport=viewport)
    portal = candidate_again.new_page()
    portal.goto(link)
    expect(portal.get_by_test_id("status")).to_contain_text("we have decided not to move forward")
    candidate_again.close()
    assert not problems, problems
