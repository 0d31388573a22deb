"""Calibration and reliability in a real browser: the manager reads each chart and its
table, at desktop and phone widths, and downloads the raw ratings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from interviewer.auth.models import Role
from tests.e2e import DESKTOP, PHONE, LiveServer, sign_in, watch_csp


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_manager_reads_calibration_and_reliability_and_downloads_the_ratings(
    browser, demo, live_server: LiveServer, viewport
):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    problems: list[str] = []
    try:
        tab = context.new_page()
        tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        watch_csp(tab, problems)
        sign_in(tab, demo.email(Role.HIRING_MANAGER), demo.password)

        tab.goto("/reports/calibration")
        expect(tab.get_by_role("heading", name="Calibration", level=1)).to_be_visible()
        chart = tab.locator("svg[role=img]")
        expect(chart.locator("title")).to_have_text("Leniency per interviewer")
        box = chart.bounding_box()
        assert box is not None and box["width"] <= viewport["width"]
        expect(tab.get_by_role("columnheader", name="Leniency", exact=True)).to_be_attached()
        assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

        tab.get_by_role("navigation", name="Reports").get_by_role(
            "link", name="Reliability"
        ).click()
        expect(tab.get_by_role("heading", name="Reliability", level=1)).to_be_visible()
        titles = tab.locator("svg[role=img] title")
        expect(titles).to_have_text(["Agreement per skill", "Agreement per stage type"])
        expect(tab.get_by_role("columnheader", name="Pairable ratings").first).to_be_attached()
        assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

        with tab.expect_download() as download:
            tab.goto("/reports/reliability")
            tab.get_by_role("link", name="Ratings export").click()
        assert download.value.suggested_filename.startswith("ratings-")
        with Path(download.value.path()).open(newline="") as file:
            rows = list(csv.reader(file))
        assert rows[0] == [
            "application_id", "job", "stage", "skill", "interviewer", "rating", "submitted_at"
        ]  # fmt: skip
        assert len(rows) > 1
    finally:
        context.close()
    assert not problems, "the page had problems:\n" + "\n".join(problems)
