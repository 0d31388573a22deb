"""The staff pages carry the app's favicon and the light/dark script; the candidate's pages
keep the team's logo as favicon and their light colours."""

from __future__ import annotations

import re

from interviewer.auth.models import Role
from tests import factories


def _head(page: str) -> str:
    return page.split("</head>", 1)[0]


def test_staff_pages_have_the_apps_favicon_and_set_the_theme_before_drawing(client, auth):
    auth.login(Role.HIRING_MANAGER)
    for path in ("/login", "/jobs"):
        if path == "/login":
            auth.logout()
        head = _head(client.get(path).get_data(as_text=True))
        assert '<link rel="icon" href="/static/img/app-icon.svg" type="image/svg+xml">' in head
        # The script comes before the stylesheets, so a dark page never flashes light.
        assert head.index('src="/static/js/theme.js"') < head.index('rel="stylesheet"')
        auth.login(Role.HIRING_MANAGER)


def test_the_favicon_and_script_are_served(client):
    with client.get("/static/img/app-icon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg")
    with client.get("/static/js/theme.js") as script:
        text = script.get_data(as_text=True)
    assert "prefers-color-scheme: dark" in text and "localStorage" in text


def test_the_user_menu_offers_light_dark_and_system_hidden_until_the_script_runs(client, auth):
    auth.login(Role.INTERVIEWER)
    page = client.get("/my-interviews").get_data(as_text=True)

    choices = re.findall(r'data-theme-choice="(\w+)"[^>]*>([^<]+)<', page)
    assert choices == [("light", "Light"), ("dark", "Dark"), ("auto", "System")]
    assert page.count("<li data-theme-menu hidden>") == 2


def test_the_candidates_pages_keep_the_team_favicon_and_no_theme_script(client, db):
    job = factories.JobFactory()
    db.session.flush()
    page = client.get(f"/careers/{job.team.slug}/{job.slug}").get_data(as_text=True)

    assert "theme.js" not in page
    assert "app-icon.svg" not in page
    assert "data-bs-theme" not in _head(page)
