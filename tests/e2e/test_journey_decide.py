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
    expect(system_design).to_contain_text("Senior expects 3 · Strong")
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
