"""Full-page screenshots of the app, as each role sees it, at desktop and phone width.

    .venv/bin/python -m tests.e2e.screenshots [--out screenshots] [--base-url URL]
        [--login ROLE=EMAIL ...] [--password PASSWORD] [--only NAME ...] [--axe]

Without ``--base-url`` the app is started on a free port against a fresh temporary SQLite
database, migrated and loaded with the demo data. With ``--base-url`` the site must already
hold data, and ``--login`` names who signs in for each role.

Files are written as ``<out>/<name>-desktop.png`` and ``<out>/<name>-phone.png``. Each line
printed says the HTTP status and what looked wrong: an unexpected status, content wider than
the phone's screen, a script error, something the Content-Security-Policy blocked, or a
stylesheet, script, image or font that failed to load; with ``--axe``, also every serious or
critical fault axe-core finds (``tests/e2e/test_accessibility.py`` runs that tour). The exit
status is 1 when anything looked wrong.

To add a page, add a ``Shot`` to ``SHOTS``; a path may name a record through a placeholder
of ``FIND`` (``"{job}"`` is the first job linked from the jobs page). With the demo data, a
placeholder that no page links to may be read from the database (``_unlinked_paths``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from interviewer.auth.models import Role
from tests.e2e import (
    CHROMIUM,
    CHROMIUM_MISSING,
    DESKTOP,
    FALLBACK_PASSWORD,
    PHONE,
    LiveServer,
    launch_chromium,
    sign_in,
    watch_csp,
)
from tests.e2e.blind_shots import blind_off, blind_on, blind_paths

TIMEOUT_MS = 15_000
ASSET_TYPES = {"stylesheet", "script", "image", "font"}
#: The axe-core impacts that count as faults to fix; "minor" and "moderate" are reported by
#: axe's own tools but do not fail the tour.
AXE_FAULTS = ("serious", "critical")


def accessibility_faults(page: Page) -> list[str]:
    """The serious and critical faults axe-core (bundled with axe-playwright-python, never
    fetched) finds on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"axe {v['impact']}: {v['id']} ({v['help']}) on {len(v['nodes'])} element(s), "
        f"first {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in AXE_FAULTS
    ]


@dataclass(frozen=True)
class Logins:
    """Who signs in for each role, with the one password they share."""

    emails: dict[Role, str]
    password: str


def _wrong_password(page: Page, logins: Logins) -> None:
    email = next(iter(logins.emails.values()), "someone@example.com")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Email or password is not right").wait_for()


@dataclass(frozen=True)
class Shot:
    """One page to capture: ``path`` opened by a user of ``role`` (``None``: signed out)."""

    name: str
    path: str
    role: Role | None = None
    #: The status of the page finally shown; anything else is reported.
    status: int = 200
    #: Run after opening ``path``, before the screenshot (fill a form, open a menu...).
    action: Callable[[Page, Logins], None] | None = None
    #: Run after the screenshot (undo what ``action`` changed for the other shots).
    after: Callable[[Page, Logins], None] | None = None


def _open_user_menu(page: Page, logins: Logins) -> None:
    toggler = page.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible():
        toggler.click()
        # Bootstrap sets "show" once the collapse has finished sliding open.
        page.locator("#nav.show").wait_for()
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").wait_for()


def _make_calendar_link(page: Page, logins: Logins) -> None:
    link = page.get_by_role("button", name="Make my calendar link")
    if link.is_visible():
        link.click()
    page.get_by_label("Your calendar link").click()


def _decide_to_reject(page: Page, logins: Logins) -> None:
    """The decision form with the rejection email it would send, for a chosen reason."""
    page.get_by_label("Reject", exact=True).check()
    page.get_by_label("Rejection reason").select_option(index=2)
    page.locator("#candidate-email-body").get_by_text("not to go further").wait_for()
    page.get_by_label("Edit it for this candidate, then send").check()
    page.locator("#decision").scroll_into_view_if_needed()


def _wrong_current(page: Page, logins: Logins) -> None:
    page.get_by_label("Current password").fill("not the password")
    page.get_by_label("New password", exact=True).fill("plum violin orbit kettle")
    page.get_by_label("Repeat the new password").fill("plum violin orbit kettle")
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("This is not your current password").wait_for()


