"""Journey 3, the interviewer scores: sign in, "My interviews", open the kit, save a draft,
submit the scorecard, and only then read the colleagues' scorecards."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from interviewer.auth.models import Role
from interviewer.candidates.models import Application
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards.models import Scorecard, ScorecardState
from interviewer.scorecards.services import kit_entries
from tests.e2e import sign_in


@dataclass(frozen=True)
class Pending:
    """A past interview whose scorecard an interviewer still owes, while a colleague on the
    same panel has submitted theirs."""

    email: str
    name: str
    candidate: str
    stage: str
    application_id: int
    #: The focus skills to rate and the first one's kit questions.
    skills: list[str]
    questions: str
    colleague: str
    colleague_takeaways: str
    colleague_evidence: str


def pending_scorecard(live_server) -> Pending:
    """From the demo data: an interviewer whose scorecard of a past interview is a draft (or
    not started), for whom submitting it is all that stands before the colleagues'."""
    with live_server.app.app_context():
        now = utcnow()
        interviews = db.session.scalars(
            select(Interview)
            .where(Interview.status != InterviewStatus.CANCELLED)
            .options(
                selectinload(Interview.panel).selectinload(PanelMember.user),
                selectinload(Interview.application).selectinload(Application.candidate),
                selectinload(Interview.plan_stage),
            )
            .order_by(Interview.ends_at.desc())
        ).all()
        cards = {
            (card.interview_id, card.interviewer_id): card
            for card in db.session.scalars(
                select(Scorecard).options(selectinload(Scorecard.ratings))
            )
        }

        def submitted(interview: Interview, user_id: int) -> bool:
            card = cards.get((interview.id, user_id))
            return card is not None and card.state == ScorecardState.SUBMITTED

        found = []
        for interview in interviews:
            if interview.ends_at > now:
                continue
            for member in interview.panel:
                user = member.user
                if user.role != Role.INTERVIEWER or submitted(interview, user.id):
                    continue
                others = [
                    cards[(interview.id, colleague.user_id)]
                    for colleague in interview.panel
                    if colleague.user_id != user.id and submitted(interview, colleague.user_id)
                ]
                still_owed = [
                    other
                    for other in interviews
                    if other.application_id == interview.application_id
                    and other.id != interview.id
                    and any(seat.user_id == user.id for seat in other.panel)
                    and not submitted(other, user.id)
                ]
                evidence = [r for card in others for r in card.ratings if r.evidence]
                if others and others[0].key_takeaways and evidence and not still_owed:
                    has_draft = (interview.id, user.id) in cards
                    found.append((not has_draft, interview, user, others[0], evidence[0]))
        assert found, "the demo data has no interviewer with a scorecard to write"
        _, interview, user, colleague_card, evidence = min(found, key=lambda row: row[0])
        entries = kit_entries(db.session, interview)
        pending = Pending(
            email=user.email,
            name=user.name,
            candidate=interview.application.candidate.name,
            stage=interview.plan_stage.name,
            application_id=interview.application_id,
            skills=[entry.skill.name for entry in entries],
            questions=next((entry.questions for entry in entries if entry.questions), ""),
            colleague=colleague_card.interviewer.name,
            colleague_takeaways=colleague_card.key_takeaways,
            colleague_evidence=evidence.evidence,
        )
        db.session.remove()
    assert pending.skills, "the interview has no focus skills to rate"
    return pending


def link_name(action: str, about: str) -> re.Pattern:
    """A "My interviews" link: ``action`` (a pattern), then which interview, hidden from
    sight (Chromium puts a space before the hidden part)."""
    return re.compile(rf"^{action}\s*: {re.escape(about)}$")


def test_interviewer_drafts_then_submits_and_only_then_reads_colleagues(
    page: Page, live_server, demo
):
    pending = pending_scorecard(live_server)
    about = f"{pending.candidate}, {pending.stage}"
    colleague_cards = page.get_by_role("article", name=f"{pending.colleague}’s scorecard")

    sign_in(page, pending.email, demo.password)
    expect(page).to_have_url(re.compile(r"/my-interviews$"))
    expect(page.get_by_role("heading", name="My interviews", level=1)).to_be_visible()

    # The kit, from "My interviews".
    page.get_by_role("link", name=link_name("Open kit", about)).click()
    expect(page.get_by_role("heading", name=f"Kit: {pending.stage}", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=pending.skills[0], exact=True)).to_be_visible()
    if pending.questions:
        expect(page.get_by_text(pending.questions.splitlines()[0]).first).to_be_visible()
    page.go_back()

    # The scorecard, with the kit beside it: rate every focus skill and save a draft.
    page.get_by_role("link", name=link_name("(Write|Continue) scorecard", about)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Scorecard: {pending.stage} with {pending.candidate}"
    )
    expect(page.get_by_text(f"Kit for {pending.skills[0]}")).to_be_visible()
    for skill in pending.skills:
        page.get_by_role("group", name=f"Rating for {skill}", exact=True).get_by_text(
            "3 Yes", exact=True
        ).click()
        page.get_by_label(f"Evidence for {skill}", exact=True).fill(
            f"Walked through {skill.lower()} with one hint on the edge cases."
        )
    page.get_by_label("Key takeaways").fill("Steady and clear; would work well with the team.")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"Draft saved at \d\d:\d\d"))
    evidence = page.get_by_label(f"Evidence for {pending.skills[0]}", exact=True)
    expect(evidence).to_have_value(re.compile(r"^Walked through"))
    expect(page.get_by_text(pending.colleague_takeaways)).to_have_count(0)

    # Colleagues' scorecards wait until this one is submitted. (No page links them before
    # that; the address is what a colleague might share.)
    page.goto(f"/applications/{pending.application_id}/scorecards")
    expect(page.get_by_text("Submit your scorecard first")).to_be_visible()
    expect(colleague_cards).to_have_count(0)
    expect(page.get_by_text(pending.colleague_takeaways)).to_have_count(0)
    page.get_by_role("link", name="Write your scorecard").click()

    # Submitting needs a recommendation; the draft kept everything else.
    expect(evidence).to_have_value(re.compile(r"^Walked through"))
    page.get_by_role("group", name="Overall recommendation").get_by_text(
        "3 Yes", exact=True
    ).click()
    page.get_by_role("button", name="Submit scorecard").click()

    expect(page.get_by_text("Scorecard submitted.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/applications/{pending.application_id}/scorecards"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scorecards: {pending.candidate}")
    # The colleague's scorecard of this interview, beside the one just submitted.
    interview = page.get_by_role("region", name=pending.stage, exact=True)
    colleague_card = interview.get_by_role("article", name=f"{pending.colleague}’s scorecard")
    expect(colleague_card).to_contain_text(pending.colleague_takeaways)
    expect(colleague_card).to_contain_text(pending.colleague_evidence)
    own_card = interview.get_by_role("article", name=f"{pending.name}’s scorecard")
    expect(own_card).to_contain_text("Steady and clear; would work well with the team.")
