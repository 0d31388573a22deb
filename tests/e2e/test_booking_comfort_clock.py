"""The schedule page, in Chromium: beside the time field, the candidate's local time follows
what the manager types and the zone they choose, and says when it is outside 08:00-20:00."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from interviewer.auth.models import Role, User
from interviewer.candidates.models import Application, Candidate
from interviewer.extensions import db
from interviewer.plans.models import PlanStage
from tests.e2e import LiveServer

SYDNEY = "Australia/Sydney"  # UTC+11 in March


def sydney_candidate(live_server: LiveServer, manager_email: str) -> str:
    """A candidate in Sydney in one of the team's jobs; the schedule page of its first stage."""
    with live_server.app.app_context():
        manager = db.session.scalar(select(User).where(User.email == manager_email))
        stage = db.session.scalar(
            select(PlanStage)
            .where(PlanStage.team_id == manager.team_id)
            .order_by(PlanStage.job_id, PlanStage.position)
        )
        candidate = Candidate(
            team_id=manager.team_id,
            name="Mia Sydney",
            email="mia.sydney@example.org",
            timezone=SYDNEY,
        )
        application = Application(team_id=manager.team_id, candidate=candidate, job_id=stage.job_id)
        db.session.add_all([candidate, application])
        db.session.commit()
        path = f"/applications/{application.id}/stages/{stage.id}/schedule"
        db.session.remove()
    return path


def test_the_candidate_s_time_follows_the_typed_time(
    page: Page, live_server: LiveServer, sign_in_as
) -> None:
    email = sign_in_as(Role.HIRING_MANAGER)
    page.goto(sydney_candidate(live_server, email))
    clock = page.locator(".candidate-clock")
    expect(clock).to_have_text("")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")

    page.get_by_label("Date").fill("2031-03-17")
    page.get_by_label("Start time").fill("14:00")
    expect(clock).to_have_text(
        "00:00 on Tue 18 Mar in Sydney, the candidate's time. Outside their 08:00-20:00."
    )

    page.get_by_label("Start time").fill("23:00")
    expect(clock).to_have_text("09:00 on Tue 18 Mar in Sydney, the candidate's time.")

    page.get_by_label("Time zone").select_option("UTC")
    expect(clock).to_have_text("10:00 on Tue 18 Mar in Sydney, the candidate's time.")