def _send_empty_application(page: Page, logins: Logins) -> None:
    page.get_by_label("Full name").fill("Noor Haddad")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("Your application is not sent yet.").wait_for()


def _ask_for_a_link(page: Page, logins: Logins) -> None:
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_text("If an account exists for that address").wait_for()


def _light_accent(page: Page, logins: Logins) -> None:
    page.get_by_label("Accent colour").fill("#ffd700")
    page.get_by_role("button", name="Save name and colour").click()
    page.get_by_text("A darker shade").wait_for()


def _send_empty_token(page: Page, logins: Logins) -> None:
    page.get_by_role("button", name="Create token").click()
    page.get_by_text("Choose at least one scope.").wait_for()


def _too_long_a_break(page: Page, logins: Logins) -> None:
    page.get_by_label("Minimum break between interviews (minutes)").fill("180")
    page.get_by_role("button", name="Save scheduling settings").click()


def _create_team_token(page: Page, logins: Logins) -> None:
    page.get_by_label("Name").fill("Job board sync")
    page.get_by_label("Read: what you can see on the pages").check()
    page.get_by_role("button", name="Create token").click()
    page.get_by_text("shown only this once").wait_for()


@dataclass(frozen=True)
class Find:
    """Where a placeholder's page is linked from: the first link whose path matches
    ``pattern`` on the first of ``pages`` that has one, as ``role`` sees it. A page may use
    the placeholders found before it."""

    pages: tuple[str, ...]
    pattern: str
    role: Role = Role.HIRING_MANAGER


MANAGER, INTERVIEWER = Role.HIRING_MANAGER, Role.INTERVIEWER

#: Placeholder -> where to find its path, in the order they are looked for.
FIND: dict[str, Find] = {
    "job": Find(("/jobs",), r"^/jobs/\d+$"),
    "candidate": Find(("/candidates/",), r"^/candidates/\d+$"),
    "kit": Find(("{job}/plan",), r"^/jobs/\d+/plan/stages/\d+/kit$"),
    "schedule": Find(("{job}/board", "{candidate}"), r"^/applications/\d+/stages/\d+/schedule$"),
    "interview": Find(("/my-interviews",), r"^/interviews/\d+$", INTERVIEWER),
    "careers_job": Find(("{job}",), r"^/careers/[^/]+/[^/]+$"),
    "careers": Find(("{careers_job}",), r"^/careers/[^/]+$"),
    "debrief": Find(("{candidate}",), r"^/applications/\d+/debrief$"),
    "scorecard": Find(("/my-interviews",), r"^/interviews/\d+/scorecard$", INTERVIEWER),
    "closed_candidate": Find(("/candidates/?status=rejected",), r"^/candidates/\d+$", Role.ADMIN),
}

