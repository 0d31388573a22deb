"""The board's bulk bar and drag and drop in a browser: tick two cards and put them on hold
together; drag a card to the next stage, and back (which asks why)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates import services
from interviewer.candidates.models import Application, Candidate
from interviewer.extensions import db
from interviewer.plans.models import Job

JOB = "Backend Developer"
NAMES = ("Ines Okoro", "Pavel Novak")


@pytest.fixture
def newcomers(live_server):
    """Two candidates new to the demo's Backend Developer, at its first stage; removed after,
    so the other journeys see the demo as it was."""
    with live_server.app.app_context():
        job = db.session.scalar(
            select(Job).where(Job.title == JOB).options(selectinload(Job.stages))
        )
        ids = []
        for name in NAMES:
            candidate, _ = services.add_candidate(
                db.session, job.team, name=name, email=f"{name.split()[0].lower()}@example.org"
            )
            application = services.apply_to_job(db.session, candidate, job, None)
            db.session.flush()
            ids.append((candidate.id, application.id))
        db.session.commit()
        stages = [(str(stage.id), stage.name) for stage in job.stages]
        path = f"/jobs/{job.id}/board"
        db.session.remove()
    yield path, stages
    with live_server.app.app_context():
        db.session.execute(
            delete(AuditEvent).where(
                AuditEvent.subject_type.in_(("application", "candidate")),
                AuditEvent.subject_id.in_([i for pair in ids for i in pair]),
            )
        )
        db.session.execute(delete(Application).where(Application.id.in_([a for _, a in ids])))
        db.session.execute(delete(Candidate).where(Candidate.id.in_([c for c, _ in ids])))
        db.session.commit()
        db.session.remove()


def column(page: Page, title: str):
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", level=2, name=re.compile(rf"^{re.escape(title)}"))
    )


def test_two_ticked_cards_are_put_on_hold_together(page: Page, sign_in_as, newcomers):
    path, _ = newcomers
    sign_in_as(Role.HIRING_MANAGER)
    page.goto(path)
    page.wait_for_load_state("load")

    bulk = page.get_by_role("form", name="Move ticked cards")
    expect(bulk).to_contain_text("Tick cards to move several at once.")
    for name in NAMES:
        page.get_by_label(f"Tick {name}").check()
    expect(bulk).to_contain_text("2 cards ticked")
    bulk.get_by_label("With the ticked cards").select_option(label="Put on hold")
    bulk.get_by_role("button", name="Apply to ticked cards").click()

    expect(page.get_by_text("2 candidates put on hold.")).to_be_visible()
    for name in NAMES:
        card = page.get_by_role("article", name=name)
        expect(card.get_by_text("On hold", exact=True)).to_be_visible()

    # Rejecting without a reason is refused, and the cards stay ticked to try again.
    for name in NAMES:
        page.get_by_label(f"Tick {name}").check()
    bulk.get_by_label("With the ticked cards").select_option(label="Reject")
    bulk.get_by_role("button", name="Apply to ticked cards").click()
    expect(page.get_by_text("Choose a rejection reason")).to_be_visible()
    for name in NAMES:
        expect(page.get_by_label(f"Tick {name}")).to_be_checked()


def test_a_card_dragged_to_the_next_stage_moves_there_and_back_asks_why(
    page: Page, sign_in_as, newcomers
):
    path, stages = newcomers
    (_, first), (_, second) = stages[0], stages[1]
    sign_in_as(Role.HIRING_MANAGER)
    page.goto(path)
    page.wait_for_load_state("load")
    name = NAMES[0]

    page.get_by_role("article", name=name).drag_to(column(page, second))

    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_be_visible()
    expect(column(page, second).get_by_role("article", name=name)).to_be_visible()
    expect(column(page, first).get_by_role("article", name=name)).to_have_count(0)

    # Back needs a reason: the drop opens the move's page.
    column(page, second).get_by_role("article", name=name).drag_to(column(page, first))
    expect(page.get_by_label("Why back?").or_(page.get_by_label("Reason")).first).to_be_visible()
    page.get_by_label("Why back?").or_(page.get_by_label("Reason")).first.fill(
        "Dragged on by mistake."
    )
    page.get_by_role("button", name=re.compile(r"back", re.I)).last.click()
    page.wait_for_load_state("load")
    expect(page).to_have_url(re.compile(re.escape(path)))
    expect(column(page, first).get_by_role("article", name=name)).to_be_visible()
