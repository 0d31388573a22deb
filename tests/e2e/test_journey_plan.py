"""Core journey 1, "Manager plans", in a real browser.

The hiring manager sharpens the Senior column of the competency matrix, creates a Senior job,
builds its interview plan until the coverage matrix has no gap (the job refuses to open while
a skill is left out, and says which), opens the job, and a visitor who is not signed in
reads the posting with its salary and interview process.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Locator, Page, expect

from interviewer.auth.models import Role
from tests.e2e import DESKTOP

TITLE = "Senior Backend Developer (Payments)"
SECURITY_AT_SENIOR = (
    "Threat-models payment flows, keeps card data out of logs and reviews "
    "authorisation on every new endpoint."
)
WHAT_TO_EXPECT = "We design a small payment ledger together on a shared board. No code."
#: Left out of the first version of the plan, so that the job refuses to open.
LEFT_OUT = "Time management"

#: (stage type, name, minutes, interviewers, focus skills): every skill Senior expects, the
#: deep ones (proficiency 3+) by two stages; the first stage gets LEFT_OUT later.
STAGES = [
    ("Screen", "Intro call", 30, 1, ["Communication", "Collaboration"]),
    (
        "Live coding",
        "Pair coding: a small API",
        90,
        2,
        [
            "API design",
            "Testing",
            "Problem solving",
            "Databases & query tuning",
            "Version control & CI/CD",
        ],
    ),
    (
        "System design",
        "Design a payment ledger",
        60,
        2,
        [
            "System design",
            "Caching & performance",
            "Databases & query tuning",
            "Security",
            "Communication",
        ],
    ),
    (
        "Behavioral",
        "Working together",
        45,
        1,
        ["Collaboration", "Communication", "Problem solving"],
    ),
    (
        "Final",
        "Meet the team lead",
        45,
        1,
        ["API design", "Security", "Testing", "System design", "Caching & performance"],
    ),
]


def duration(minutes: int) -> str:
    """``90`` -> ``"1 h 30 min"``, as pages write a duration."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


TOTAL_MINUTES = sum(minutes for _type, _name, minutes, *_rest in STAGES)


def flash(page: Page, text: str) -> Locator:
    """The one-line result of the last action, shown at the top of the page."""
    return page.get_by_role("alert").filter(has_text=text)


def edit_the_senior_column(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Skills & levels").click()
    page.get_by_role("link", name="Expectations of Senior").click()
    expect(page.get_by_role("heading", name="Competency matrix: Senior")).to_be_visible()

    # The demo data already expects Security at 3 ("Strong") for Senior, so the behaviour is
    # what changes: a raised proficiency would move the bar other journeys' debriefs use.
    proficiency = page.get_by_label("Proficiency: Security at Senior")
    behaviour = page.get_by_label("What good looks like: Security at Senior")
    proficiency.select_option(label="3 · Strong")
    behaviour.fill(SECURITY_AT_SENIOR)
    page.get_by_role("button", name="Save Senior").click()

    expect(flash(page, "Saved the Senior column: 1 cell changed.")).to_be_visible()
    page.reload()
    expect(proficiency).to_have_value("3")
    expect(behaviour).to_have_value(SECURITY_AT_SENIOR)


def create_the_job(page: Page, posted_on: date, closes_on: date) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="New job").click()
    expect(page.get_by_role("heading", name="New job")).to_be_visible()
    # The band follows the level through the form's script, at the end of the page.
    page.wait_for_load_state("load")

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Level", exact=True).select_option(label="Senior")
    # Choosing the level brings its band into the salary fields and the hint.
    expect(page.get_by_text("Senior band: 90,000–180,000 USD.")).to_be_visible()
    expect(page.get_by_label("Salary from")).to_have_value("90000")
    page.get_by_label("Description").fill(
        "You will build and run the services that move money for our customers: "
        "payment APIs, the ledger behind them and the tooling around both. "
        "You will work with four engineers and a product manager."
    )
    page.get_by_label("Location").fill("Berlin, Germany")
    page.get_by_label("Workplace").select_option(label="Hybrid")
    page.get_by_label("Employment type").select_option(label="Employee")
    page.get_by_label("Salary from").fill("120000")
    page.get_by_label("Salary to").fill("160000")
    page.get_by_label("Currency").fill("USD")
    page.get_by_label("Posting date").fill(posted_on.isoformat())
    page.get_by_label("Closing date").fill(closes_on.isoformat())
    page.get_by_role("button", name="Create job").click()

    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(flash(page, f"Saved {TITLE}.")).to_be_visible()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()


def add_stage(page: Page, stage_type: str, name: str, minutes: int, panel: int, skills) -> None:
    form = page.get_by_role("region", name="Add a stage")
    form.get_by_label("Stage type").select_option(label=stage_type)
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Duration (minutes)").fill(str(minutes))
    form.get_by_label("Interviewers on the panel").fill(str(panel))
    for skill in skills:
        form.get_by_role("checkbox", name=skill).check()
    form.get_by_role("button", name="Add stage").click()
    expect(flash(page, f"Added “{name}” as stage")).to_be_visible()


def coverage_row(page: Page, skill: str) -> Locator:
    matrix = page.get_by_role("table", name=re.compile("^Coverage matrix"))
    return matrix.get_by_role("row").filter(has=page.get_by_role("rowheader", name=skill))


def expect_coverage(page: Page, covered: dict[str, list[str]]) -> None:
    """Each skill's row marks exactly the stages that assess it, and counts them."""
    stage_names = [name for _type, name, *_rest in STAGES]
    for skill, stages in covered.items():
        marks = [
            re.compile(r"\bAssessed$") if name in stages else "Not assessed" for name in stage_names
        ]
        cells = coverage_row(page, skill).get_by_role("cell")
        expect(cells).to_have_text([*marks, re.compile(rf"^{len(stages)}\b")])