SHOTS: list[Shot] = [
    Shot("sign-in", "/login"),
    Shot("sign-in-error", "/login", status=401, action=_wrong_password),
    Shot("careers", "{careers}"),
    Shot("careers-job", "{careers_job}"),
    Shot("apply", "{careers_job}/apply"),
    Shot("apply-error", "{careers_job}/apply", status=400, action=_send_empty_application),
    Shot("applied", "{careers_job}/applied"),
    Shot("careers-settings", "/team/careers", Role.ADMIN),
    Shot("candidate-applied", "{careers_candidate}", MANAGER),
    Shot("portal-under-review", "{careers_portal}"),
    Shot("careers-not-found", "{careers}/no-such-job", status=404),
    Shot("dashboard", "/dashboard", MANAGER),
    Shot("user-menu", "/dashboard", MANAGER, action=_open_user_menu),
    Shot("my-interviews", "/my-interviews", INTERVIEWER),
    Shot("interview", "{interview}", INTERVIEWER),
    Shot("interview-as-manager", "{interview}", MANAGER),
    Shot("my-availability", "/me/availability", INTERVIEWER),
    Shot("my-settings", "/me/settings", INTERVIEWER),
    Shot("account", "/account", INTERVIEWER),
    Shot("jobs", "/jobs", MANAGER),
    Shot("job", "{job}", MANAGER),
    Shot("job-as-interviewer", "{job}", INTERVIEWER),
    Shot("board", "{job}/board", MANAGER),
    Shot("plan", "{job}/plan", MANAGER),
    Shot("job-close", "{job}/close", MANAGER),
    Shot("kit", "{kit}", MANAGER),
    Shot("kit-as-interviewer", "{kit}", INTERVIEWER),
    Shot("schedule", "{schedule}", MANAGER),
    Shot("plan-templates", "/plan-templates", MANAGER),
    Shot("plan-settings", "/plan-settings", MANAGER),
    Shot("candidates", "/candidates/", MANAGER),
    Shot("candidate", "{candidate}", MANAGER),
    Shot("catalog", "/catalog/", MANAGER),
    Shot("matrix", "/catalog/matrix", MANAGER),
    Shot("users", "/team/users", Role.ADMIN),
    Shot("audit-log", "/team/audit", Role.ADMIN),
    Shot("outbox", "/admin/outbox", Role.ADMIN),
    Shot("api-tokens", "/account/api-tokens", INTERVIEWER),
    Shot("api-tokens-error", "/account/api-tokens", INTERVIEWER, action=_send_empty_token),
    Shot("api-token-created", "/team/api-tokens", Role.ADMIN, action=_create_team_token),
    Shot("team-api-tokens", "/team/api-tokens", Role.ADMIN),
    Shot("api-docs", "/api/v1/docs", Role.ADMIN),
    Shot("candidate-as-admin", "{closed_candidate}", Role.ADMIN),
    Shot("candidate-erase", "{closed_candidate}/erase", Role.ADMIN),
    Shot("candidate-data", "/team/data", Role.ADMIN),
    Shot("branding", "/team/branding", Role.ADMIN),
    Shot("branding-contrast-refused", "/team/branding", Role.ADMIN, action=_light_accent),
    Shot("scorecard", "{scorecard}", INTERVIEWER),
    Shot("debrief", "{debrief}", MANAGER),
    Shot("debrief-reject-email", "{debrief}", MANAGER, action=_decide_to_reject),
    Shot("emails", "/team/emails/", MANAGER),
    Shot("email-edit", "/team/emails/rejection", MANAGER),
    Shot("calendar-feed", "/calendar", INTERVIEWER),
    Shot("calendar-feed-link", "/calendar", INTERVIEWER, action=_make_calendar_link),
    Shot("job-new", "/jobs/new", MANAGER),
    Shot("job-edit", "{job}/edit", MANAGER),
    Shot("portal", "{portal}"),
    Shot("not-found", "/no-such-page", MANAGER, status=404),
    Shot("change-password", "/account/password", INTERVIEWER),
    Shot("change-password-error", "/account/password", INTERVIEWER, action=_wrong_current),
    Shot("forgot-password", "/password/forgot"),
    Shot("forgot-password-sent", "/password/forgot", action=_ask_for_a_link),
    Shot("reset-password", "{reset}"),
    Shot("reset-password-invalid", "/password/reset/expired-or-forged", status=404),
    Shot("candidate-edit", "{candidate}/edit", MANAGER),
    Shot("sources", "/team/sources", Role.ADMIN),
    Shot("review-settings", "/team/review", Role.ADMIN),
    Shot("team-scheduling", "/team/scheduling", Role.ADMIN),
    Shot("team-scheduling-error", "/team/scheduling", Role.ADMIN, action=_too_long_a_break),
    Shot("scorecard-blind", "{blind_scorecard}", INTERVIEWER, action=blind_on, after=blind_off),
    Shot("reports", "/reports/", MANAGER),
    Shot("reports-funnel", "/reports/funnel", MANAGER),
    Shot("reports-speed", "/reports/speed", MANAGER),
    Shot("reports-load", "/reports/load", MANAGER),
    Shot("reports-calibration", "/reports/calibration", MANAGER),
    Shot("reports-reliability", "/reports/reliability", MANAGER),
    Shot("reports-fairness", "/reports/fairness", Role.ADMIN),
    Shot("webhooks", "/settings/webhooks", Role.ADMIN),
    Shot("webhooks-new", "/settings/webhooks/new", Role.ADMIN),
    Shot("webhooks-guide", "/settings/webhooks/guide", Role.ADMIN),
]

VIEWPORTS = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


