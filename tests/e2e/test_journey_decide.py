"""Journey 5, the manager decides: open the debrief, read the evidence against the Senior bar,
the recommendation spread and the level fit, then record the decision."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.candidates.models import Application, Candidate
from interviewer.extensions import db
from interviewer.plans.models import Job


def application_id(live_server, candidate: str, job: str) -> int:
    """The id of ``candidate``'s application to ``job`` in the demo data."""
    with live_server.app.app_context():
        found = db.session.scalar(
            select(Application.id)
            .join(Candidate, Candidate.id == Application.candidate_id)
            .join(Job, Job.id == Application.job_id)
            .where(Candidate.name == candidate, Job.title == job)
        )
        db.session.remove()
    assert found is not None, f"the demo data has no application of {candidate} to {job}"
    return found


def test_manager_reads_kenjis_debrief_and_advances_him(page: Page, live_server, sign_in_as):
    kenji = application_id(live_server, "Kenji Watanabe", "Senior Backend Developer")
    sign_in_as(Role.HIRING_MANAGER)

    page.goto(f"/applications/{kenji}/debrief")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Kenji Watanabe")
    expect(page.get_by_role("heading", name="Skills against the Senior bar")).to_be_visible()

    # Per-skill evidence against the Senior bar, with the split on System design marked.
    system_design = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^System design"))
    )
    expect(system_design).to_contain_text("Senior expects Strong")
    expect(system_design).to_contain_text("Split: ratings 2 points apart")
    expect(system_design).to_contain_text("Yes (3)")
    expect(system_design).to_contain_text("Strong no (1)")
    caching = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^Caching & performance"))
    )
    expect(caching).to_contain_text("No (2)")
    expect(caching).not_to_contain_text("Split")
    testing = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^Testing"))
    )
    expect(testing).not_to_contain_text("Split")

    # The recommendation spread: every submitted scorecard says yes.
    tally = page.get_by_role("region", name="Recommendations")
    expect(tally).to_contain_text("Yes (3)")
    expect(tally.get_by_role("listitem")).to_have_count(5)

    # The level fit names the skills below the Senior bar, and the rule behind it.
    fit = page.get_by_role("region", name="Level fit")
    expect(fit).to_contain_text(
        "Meets Middle; below Senior in Caching & performance and System design."
    )
    fit.get_by_text("How level fit is worked out").click()
    expect(fit.get_by_text("estimated proficiency", exact=False)).to_be_visible()

    # Record the decision.
    decision = page.get_by_role("region", name="Decision")
    expect(decision.get_by_text("No decision yet.")).to_be_visible()
    decision.get_by_label("Advance to the next stage").check()
    decision.get_by_label("Rationale").fill(
        "Meets Middle; the System design split was talked through: the final round "
        "probes system design and caching again before a Senior offer."
    )
    decision.get_by_role("button", name="Record decision").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Decision recorded: advance. Kenji Watanabe is now at Final: project deep dive."
    )
    recorded = page.get_by_role("region", name="Decision")
    expect(recorded.get_by_role("listitem")).to_have_count(1)
    expect(recorded.get_by_role("listitem")).to_contain_text("the System design split was talked")
    expect(page.get_by_text("(stage 5 of 5)")).to_be_visible()


def test_the_summary_band_stays_in_view_and_opens_the_decision_form(
    page: Page, live_server, sign_in_as
):
    kenji = application_id(live_server, "Kenji Watanabe", "Senior Backend Developer")
    sign_in_as(Role.HIRING_MANAGER)
    page.goto(f"/applications/{kenji}/debrief")
    page.wait_for_load_state("load")

    band = page.get_by_role("region", name="Summary")
    expect(band).to_contain_text("Meets Middle; below Senior in Caching & performance")
    expect(band).to_contain_text("5 yes")
    expect(band.get_by_role("link", name="1 split")).to_be_visible()

    # Read down to the last skill: the band is still on screen.
    page.get_by_role("rowheader", name=re.compile(r"^Version control")).scroll_into_view_if_needed()
    box = band.bounding_box()
    assert box is not None and 0 <= box["y"] < 10

    # Evidence is folded under each skill until asked for.
    design = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(r"^System design"))
    )
    evidence = design.locator("details.skill-evidence")
    expect(evidence.locator("dl")).to_be_hidden()
    evidence.locator("summary").click()
    expect(evidence.locator("dl")).to_be_visible()

    # "Record decision" opens the form over the evidence; closing puts it back.
    band.get_by_role("link", name="Record decision").click()
    dialog = page.get_by_role("dialog", name="Record a decision")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Advance to the next stage")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(
        page.get_by_role("region", name="Decision").get_by_label("Advance to the next stage")
    ).to_be_attached()

    # Printed: no navigation, no buttons, no decision form; the summary and skills stay.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(band.get_by_role("link", name="Record decision")).to_be_hidden()
    expect(page.locator("#decision-form")).to_be_hidden()
    expect(band).to_be_visible()
