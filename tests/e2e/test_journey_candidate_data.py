"""A candidate's request about their data, in a real browser: the admin downloads everything
the team holds about them, then erases it, typing their name to confirm.

The journey adds its own candidate, with an application already closed, so the demo data the
other journeys read is left as it was.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from interviewer.auth.models import Role, User
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.extensions import db
from interviewer.plans.models import Job
from tests.e2e import LiveServer

CANDIDATE = "Ines Valcárcel"


@pytest.fixture
def closed(live_server: LiveServer, demo) -> int:
    """Ines, rejected a week ago from one of the admin's team's jobs; her id."""
    with live_server.app.app_context():
        admin = db.session.scalar(select(User).where(User.email == demo.email("admin")))
        job = db.session.scalars(
            select(Job).where(Job.team_id == admin.team_id).order_by(Job.id)
        ).first()
        candidate = Candidate(
            team_id=admin.team_id,
            name=CANDIDATE,
            email="ines.valcarcel@example.org",
            phone="+34 600 000 000",
            notes="Asked us to delete her data.",
        )
        week_ago = datetime.now(UTC) - timedelta(days=7)
        application = Application(
            team_id=admin.team_id,
            candidate=candidate,
            job=job,
            current_stage=job.stages[0],
            status=ApplicationStatus.WITHDRAWN,
            exit_reason="Accepted another offer",
            closed_at=week_ago,
        )
        db.session.add_all([candidate, application])
        db.session.commit()
        candidate_id = candidate.id
        db.session.remove()
    return candidate_id


def test_an_admin_exports_then_erases_a_candidate(
    page: Page, sign_in_as, live_server: LiveServer, closed: int
):
    sign_in_as(Role.ADMIN)
    page.goto(f"/candidates/{closed}")
    expect(page.get_by_role("heading", name=CANDIDATE, level=1)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export data").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        data = json.loads(archive.read("candidate.json"))
    assert data["candidate"]["email"] == "ines.valcarcel@example.org"
    assert data["applications"][0]["status"] == "withdrawn"

    page.get_by_role("link", name="Erase candidate…").click()
    expect(page.get_by_role("heading", name="What is removed")).to_be_visible()
    page.get_by_label("Type the candidate's name to confirm").fill("Ines")
    page.get_by_role("button", name=f"Erase {CANDIDATE}'s data").click()
    expect(page.get_by_text("That is not the candidate's name")).to_be_visible()
    page.get_by_label("Type the candidate's name to confirm").fill(CANDIDATE)
    page.get_by_role("button", name=f"Erase {CANDIDATE}'s data").click()

    expect(page.get_by_role("alert")).to_contain_text("Erased the candidate's data")
    heading = page.get_by_role("heading", name=f"Erased candidate #{closed}", level=1)
    expect(heading).to_be_visible()
    expect(page.get_by_text("Personal data erased")).to_be_visible()
    assert CANDIDATE not in page.locator("body").inner_text()
    with live_server.app.app_context():
        candidate = db.session.get(Candidate, closed)
        assert candidate.erased_at is not None and candidate.phone == ""
        db.session.remove()