class Tab:
    """A browser context with one page that records the last document status and problems."""

    def __init__(self, browser: Browser, base_url: str, options: dict) -> None:
        self.context: BrowserContext = browser.new_context(base_url=base_url, **options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.status: int | None = None
        self.problems: list[str] = []
        self.page.on("response", self._on_response)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        watch_csp(self.page, self.problems)

    def _on_response(self, response) -> None:
        request = response.request
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            self.status = response.status
        elif request.resource_type in ASSET_TYPES and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def take_problems(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def find_paths(browser: Browser, base_url: str, logins: Logins) -> dict[str, str]:
    """Fill ``FIND``'s placeholders by following the app's own links."""
    tabs: dict[Role, Tab] = {}
    found: dict[str, str] = {}
    try:
        for placeholder, find in FIND.items():
            if find.role not in logins.emails:
                continue
            if find.role not in tabs:
                tabs[find.role] = Tab(browser, base_url, VIEWPORTS["desktop"])
                sign_in(tabs[find.role].page, logins.emails[find.role], logins.password)
            page = tabs[find.role].page
            for list_path in find.pages:
                try:
                    page.goto(list_path.format(**found))
                except KeyError:
                    continue
                paths = page.eval_on_selector_all(
                    "a[href]", "links => links.map(a => new URL(a.href).pathname)"
                )
                match = next((path for path in paths if re.match(find.pattern, path)), None)
                if match:
                    found[placeholder] = match
                    break
        return found
    finally:
        for tab in tabs.values():
            tab.context.close()


def take(
    browser: Browser,
    base_url: str,
    out: Path,
    shots: list[Shot],
    logins: Logins,
    known: dict[str, str] | None = None,
    axe: bool = False,
    capture: bool = True,
    viewports: dict[str, dict] = VIEWPORTS,
) -> list[str]:
    """Capture every shot at every width of ``viewports``; returns one line per thing that
    looked wrong.

    ``known`` fills the placeholders that no page links to; ``axe`` adds axe-core's serious
    and critical faults; without ``capture`` no PNG is written (the checks still run).
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = {**(known or {}), **find_paths(browser, base_url, logins)}
    trouble: list[str] = []
    roles = list(dict.fromkeys(shot.role for shot in shots))
    for viewport, options in viewports.items():
        for role in roles:
            if role is not None and role not in logins.emails:
                print(f"skipped {role.value}'s pages: no login for that role (--login)")
                continue
            tab = Tab(browser, base_url, options)
            try:
                if role is not None:
                    sign_in(tab.page, logins.emails[role], logins.password)
                for shot in shots:
                    if shot.role == role:
                        trouble += _take_one(
                            tab, shot, viewport, out, paths, logins, axe=axe, capture=capture
                        )
            finally:
                tab.context.close()
    return trouble


def _take_one(
    tab: Tab,
    shot: Shot,
    viewport: str,
    out: Path,
    paths: dict[str, str],
    logins: Logins,
    axe: bool = False,
    capture: bool = True,
) -> list[str]:
    label = f"{shot.name}-{viewport}"
    try:
        path = shot.path.format(**paths)
    except KeyError as missing:
        print(f"{label:<32} skipped: no page found for {missing}")
        return []
    tab.take_problems()
    tab.page.goto(path)
    if shot.action is not None:
        shot.action(tab.page, logins)
    tab.page.wait_for_load_state("load")
    problems = tab.take_problems()
    if tab.status != shot.status:
        problems.insert(0, f"status {tab.status}, expected {shot.status}")
    overflow = tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"content {overflow}px wider than the screen")
    if axe:
        problems += accessibility_faults(tab.page)
    file = out / f"{label}.png"
    if capture:
        tab.page.screenshot(path=file, full_page=True)
    if shot.after is not None:
        shot.after(tab.page, logins)
    print(f"{label:<32} {tab.status} {path:<24} {'; '.join(problems) or 'ok'}")
    return [f"{file}: {problem}" for problem in problems]


def _default_password() -> str:
    try:
        from interviewer.seed import DEMO_PASSWORD
    except ImportError:
        return FALLBACK_PASSWORD
    return DEMO_PASSWORD


def _unlinked_paths(session) -> dict[str, str]:
    """Placeholders read from the demo data: an admin's password reset link (only emailed),
    the first active application's portal, and the scheduling page of the stage after an
    active application's current one."""
    from sqlalchemy import select

    from interviewer.auth import password_changes
    from interviewer.auth.models import User

    admin = session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    found = {"reset": f"/password/reset/{password_changes.reset_token(admin)}"} if admin else {}
    return {**found, **_schedule_path(session), **_careers_paths(session)}


def _careers_paths(session) -> dict[str, str]:
    """The candidate page and the portal of an application from the careers page."""
    from sqlalchemy import select

    from interviewer.candidates.models import Application
    from interviewer.candidates.portal_links import make_token

    application = session.scalar(
        select(Application).where(Application.cv_file_id.is_not(None)).order_by(Application.id)
    )
    if application is None:
        return {}
    return {
        "careers_candidate": f"/candidates/{application.candidate_id}",
        "careers_portal": f"/portal/{make_token(application)}",
    }


def _schedule_path(session) -> dict[str, str]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from interviewer.candidates.models import Application, ApplicationStatus
    from interviewer.candidates.portal_links import make_token
    from interviewer.plans.models import Job

    applications = session.scalars(
        select(Application)
        .where(Application.status == ApplicationStatus.ACTIVE)
        .options(selectinload(Application.job).selectinload(Job.stages))
        .order_by(Application.id)
    )
    known = {}
    for application in applications:
        known.setdefault("portal", f"/portal/{make_token(application)}")
        stages = list(application.job.stages)
        ids = [stage.id for stage in stages]
        if application.current_stage_id in ids[:-1]:
            stage = stages[ids.index(application.current_stage_id) + 1]
            known["schedule"] = f"/applications/{application.id}/stages/{stage.id}/schedule"
            break
    return known


def _serve_demo(run: Callable[[str, Logins, dict[str, str]], list[str]]) -> list[str]:
    """Start the app on a fresh temporary SQLite database with the demo data, and ``run``."""
    import flask_migrate

    from interviewer import create_app
    from interviewer.extensions import db
    from tests.e2e import load_demo_data

    with tempfile.TemporaryDirectory(prefix="interviewer-screens-") as folder:
        app = create_app(
            "development",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(folder) / 'screens.db'}",
            WTF_CSRF_ENABLED=True,
            DEBUG=False,
        )
        with app.app_context():
            flask_migrate.upgrade()
            demo = load_demo_data(db.session)
            db.session.commit()
            known = _unlinked_paths(db.session)
            known.update(blind_paths(db.session, demo.logins[Role.INTERVIEWER]))
            db.session.remove()
        try:
            with LiveServer(app) as server:
                return run(server.url, Logins(demo.logins, demo.password), known)
        finally:
            with app.app_context():
                db.engine.dispose()


def _parse_login(value: str) -> tuple[Role, str]:
    role, _, email = value.partition("=")
    try:
        return Role(role.strip()), email.strip()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r}: use ROLE=EMAIL with ROLE one of {', '.join(Role)}"
        ) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.e2e.screenshots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for PNGs")
    parser.add_argument("--base-url", help="a running site (default: start one with demo data)")
    parser.add_argument(
        "--login",
        type=_parse_login,
        action="append",
        default=[],
        metavar="ROLE=EMAIL",
        help="with --base-url: who signs in for a role (repeat per role)",
    )
    parser.add_argument("--password", help="with --base-url: the password of those logins")
    parser.add_argument("--only", action="append", metavar="NAME", help="only these shots")
    parser.add_argument(
        "--axe", action="store_true", help="also report axe-core's serious and critical faults"
    )
    args = parser.parse_args(argv)

    if not CHROMIUM.exists():
        parser.exit(2, CHROMIUM_MISSING + "\n")
    shots = [shot for shot in SHOTS if not args.only or shot.name in args.only]
    if not shots:
        parser.error(f"no shot named {args.only}; known: {', '.join(s.name for s in SHOTS)}")

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:

            def run(base_url: str, logins: Logins, known: dict[str, str] | None = None):
                return take(browser, base_url, args.out, shots, logins, known, axe=args.axe)

            if args.base_url:
                logins = Logins(dict(args.login), args.password or _default_password())
                trouble = run(args.base_url.rstrip("/"), logins)
            else:
                trouble = _serve_demo(run)
        finally:
            browser.close()

    print(f"\n{len(shots)} pages at {len(VIEWPORTS)} widths written to {args.out}/")
    if trouble:
        print("Looked wrong:\n  " + "\n  ".join(trouble))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
