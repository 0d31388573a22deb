"""Browser tests: the core journeys driven in Chromium through Playwright.

This package also holds what the tests and the screenshot tool (``tests.e2e.screenshots``)
share: launching the system's Chromium, serving the app on a free port, loading demo data
and signing in through the real form.
"""

from __future__ import annotations

import importlib
import re
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import WSGIRequestHandler, make_server

from interviewer.auth.models import Role, Team, User
from interviewer.catalog.models import Level
from interviewer.plans.models import Job, JobStatus

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, Page, Playwright

#: Playwright drives the system's Chromium and never downloads a browser of its own.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = f"Chromium not found at {CHROMIUM}; apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

#: Password of the users made when ``interviewer.seed`` is not available.
FALLBACK_PASSWORD = "demo password 2024"


#: Sends each Content-Security-Policy violation of a page to its console, with what was
#: blocked and where; ``watch_csp`` collects those lines.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('Content Security Policy violation: ' + event.effectiveDirective + ' blocked '
    + (event.blockedURI || 'an inline part') + ' at ' + (event.sourceFile || document.URL)
    + ':' + event.lineNumber);
});
"""


def watch_csp(page: Page, problems: list[str]) -> None:
    """Add a line to ``problems`` for each Content-Security-Policy violation on ``page``,
    on every document it opens: the console lines of ``CSP_LISTENER`` and Chromium's own."""
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.text} (on {page.url})")
            if "Content Security Policy" in message.text
            else None
        ),
    )


def open_account_menu(page: Page) -> None:
    """Open the user menu once its script has run: Bootstrap's dropdown is wired by the script at
    the end of the page, so a click that lands before it does nothing."""
    page.wait_for_load_state("load")
    page.get_by_role("button", name=re.compile("account menu")).click()


def sign_out(page: Page) -> None:
    """Sign out through the user menu, as a person does."""
    open_account_menu(page)
    page.get_by_role("button", name="Sign out", exact=True).click()


def launch_chromium(playwright: Playwright) -> Browser:
    """Start the system's headless Chromium."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request; errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def _closing(app: Flask):
    """``app`` with each response closed even when the browser drops the connection halfway.

    Werkzeug's server skips ``close()`` on a dropped connection, so a static file the browser
    gave up on (a page left while its script downloads) stays open until the collector finds it,
    and the test that happens to be running fails on the ResourceWarning."""

    def application(environ, start_response):
        response = app(environ, start_response)
        try:
            yield from response
        finally:
            if hasattr(response, "close"):
                response.close()

    return application


class LiveServer:
    """``app`` served by werkzeug in a background thread on a free port of 127.0.0.1."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server(
            "127.0.0.1", 0, _closing(app), threaded=True, request_handler=_QuietRequestHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="live-server", daemon=True
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()


@dataclass
class DemoData:
    """Who can sign in to the loaded data, and what a hiring manager should see."""

    password: str
    team_name: str
    #: One sign-in email per role.
    logins: dict[Role, str] = field(default_factory=dict)
    #: Titles of the hiring manager's team's open jobs, alphabetically.
    open_job_titles: list[str] = field(default_factory=list)

    def email(self, role: Role | str) -> str:
        return self.logins[Role(role)]


def load_demo_data(session: Session) -> DemoData:
    """Load the demo data (``interviewer.seed.seed_demo`` when it exists); the caller commits.

    Without the seed module a small team is made instead: an admin, a hiring manager, an
    interviewer, two levels and two jobs.
    """
    try:
        seed = importlib.import_module("interviewer.seed")
    except ModuleNotFoundError as error:
        if error.name != "interviewer.seed":
            raise
        seed = None
    if seed is not None and hasattr(seed, "seed_demo"):
        result = seed.seed_demo(session)
        password = seed.DEMO_PASSWORD
        emails = [email for _role, email in result.logins]
    else:
        password, emails = FALLBACK_PASSWORD, _load_small_team(session)
    session.flush()

    users = {
        user.email: user for user in session.scalars(select(User).where(User.email.in_(emails)))
    }
    logins: dict[Role, str] = {}
    for email in emails:
        user = users.get(email.strip().lower())
        if user is not None:
            logins.setdefault(user.role, user.email)
    manager = users[logins[Role.HIRING_MANAGER]]
    titles = session.scalars(
        select(Job.title)
        .where(Job.team_id == manager.team_id, Job.status == JobStatus.OPEN)
        .order_by(Job.title)
    ).all()
    return DemoData(
        password=password,
        team_name=manager.team.name,
        logins=logins,
        open_job_titles=list(titles),
    )


def _load_small_team(session: Session) -> list[str]:
    from interviewer.auth.services import create_user
    from interviewer.candidates.sources import ensure_team_sources
    from interviewer.plans.services import ensure_team_defaults

    team = Team(name="Demo Engineering", slug="demo-engineering", timezone="Europe/Berlin")
    session.add(team)
    session.flush()
    ensure_team_defaults(session, team)
    ensure_team_sources(session, team.id)
    people = [
        (Role.ADMIN, "admin@demo.example.com", "Alex Admin"),
        (Role.HIRING_MANAGER, "manager@demo.example.com", "Morgan Manager"),
        (Role.INTERVIEWER, "interviewer@demo.example.com", "Ivy Interviewer"),
    ]
    users = {
        role: create_user(
            session,
            team=team,
            email=email,
            name=name,
            password=FALLBACK_PASSWORD,
            role=role,
            timezone=team.timezone,
        )
        for role, email, name in people
    }
    middle = Level(
        team=team, name="Middle", position=2, salary_min=Decimal(80000), salary_max=Decimal(120000)
    )
    senior = Level(
        team=team, name="Senior", position=3, salary_min=Decimal(90000), salary_max=Decimal(180000)
    )
    today = date.today()
    for level, title, status in (
        (senior, "Senior Backend Developer", JobStatus.OPEN),
        (middle, "Backend Developer", JobStatus.DRAFT),
    ):
        session.add(
            Job(
                team=team,
                level=level,
                hiring_manager=users[Role.HIRING_MANAGER],
                title=title,
                slug=re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
                description="Build and run the services behind our product.",
                location="Berlin",
                salary_min=level.salary_min,
                salary_max=level.salary_max,
                posted_on=today if status == JobStatus.OPEN else None,
                closes_on=today + timedelta(days=30) if status == JobStatus.OPEN else None,
                status=status,
            )
        )
    session.flush()
    return [email for _role, email, _name in people]


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the sign-in form, as a person would, and wait to leave it."""
    from playwright.sync_api import expect

    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
