"""The admin keeps the team's candidate sources and turns blind first review on; the
interviewer of a screen then meets the candidate only as "Candidate 4821"."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from interviewer.auth.models import Role, Team, User
from interviewer.candidates import blind
from interviewer.candidates.models import Application, CandidateSource
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.models import PlanStage, StageType
from interviewer.scheduling.models import Interview, PanelMember
from tests.e2e import open_account_menu, sign_in

NEW_SOURCE = "Hackathon"


def screen_under_review(live_server) -> tuple[str, str, str, int]:
    """A past screen of an application still at its screen, with an interviewer on it:
    (their email, the candidate's name, the pseudonym, the interview id)."""
    with live_server.app.app_context():
        row = db.session.execute(
            select(Interview, User)
            .join(Application, Application.id == Interview.application_id)
            .join(PlanStage, PlanStage.id == Application.current_stage_id)
            .join(StageType, StageType.id == PlanStage.stage_type_id)
            .join(PanelMember, PanelMember.interview_id == Interview.id)
            .join(User, User.id == PanelMember.user_id)
            .where(
                StageType.key == "screen",
                Interview.plan_stage_id == Application.current_stage_id,
                Interview.ends_at < utcnow(),
                User.role == Role.INTERVIEWER,
            )
            .order_by(Interview.starts_at.desc())
        ).first()
        assert row, "the demo data has no interviewer on a screen still under way"
        interview, user = row
        found = (
            user.email,
            interview.application.candidate.name,
            blind.pseudonym(interview.application),
            interview.id,
        )
        db.session.remove()
    return found


def _restore(live_server) -> None:
    with live_server.app.app_context():
        for team in db.session.scalars(select(Team)):
            team.blind_first_review = False
        db.session.execute(delete(CandidateSource).where(CandidateSource.name == NEW_SOURCE))
        db.session.execute(
            CandidateSource.__table__.update()
            .where(CandidateSource.name == "Agency")
            .values(archived=False)
        )
        db.session.commit()
        db.session.remove()


def test_admin_keeps_the_sources_and_screens_are_then_reviewed_blind(
    page: Page, live_server, demo, sign_in_as
):
    email, name, pseudonym, interview_id = screen_under_review(live_server)
    try:
        sign_in_as(Role.ADMIN)
        open_account_menu(page)
        page.get_by_role("link", name="Candidate sources").click()
        expect(page.get_by_role("heading", name="Candidate sources", level=1)).to_be_visible()
        page.get_by_label("Name").fill(NEW_SOURCE)
        page.get_by_role("button", name="Add source").click()
        expect(page.get_by_text(f"Added the source “{NEW_SOURCE}”.")).to_be_visible()
        page.get_by_role("button", name="Archive Agency").click()
        expect(page.get_by_text("Archived “Agency”: its candidates keep it.")).to_be_visible()

        page.goto("/team/review")
        page.get_by_label("Review screens blind").check()
        page.get_by_role("button", name="Save the setting").click()
        expect(page.get_by_text("Screens are reviewed blind")).to_be_visible()
        page.context.clear_cookies()

        sign_in(page, email, demo.password)
        expect(page).to_have_url(re.compile(r"/my-interviews$"))
        expect(page.get_by_text(pseudonym).first).to_be_visible()
        page.goto(f"/interviews/{interview_id}/scorecard")
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(pseudonym))
        expect(page.get_by_text("Blind review: the candidate's name")).to_be_visible()
        assert name not in page.content()
    finally:
        _restore(live_server)
