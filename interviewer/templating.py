"""Jinja filters and the globals every page uses (navigation, time zones)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from interviewer.auth.models import Role
from interviewer.candidates import blind
from interviewer.timezones import localtime

MANAGERS = (Role.ADMIN, Role.HIRING_MANAGER)


@dataclass(frozen=True)
class NavItem:
    """A link of the navigation bar (``menu``: in the user menu on the right)."""

    endpoint: str
    label: str
    roles: tuple[Role, ...]
    #: Other pages that belong under this link: endpoints, or ``"blueprint."`` for all of
    #: a blueprint's pages that no other link names.
    pages: tuple[str, ...] = ()
    menu: bool = False


#: The navigation, in order: the main links, then the user menu.
NAVIGATION = [
    NavItem("dashboard.overview", "Dashboard", MANAGERS, ("dashboard.home",)),
    NavItem("dashboard.my_interviews", "My interviews", tuple(Role)),
    NavItem("plans.jobs", "Jobs", MANAGERS, ("plans.", "dashboard.board", "scheduling.schedule")),
    NavItem(
        "dashboard.candidates",
        "Candidates",
        MANAGERS,
        (
            "candidates.",
            "dashboard.candidate",
            "dashboard.apply_to_job",
            "privacy.export_candidate",
            "privacy.erase_candidate",
        ),
    ),
    NavItem("catalog.index", "Skills & levels", MANAGERS, ("catalog.",)),
    NavItem("plans.templates", "Plan templates", MANAGERS, ("plans.delete_template",)),
    NavItem("reports.index", "Reports", MANAGERS, ("reports.",)),
    NavItem(
        "scheduling.my_availability",
        "My availability",
        tuple(Role),
        (
            "scheduling.add_window",
            "scheduling.add_workweek",
            "scheduling.delete_window",
            "scheduling.add_exception",
            "scheduling.delete_exception",
        ),
        menu=True,
    ),
    NavItem(
        "auth.account",
        "Your account",
        tuple(Role),
        (
            "auth.sign_out_everywhere",
            "auth.change_password",
            "auth.two_factor",
            "auth.team_two_factor",
            "api_pages.personal_tokens",
            "api_pages.revoke_token",
        ),
        menu=True,
    ),
    NavItem("scheduling.my_settings", "My settings", tuple(Role), menu=True),
    NavItem("scheduling.calendar_feed", "Calendar feed", tuple(Role), menu=True),
    NavItem("plans.plan_settings", "Team settings", MANAGERS, ("plans.add_stage_type",), menu=True),
    NavItem("emails.index", "Candidate emails", MANAGERS, ("emails.",), menu=True),
    NavItem("scheduling.pools_index", "Interviewer pools", MANAGERS, menu=True),
    NavItem(
        "accounts.users",
        "Users",
        (Role.ADMIN,),
        (
            "accounts.change_role",
            "accounts.deactivate",
            "accounts.reactivate",
            "accounts.resend_invitation",
            "accounts.revoke_invitation",
        ),
        menu=True,
    ),
    NavItem(
        "dashboard.sources",
        "Candidate sources",
        (Role.ADMIN,),
        ("dashboard.edit_source",),
        menu=True,
    ),
    NavItem("dashboard.review_settings", "Review settings", (Role.ADMIN,), menu=True),
    NavItem(
        "branding.settings",
        "Branding",
        (Role.ADMIN,),
        ("branding.upload_logo", "branding.remove_logo"),
        menu=True,
    ),
    NavItem("scheduling.team_scheduling", "Scheduling settings", (Role.ADMIN,), menu=True),
    NavItem("accounts.audit_log", "Audit log", (Role.ADMIN,), menu=True),
    NavItem("privacy.team_data", "Candidate data", (Role.ADMIN,), menu=True),
    NavItem("dashboard.careers_settings", "Careers page", (Role.ADMIN,), menu=True),
    NavItem("mail.outbox_index", "Outbox", (Role.ADMIN,), ("mail.outbox_email",), menu=True),
    NavItem("webhooks.index", "Webhooks", (Role.ADMIN,), ("webhooks.",), menu=True),
    NavItem("api_pages.team_tokens", "API tokens", (Role.ADMIN,), menu=True),
    NavItem("api_pages.docs", "API documentation", (Role.ADMIN,), menu=True),
]


def nav_item_for(endpoint: str, items: list[NavItem] = NAVIGATION) -> NavItem | None:
    """The link a page belongs under: its own, one that names it, else its blueprint's."""
    for matches in (
        lambda item: item.endpoint == endpoint,
        lambda item: endpoint in item.pages,
        lambda item: any(p.endswith(".") and endpoint.startswith(p) for p in item.pages),
    ):
        found = next((item for item in items if matches(item)), None)
        if found is not None:
            return found
    return None