def test_hiring_manager_plans_a_covered_process_and_publishes_the_posting(
    page: Page, sign_in_as, browser, live_server
):
    today = date.today()
    closes_on = today + timedelta(days=45)
    sign_in_as(Role.HIRING_MANAGER)

    edit_the_senior_column(page)
    create_the_job(page, today, closes_on)

    page.get_by_role("link", name="Build the plan and its coverage").click()
    expect(page.get_by_role("heading", name=f"Interview plan · {TITLE}")).to_be_visible()
    for stage in STAGES:
        add_stage(page, *stage)

    # Every skill but one is covered: the planner names the one left out.
    checks = page.get_by_role("region", name="Coverage checks")
    expect(checks.get_by_text(f"Not assessed: {LEFT_OUT}. Senior expects it")).to_be_visible()
    expect(coverage_row(page, LEFT_OUT).get_by_role("cell").last).to_have_text("0 Not assessed")

    # Open the job anyway: it refuses, naming the skill, and stays a draft.
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text(f"No stage assesses {LEFT_OUT}.")).to_be_visible()
    page.get_by_role("button", name="Open job").click()
    expect(flash(page, f"{TITLE} cannot open yet: no stage assesses {LEFT_OUT}.")).to_be_visible()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Public page")).to_have_count(0)

    # Cover it in the first stage.
    page.get_by_role("link", name="Build the plan and its coverage").click()
    first = STAGES[0][1]
    page.get_by_role("link", name=f"Edit {first}").click()
    expect(page.get_by_role("heading", name=f"Stage 1: {first}")).to_be_visible()
    page.get_by_role("checkbox", name=LEFT_OUT).check()
    page.get_by_role("button", name="Save stage").click()
    expect(flash(page, f"Saved “{first}”.")).to_be_visible()

    # No gap left: no flag, and the matrix marks the stages chosen for each skill.
    expect(
        page.get_by_role("status").filter(
            has_text="Every skill Senior expects is assessed, deep skills by two stages or more"
        )
    ).to_be_visible()
    expect(checks.get_by_role("listitem")).to_have_count(0)
    expect(checks.get_by_text("Not assessed")).to_have_count(0)
    covered: dict[str, list[str]] = {LEFT_OUT: [first]}
    for _type, name, _minutes, _panel, skills in STAGES:
        for skill in skills:
            covered.setdefault(skill, []).append(name)
    assert len(covered) == 11, "the plan should name all eleven demo skills"
    expect_coverage(page, covered)
    expect(
        page.get_by_role("table", name=re.compile("^Coverage matrix")).get_by_role("row").last
    ).to_contain_text(duration(TOTAL_MINUTES))

    # The kit of a stage that assesses Security starts from the new Senior behaviour.
    ledger = STAGES[2][1]
    page.get_by_role("link", name=f"Kit of {ledger}").click()
    security = page.get_by_role("region", name="Security", exact=True)
    expect(security.get_by_label("Rubric anchors")).to_have_value(SECURITY_AT_SENIOR)
    page.get_by_label("What to expect (shown to the candidate)").fill(WHAT_TO_EXPECT)
    page.get_by_role("button", name="Save kit").click()
    expect(flash(page, "Saved kit version 1.")).to_be_visible()

    # Publish.
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Every expected skill is assessed")).to_be_visible()
    expect(page.get_by_text("No stage assesses")).to_have_count(0)
    page.get_by_role("button", name="Open job").click()
    expect(flash(page, f"{TITLE} is open: its posting is public.")).to_be_visible()
    expect(page.get_by_text("Open", exact=True)).to_be_visible()
    public_link = page.get_by_role("link", name="Public page")
    public_path = public_link.get_attribute("href")
    assert public_path == "/careers/acme/senior-backend-developer-payments"

    # A visitor who never signed in reads the posting.
    visitor = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    try:
        public = visitor.new_page()
        public.goto(public_path)
        expect_public_posting(public, today, closes_on)
        # The demo team shows itself to candidates as "Acme" (its display name).
        breadcrumb = public.get_by_role("navigation", name="breadcrumb")
        breadcrumb.get_by_role("link", name="Open positions at Acme").click()
        expect(public.get_by_role("link", name=TITLE)).to_be_visible()
    finally:
        visitor.close()


def expect_public_posting(page: Page, posted_on: date, closes_on: date) -> None:
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_text("Berlin, Germany")).to_be_visible()
    for fact in (
        "120k–160k USD",
        "Employee",
        posted_on.strftime("%d %b %Y"),
        closes_on.strftime("%d %b %Y"),
    ):
        expect(page.get_by_text(fact, exact=True)).to_be_visible()

    process = page.get_by_role("region", name="How we interview")
    expect(process).to_contain_text("Every candidate goes through the same 5 steps, in this order")
    numbers = process.get_by_role("list", name="The process in numbers").get_by_role("listitem")
    expect(numbers).to_have_text(
        [
            f"{duration(TOTAL_MINUTES)} in total",
            "1 live-coding session",
            "0 whiteboard sessions",
            "4 steps before the final round",
        ],
        use_inner_text=True,
    )
    expect(process.get_by_role("heading", level=3)).to_have_text(
        [name for _type, name, *_rest in STAGES]
    )
    for stage_type, name, minutes, _panel, _skills in STAGES:
        step = process.get_by_role("listitem").filter(
            has=page.get_by_role("heading", name=name, level=3)
        )
        expect(step).to_contain_text(f"{stage_type} · {duration(minutes)}")
    expect(process.get_by_text(WHAT_TO_EXPECT)).to_be_visible()
