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
    "/dashboard": {ADMIN, MANAGER},
    "/jobs": {ADMIN, MANAGER},
    "/candidates/": {ADMIN, MANAGER},
    "/catalog/": {ADMIN, MANAGER},
    "/my-interviews": {ADMIN, MANAGER, INTERVIEWER},
}

#: What the main navigation shows to each role: link -> label.
NAVIGATION = {
    ADMIN: {
        "/": "Dashboard",
        "/my-interviews": "My interviews",
        "/jobs": "Jobs",
        "/candidates/": "Candidates",
        "/catalog/": "Skills & levels",
        "/team/users": "Users",
    },
    MANAGER: {
        "/": "Dashboard",
        "/my-interviews": "My interviews",
        "/jobs": "Jobs",
        "/candidates/": "Candidates",
        "/catalog/": "Skills & levels",
    },
    INTERVIEWER: {"/my-interviews": "My interviews"},
}


class NavLinks(HTMLParser):
    """The links of the main navigation bar: href -> text."""

    def __init__(self) -> None:
        super().__init__()
        self.in_nav = False
        self.href: str | None = None
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and attributes.get("aria-label") == "Main":
            self.in_nav = True
        elif tag == "a" and self.in_nav and "nav-link" in (attributes.get("class") or "").split():
            self.href = attributes["href"]
            self.links[self.href] = ""

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav = False
        elif tag == "a":
            self.href = None

    def handle_data(self, data):
        if self.href is not None:
            self.links[self.href] += data.strip()


def nav_links(html: str) -> dict[str, str]:
    parser = NavLinks()
    parser.feed(html)
    return parser.links


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
def test_navigation_shows_only_what_the_role_may_use(client, auth, role):
    auth.login(role)

    links = nav_links(client.get("/my-interviews").get_data(as_text=True))

    assert links == NAVIGATION[role]
    for href in links:
        assert client.get(href, follow_redirects=True).status_code == 200


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
