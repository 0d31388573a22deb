"""The pipeline board in a browser: its move buttons submit the page's one shared form, and
on a phone it shows one whole column at a time, picked by stage."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates.models import Application, Candidate
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.models import Job
from tests.e2e import PHONE

JOB = "Backend Developer"
CANDIDATE = "Tomás Herrera"


@pytest.fixture
def board_path(live_server):
    """The board of the demo's Backend Developer; the moves made on it are forgotten after."""
    began = utcnow()
    with live_server.app.app_context():
        job_id, application_id = db.session.execute(
            select(Job.id, Application.id)
            .join(Application, Application.job_id == Job.id)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .where(Job.title == JOB, Candidate.name == CANDIDATE)
        ).one()
        db.session.remove()
    yield f"/jobs/{job_id}/board"
    with live_server.app.app_context():
        db.session.execute(
            delete(AuditEvent).where(
                AuditEvent.subject_type == "application",
                AuditEvent.subject_id == application_id,
                AuditEvent.created_at >= began,
            )
        )
        db.session.commit()
        db.session.remove()


def test_a_card_is_put_on_hold_and_resumed_from_the_board(page: Page, sign_in_as, board_path):
    sign_in_as(Role.HIRING_MANAGER)
    page.goto(board_path)
    card = page.get_by_role("article", name=CANDIDATE)

    card.get_by_text("More moves").click()
    card.get_by_role("button", name="Put on hold").click()

    expect(page).to_have_url(re.compile(re.escape(board_path)))
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_be_visible()
    expect(card.get_by_text("On hold", exact=True)).to_be_visible()
    card.get_by_role("button", name="Resume").click()
    expect(card.get_by_role("button", name="Resume")).to_have_count(0)
    expect(card.get_by_text("On hold", exact=True)).to_have_count(0)


def test_on_a_phone_the_board_shows_one_whole_column_at_a_time(page: Page, sign_in_as, board_path):
    page.set_viewport_size(PHONE)
    sign_in_as(Role.HIRING_MANAGER)
    page.goto(board_path)

    columns = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=2))
    first = columns.first.bounding_box()
    width = page.evaluate("window.innerWidth")
    assert first["x"] >= 0 and first["x"] + first["width"] <= width
    assert columns.nth(1).bounding_box()["x"] >= width  # the next is a swipe away
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    picker = page.get_by_label("Stage", exact=True)
    live_coding = picker.get_by_role("option", name=re.compile(r"^Live coding · \d+$"))
    picker.select_option(label=live_coding.text_content())
    page.get_by_role("button", name="Show stage").click()

    expect(page.get_by_role("heading", level=2)).to_have_accessible_name(
        re.compile(r"^Live coding \d+ candidates?$")
    )
    expect(page.get_by_text("Showing one stage:")).to_be_visible()
    for card in page.get_by_role("article").all():
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, "a card is cut off"
