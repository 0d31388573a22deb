"""Fixtures of the browser tests: ``live_server``, ``demo``, ``browser``, ``page``, ``sign_in``.

The app runs in a werkzeug server thread against the test database, with CSRF on as in
production. Its data is really committed (the per-test ``db`` fixture's rollback cannot
reach another thread's requests), so these tests never use ``db`` or ``client``; when the
package is done every row is deleted, and the tests that run later see an empty database.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright

from interviewer import ROOT, create_app
from interviewer.auth.models import Role
from interviewer.extensions import db
from tests.conftest import require_service
from tests.e2e import (
    CHROMIUM,
    CHROMIUM_MISSING,
    DESKTOP,
    DemoData,
    LiveServer,
    launch_chromium,
    load_demo_data,
    sign_in,
    watch_csp,
)

HERE = Path(__file__).resolve().parent
FAILURES = ROOT / "screenshots" / "failures"
TIMEOUT_MS = 10_000
#: Resources whose failure to load leaves a page broken-looking or broken.
ASSET_TYPES = {"stylesheet", "script", "image", "font"}

_call_report = pytest.StashKey[pytest.TestReport]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    report = yield
    if report.when == "call":
        item.stash[_call_report] = report
    return report


@pytest.fixture(scope="package")
def browser():
    """Headless Chromium for the whole package, closed as soon as the package is done."""
    require_service("Chromium", CHROMIUM.exists(), CHROMIUM_MISSING)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def live_server(app) -> Iterator[LiveServer]:
    """The real app on a free port, on the session's test database, with CSRF on."""
    served = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        WTF_CSRF_ENABLED=True,
        FILES_DIR=app.config["FILES_DIR"],
    )
    try:
        with LiveServer(served) as server:
            yield server
    finally:
        with served.app_context():
            _delete_every_row()
            db.engine.dispose()


def _delete_every_row() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.remove()


@pytest.fixture(scope="package")
def demo(live_server: LiveServer) -> DemoData:
    """The demo data, committed: logins per role, password, team name and open job titles."""
    with live_server.app.app_context():
        data = load_demo_data(db.session)
        db.session.commit()
        db.session.remove()
    return data


@pytest.fixture
def page(browser, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh desktop-sized tab (no cookies) on the live server.

    A failed test leaves a full-page screenshot in ``screenshots/failures/``. A script error,
    a stylesheet, script, image or font that fails to load, or anything the
    Content-Security-Policy blocks, fails the test at teardown.
    """
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    watch_csp(tab, problems)
    tab.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type in ASSET_TYPES
            else None
        ),
    )
    try:
        yield tab
        report = request.node.stash.get(_call_report, None)
        if report is not None and report.failed:
            FAILURES.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            # A page that is gone must not hide the test's own failure.
            with contextlib.suppress(PlaywrightError):
                tab.screenshot(path=FAILURES / f"{name}.png", full_page=True)
    finally:
        context.close()
    assert not problems, "the page had problems:\n" + "\n".join(problems)


@pytest.fixture
def sign_in_as(page: Page, demo: DemoData) -> Callable[[Role | str], str]:
    """``sign_in_as("interviewer")`` signs ``page`` in as the demo user of a role; returns the
    email."""

    def signing_in(role: Role | str) -> str:
        email = demo.email(role)
        sign_in(page, email, demo.password)
        return email

    return signing_in
