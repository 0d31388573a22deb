"""Reading the reports in a real browser, at desktop and phone widths.

The hiring manager opens Reports from the navigation, opens the funnel, narrows it to one
job, reads the chart (an SVG image with its title) and the table beside it, and downloads
the CSV. Every other report there is opens with its heading.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flask import url_for
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from interviewer.auth.models import Role, User
from interviewer.candidates.models import Application
from interviewer.extensions import db
from interviewer.plans.models import Job
from interviewer.reports.catalogue import REPORTS
from tests.e2e import DESKTOP, PHONE, LiveServer, sign_in, watch_csp

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(params=list(WIDTHS))
def tab(request, browser: Browser, live_server: LiveServer, page: Page):
    """``page`` at desktop width, or a phone-sized tab that also fails on a script error or
    on anything the Content-Security-Policy blocks."""
    if request.param == "desktop":
        yield page
        return
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    problems: list[str] = []
    try:
        phone = context.new_page()
        phone.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        watch_csp(phone, problems)
        yield phone
    finally:
        context.close()
    assert not problems, "the page had problems:\n" + "\n".join(problems)


def open_reports(tab: Page) -> None:
    # The menu's script must be ready before the phone's toggle is tapped.
    tab.wait_for_load_state("load")
    toggle = tab.get_by_role("button", name="Toggle navigation")
    if toggle.is_visible():
        toggle.click()
    tab.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    tab.wait_for_url("**/reports/")


def busiest_job(live_server: LiveServer, demo) -> str:
    """The title of the manager's team's job with the most applications."""
    with live_server.app.app_context():
        manager = db.session.scalar(select(User).where(User.email == demo.email("hiring_manager")))
        title = db.session.scalar(
            select(Job.title)
            .join(Application, Application.job_id == Job.id)
            .where(Job.team_id == manager.team_id)
            .group_by(Job.id, Job.title)
            .order_by(func.count().desc(), Job.id)
            .limit(1)
        )
        db.session.remove()
    return title


def test_a_manager_reads_the_funnel_of_a_job_and_downloads_it(
    tab: Page, demo, live_server: LiveServer
):
    sign_in(tab, demo.email(Role.HIRING_MANAGER), demo.password)
    open_reports(tab)
    expect(tab.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    tab.get_by_role("link", name="Funnel").click()
    expect(tab.get_by_role("heading", name="Funnel", level=1)).to_be_visible()

    job = busiest_job(live_server, demo)
    tab.get_by_label("Job").select_option(label=job)
    tab.get_by_role("button", name="Apply filters").click()

    expect(tab.get_by_label("Job")).to_have_value(tab.url.split("job=")[1].split("&")[0])
    chart = tab.locator("svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_have_text("Applications reaching each stage")
    box = chart.bounding_box()
    assert box is not None and box["width"] <= tab.viewport_size["width"]
    expect(tab.get_by_role("columnheader", name="Pass-through")).to_be_attached()
    expect(tab.get_by_role("rowheader", name="Offers made")).to_be_attached()
    expect(tab.get_by_text("Counts the applications received from")).to_be_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]

    with tab.expect_download() as download:
        tab.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("funnel-")
    with Path(download.value.path()).open(newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:3] == ["Stage", "Reached", "Went on"]
    assert any(row[0] == "Offer" for row in rows[1:])


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.ADMIN], ids=["manager", "admin"])
def test_every_report_there_is_opens_with_its_heading(
    page: Page, demo, live_server: LiveServer, role
):
    sign_in(page, demo.email(role), demo.password)
    pages = [
        link
        for link in REPORTS
        if link.endpoint in live_server.app.view_functions
        and not link.is_download
        and role in link.roles
    ]
    assert pages, "no report page is there"
    with live_server.app.test_request_context():
        paths = {link.label: url_for(link.endpoint) for link in pages}

    for label, path in paths.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.get_by_role("heading", level=1).inner_text().strip(), label
        expect(page.get_by_role("navigation", name="Reports")).to_be_visible()
