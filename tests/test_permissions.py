"""Each role reaches its own pages, gets 403 on the others, and sees only its own links."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from interviewer.auth.models import Role
from tests import factories

ADMIN, MANAGER, INTERVIEWER = Role.ADMIN, Role.HIRING_MANAGER, Role.INTERVIEWER

#: Page -> the roles allowed on it; every other role gets 403.
PAGES = {
    "/team/users": {ADMIN},
    "/team/audit": {ADMIN},
    "/team/data": {ADMIN},
    "/dashboard": {ADMIN, MANAGER},
    "/jobs": {ADMIN, MANAGER},
    "/candidates/": {ADMIN, MANAGER},
    "/catalog/": {ADMIN, MANAGER},
    "/my-interviews": {ADMIN, MANAGER, INTERVIEWER},
    "/account/two-factor": {ADMIN, MANAGER, INTERVIEWER},
    "/account/api-tokens": {ADMIN, MANAGER, INTERVIEWER},
    "/team/api-tokens": {ADMIN},
    "/team/two-factor": {ADMIN},
    "/team/sources": {ADMIN},
    "/team/review": {ADMIN},
    "/team/careers": {ADMIN},
    "/team/scheduling": {ADMIN},
    "/reports/calibration": {ADMIN, MANAGER},
    "/reports/reliability": {ADMIN, MANAGER},
    "/reports/ratings.csv": {ADMIN, MANAGER},
    "/reports/": {ADMIN, MANAGER},
    "/reports/funnel": {ADMIN, MANAGER},
    "/reports/funnel.csv": {ADMIN, MANAGER},
    "/reports/speed": {ADMIN, MANAGER},
    "/reports/speed.csv": {ADMIN, MANAGER},
    "/reports/load": {ADMIN, MANAGER},
    "/reports/load.csv": {ADMIN, MANAGER},
    "/reports/calibration.csv": {ADMIN, MANAGER},
    "/reports/reliability.csv": {ADMIN, MANAGER},
    "/reports/fairness": {ADMIN},
    "/reports/fairness.csv": {ADMIN},
}

#: What the navigation shows to each role, main links then the user menu: link -> label.
NAVIGATION = {
    ADMIN: {
        "/dashboard": "Dashboard",
        "/my-interviews": "My interviews",
        "/jobs": "Jobs",
        "/candidates/": "Candidates",
        "/catalog/": "Skills & levels",
        "/plan-templates": "Plan templates",
        "/reports/": "Reports",
        "/me/availability": "My availability",
        "/account": "Your account",
        "/me/settings": "My settings",
        "/calendar": "Calendar feed",
        "/plan-settings": "Team settings",
        "/team/emails/": "Candidate emails",
        "/team/pools": "Interviewer pools",
        "/team/users": "Users",
        "/team/sources": "Candidate sources",
        "/team/review": "Review settings",
        "/team/branding": "Branding",
        "/team/scheduling": "Scheduling settings",
        "/team/audit": "Audit log",
        "/team/data": "Candidate data",
        "/team/careers": "Careers page",
        "/admin/outbox": "Outbox",
        "/settings/webhooks": "Webhooks",
        "/team/api-tokens": "API tokens",
        "/api/v1/docs": "API documentation",
    },
    MANAGER: {
        "/dashboard": "Dashboard",
        "/my-interviews": "My interviews",
        "/jobs": "Jobs",
        "/candidates/": "Candidates",
        "/catalog/": "Skills & levels",
        "/plan-templates": "Plan templates",
        "/reports/": "Reports",
        "/me/availability": "My availability",
        "/account": "Your account",
        "/me/settings": "My settings",
        "/calendar": "Calendar feed",
        "/plan-settings": "Team settings",
        "/team/emails/": "Candidate emails",
        "/team/pools": "Interviewer pools",
    },
    INTERVIEWER: {
        "/my-interviews": "My interviews",
        "/me/availability": "My availability",
        "/account": "Your account",
        "/me/settings": "My settings",
        "/calendar": "Calendar feed",
    },
}

#: The links that sit in the user menu rather than in the bar.
USER_MENU = {
    "/me/availability",
    "/account",
    "/me/settings",
    "/calendar",
    "/plan-settings",
    "/team/emails/",
    "/team/pools",
    "/team/users",
    "/team/sources",
    "/team/review",
    "/team/branding",
    "/team/scheduling",
    "/team/audit",
    "/team/data",
    "/team/careers",
    "/admin/outbox",
    "/settings/webhooks",
    "/team/api-tokens",
    "/api/v1/docs",
}


class NavLinks(HTMLParser):
    """The links of the main navigation (bar and user menu), and what marks the current page.

    ``links``: href -> text; ``menu``: the hrefs inside the dropdown menu; ``active``: href ->
    its ``aria-current`` value, for the links marked current; ``signout``: whether a sign-out
    form with a CSRF token is there.
    """

    def __init__(self) -> None:
        super().__init__()
        self.nav_depth = 0
        self.menu_depth = 0
        self.in_signout = False
        self.href: str | None = None
        self.links: dict[str, str] = {}
        self.menu: set[str] = set()
        self.active: dict[str, str] = {}
        self.signout = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "nav" and (self.nav_depth or attributes.get("aria-label") == "Main"):
            self.nav_depth += 1
        if not self.nav_depth:
            return
        if tag == "ul" and (self.menu_depth or "dropdown-menu" in classes):
            self.menu_depth += 1
        elif tag == "a" and {"nav-link", "dropdown-item"} & set(classes):
            self.href = attributes["href"]
            self.links[self.href] = ""
            if self.menu_depth:
                self.menu.add(self.href)
            if "aria-current" in attributes:
                self.active[self.href] = attributes["aria-current"]
        elif tag == "form" and attributes.get("action") == "/logout":
            self.in_signout = attributes.get("method") == "post"
        elif tag == "input" and self.in_signout and attributes.get("name") == "csrf_token":
            self.signout = bool(attributes.get("value"))

    def handle_endtag(self, tag):
        if not self.nav_depth:
            return
        if tag == "nav":
            self.nav_depth -= 1
        elif tag == "ul" and self.menu_depth:
            self.menu_depth -= 1
        elif tag == "a":
            self.href = None
        elif tag == "form":
            self.in_signout = False

    def handle_data(self, data):
        if self.href is not None:
            self.links[self.href] += data.strip()


def navigation(html: str) -> NavLinks:
    parser = NavLinks()
    parser.feed(html)
    return parser


def nav_links(html: str) -> dict[str, str]:
    return navigation(html).links


CASES = [(path, role) for path in PAGES for role in Role]


@pytest.mark.parametrize(("path", "role"), CASES, ids=[f"{p}-{r.value}" for p, r in CASES])
def test_each_role_reaches_its_pages_and_is_refused_the_others(client, auth, path, role):
    auth.login(role)

    response = client.get(path)

    if role in PAGES[path]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "Your role does not give access to this page." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_navigation_shows_only_what_the_role_may_use(app, client, auth, monkeypatch, role):
    auth.login(role)
    # On, as outside tests, so that the sign-out form carries its token.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    nav = navigation(client.get("/my-interviews").get_data(as_text=True))

    assert nav.links == NAVIGATION[role]
    assert nav.menu == USER_MENU & set(NAVIGATION[role])
    assert nav.signout
    for href in nav.links:
        assert client.get(href, follow_redirects=True).status_code == 200


#: Page -> the navigation link marked as where the user is, and how.
CURRENT = [
    ("/dashboard", "/dashboard", "page"),
    ("/my-interviews", "/my-interviews", "page"),
    ("/jobs", "/jobs", "page"),
    ("/jobs/new", "/jobs", "true"),
    ("/plan-templates", "/plan-templates", "page"),
    ("/plan-settings", "/plan-settings", "page"),
    ("/reports/", "/reports/", "page"),
    ("/reports/funnel", "/reports/", "true"),
    ("/catalog/matrix", "/catalog/", "true"),
    ("/me/availability", "/me/availability", "page"),
    ("/me/settings", "/me/settings", "page"),
    ("/team/users", "/team/users", "page"),
    ("/team/audit", "/team/audit", "page"),
    ("/team/sources", "/team/sources", "page"),
    ("/team/review", "/team/review", "page"),
    ("/team/data", "/team/data", "page"),
    ("/team/emails/", "/team/emails/", "page"),
    ("/team/emails/rejection", "/team/emails/", "true"),
    ("/team/careers", "/team/careers", "page"),
    ("/team/scheduling", "/team/scheduling", "page"),
    ("/account/two-factor", "/account", "true"),
    ("/team/two-factor", "/account", "true"),
]


@pytest.mark.parametrize(("path", "link", "current"), CURRENT, ids=[c[0] for c in CURRENT])
def test_navigation_marks_the_link_of_the_page_and_no_other(client, auth, path, link, current):
    auth.login(ADMIN)

    nav = navigation(client.get(path).get_data(as_text=True))

    assert nav.active == {link: current}


def test_anonymous_visitors_see_no_navigation(client, db):
    assert nav_links(client.get("/login").get_data(as_text=True)) == {}


@pytest.mark.parametrize(
    ("role", "home"),
    [(ADMIN, "/dashboard"), (MANAGER, "/dashboard"), (INTERVIEWER, "/my-interviews")],
)
def test_home_page_sends_each_role_to_its_own_home(client, auth, role, home):
    auth.login(role)

    response = client.get("/")

    assert response.status_code == 302
    assert response.headers["Location"] == home


def test_interviewer_may_read_a_job_of_their_team(client, auth):
    interviewer = auth.login(INTERVIEWER)
    job = factories.JobFactory(team=interviewer.team, title="Senior Backend Developer")
    factories.PlanStageFactory(team=interviewer.team, job=job, name="Pairing on an API")

    response = client.get(f"/jobs/{job.id}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Senior Backend Developer" in html
    assert "Pairing on an API" in html


def test_error_page_offers_the_way_home(client, auth):
    auth.login(INTERVIEWER)

    html = client.get("/jobs").get_data(as_text=True)

    assert 'href="/"' in html
    assert "Go to your home page" in html