def has_endpoint(endpoint: str) -> bool:
    """Whether a page exists, for links to features that an installation may lack."""
    return endpoint in current_app.view_functions


def money(value) -> str:
    if value is None:
        return ""
    value = int(value)
    return f"{value // 1000}k" if value >= 1000 and value % 1000 == 0 else f"{value:,}"


def workplace(job) -> str:
    """Where a job is done: "Hybrid · Berlin", but "Remote (UTC-5 to UTC+2)" without the echo."""
    kind = job.workplace.value.capitalize()
    location = (job.location or "").strip()
    if not location:
        return kind
    words = (kind, "on-site") if job.workplace.value == "onsite" else (kind,)
    if any(re.match(rf"{re.escape(word)}\b", location, re.IGNORECASE) for word in words):
        return location
    return f"{kind} · {location}"


def email(address: str | None) -> Markup:
    """An email address that a narrow screen wraps before its dots and ``@``, not mid-word.

    Escaping leaves dots and ``@`` as they are and makes neither, so the break opportunities
    go into the escaped text: lists show dozens of addresses, and this runs for each.
    """
    escaped = str(escape(address or ""))
    return Markup(escaped.replace(".", "<wbr>.").replace("@", "<wbr>@"))


@dataclass(frozen=True)
class NavLink:
    """One link as the layout draws it."""

    label: str
    url: str
    #: The page is this link's or one below it.
    active: bool
    #: The page itself, not one below it, is the "current page".
    current: bool


def _navigation() -> dict:
    if not current_user.is_authenticated:
        return {"nav_links": "", "menu_links": "", "menu_active": False}
    return _links(current_user.role, request.endpoint or "", request.script_root)


def _links(role: Role, endpoint: str, script_root: str) -> dict:
    """The main links and the user menu's for ``role`` on the page ``endpoint``, drawn
    (``_navigation.html``): the same for every request with these three, so made once per
    app (the navigation, the app's pages and their addresses never change while it runs;
    the templates do while a developer edits them, and then nothing is kept)."""
    cache = current_app.extensions.setdefault("navigation", {})
    key = (role, endpoint, script_root)
    links = cache.get(key)
    if links is None or current_app.jinja_env.auto_reload:
        items = [item for item in NAVIGATION if role in item.roles and has_endpoint(item.endpoint)]
        active = nav_item_for(endpoint, items)
        made = [
            (
                item.menu,
                NavLink(
                    item.label,
                    url_for(item.endpoint),
                    item is active,
                    item.endpoint == endpoint,
                ),
            )
            for item in items
        ]
        main = [link for menu, link in made if not menu]
        menu = [link for menu, link in made if menu]
        drawn = current_app.jinja_env.get_template("_navigation.html").module
        links = cache[key] = {
            "nav_links": drawn.main_links(main),
            "menu_links": drawn.menu_links(menu),
            # The page is one of the user menu's (or below one): the menu's button says so.
            "menu_active": any(link.active for link in menu),
        }
    return links


def fixed_url(endpoint: str, **values) -> str:
    """``url_for`` for an address that stays the same while the app runs (a static file, a
    page without arguments), made once per app and script root: the layout asks for a
    dozen of them on every page."""
    cache = current_app.extensions.setdefault("fixed_urls", {})
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = cache.get(key)
    if url is None:
        url = cache[key] = url_for(endpoint, **values)
    return url


def bootstrap_tags(kind: str) -> Markup:
    """Bootstrap's ``<link>`` (``"css"``) or ``<script>`` tags (``"js"``), as Bootstrap-Flask
    writes them, made once per app and script root."""
    cache = current_app.extensions.setdefault("bootstrap_tags", {})
    key = (request.script_root, kind)
    tags = cache.get(key)
    if tags is None:
        bootstrap = current_app.extensions["bootstrap"]
        tags = cache[key] = bootstrap.load_css() if kind == "css" else bootstrap.load_js()
    return tags


def candidate_label(application) -> str:
    """The candidate's name as the signed-in user may see it (``blind``)."""
    return blind.candidate_label_for(current_user, application)


def blind_review(application) -> bool:
    """Whether the signed-in user sees ``application``'s candidate under a pseudonym."""
    return blind.is_blind_for(current_user, application)


def register(app: Flask) -> None:
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["workplace"] = workplace
    app.jinja_env.filters["email"] = email
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["has_endpoint"] = has_endpoint
    app.jinja_env.globals["fixed_url"] = fixed_url
    app.jinja_env.globals["bootstrap_tags"] = bootstrap_tags
    app.jinja_env.globals["candidate_label"] = candidate_label
    app.jinja_env.globals["blind_review"] = blind_review
    app.jinja_env.globals["blind_notice"] = blind.NOTICE
    app.context_processor(_navigation)
