"""Journey 8, second half, in a real browser: the candidate books an offered time on a phone.

The demo gives one candidate an open offer of three times. The manager sees it on the offer
page; the candidate opens their private link on a phone, sees the times in their own zone,
books the first one, and the page shows it as their next interview.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from interviewer import ROOT
from interviewer.auth.models import Role
from interviewer.candidates.portal_links import portal_url
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.portal.services import candidate_timezone
from interviewer.scheduling import offers
from interviewer.scheduling.availability import zone_label
from interviewer.scheduling.conflicts import span
from interviewer.scheduling.offer_models import BookingOffer, OfferStatus
from tests.e2e import DESKTOP, PHONE, LiveServer

SHOTS = ROOT / "screenshots"


@pytest.fixture
def offered(live_server: LiveServer, demo) -> dict:
    """The demo's open offer: whose it is, its portal link, and its times as shown."""
    with live_server.app.app_context(), live_server.app.test_request_context():
        offer = db.session.scalar(
            select(BookingOffer).where(BookingOffer.status == OfferStatus.OPEN)
        )
        assert offer is not None, "the demo has no open booking offer"
        application = offer.application
        tz = candidate_timezone(application)
        choices = offers.choices(db.session, application, offer, utcnow(), tz)
        data = {
            "candidate": application.candidate.name,
            "candidate_id": application.candidate_id,
            "application_id": application.id,
            "stage_id": application.current_stage_id,
            "link": portal_url(application),
            "tz": tz,
            "times": [span(c.starts_at, offers.item_end(c.items[0]), tz) for c in choices],
        }
        db.session.remove()
    # The demo offers three; a journey that ran before may have booked a panel member at one
    # of them, which the portal then no longer shows.
    assert data["times"], "every time of the demo's offer has been taken"
    return data


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(Path(SHOTS, name)), full_page=True)


def test_the_manager_sees_the_open_offer(page: Page, sign_in_as, offered: dict):
    sign_in_as(Role.HIRING_MANAGER)
    page.goto(f"/candidates/{offered['candidate_id']}")
    page.get_by_role("link", name="Offer times on the portal").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Offer times to {offered['candidate']} on the portal"
    )
    expect(page.get_by_test_id("offer-state")).to_contain_text("Open until")
    expect(page.get_by_role("button", name="Withdraw this offer")).to_be_visible()
    expect(page.get_by_role("button", name="Offer the ticked times")).to_be_visible()
    shot(page, "self-booking-offer-page-desktop.png")
    page.set_viewport_size(PHONE)
    shot(page, "self-booking-offer-page-phone.png")


def test_the_candidate_books_an_offered_time_on_a_phone(
    browser: Browser, live_server: LiveServer, offered: dict
):
    desktop = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    try:
        tab = desktop.new_page()
        tab.goto(offered["link"])
        expect(tab.get_by_role("heading", name="Pick a time for your interview")).to_be_visible()
        shot(tab, "self-booking-portal-desktop.png")
    finally:
        desktop.close()

    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    errors: list[str] = []
    try:
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(offered["link"])
        section = tab.get_by_role("region", name="Pick a time for your interview")
        expect(section.get_by_text(f"Times are in {zone_label(offered['tz'])}")).to_be_visible()
        for time in offered["times"]:
            expect(section.get_by_text(time, exact=True)).to_be_visible()
        expect(section.get_by_role("button", name="Book this time")).to_have_count(
            len(offered["times"])
        )
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page is {overflow}px wider than the phone"
        shot(tab, "self-booking-portal-phone.png")

        section.get_by_role("button", name="Book this time").first.click()

        expect(tab.get_by_text(f"Booked: {offered['times'][0]}.")).to_be_visible()
        upcoming = tab.get_by_role("region", name="Your next interview")
        expect(upcoming.get_by_text(offered["times"][0], exact=True)).to_be_visible()
        expect(tab.get_by_role("region", name="Pick a time for your interview")).to_have_count(0)
        shot(tab, "self-booking-portal-booked-phone.png")
    finally:
        context.close()
    assert not errors, errors
