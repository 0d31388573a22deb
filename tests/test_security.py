"""CSRF protection, safe ``next=`` redirects and a fresh session on sign-in."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from interviewer.auth.models import Role
from tests import factories
from tests.conftest import PASSWORD

CSRF_MESSAGE = "The form had expired or was sent from elsewhere"


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def csrf_enabled(app, monkeypatch):
    """CSRF checks on, as outside tests; put back when the test ends."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


# --- a new session on sign-in -------------------------------------------------------------


def test_sign_in_starts_a_new_session(client, db):
    user = factories.UserFactory()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["_flashes"] = [("info", "planted message")]

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id") == str(user.id)
    assert "planted message" not in client.get("/my-interviews").get_data(as_text=True)


def test_sign_out_clears_the_session(client, auth):
    auth.login(Role.HIRING_MANAGER)
    with client.session_transaction() as session:
        session["draft_note"] = "left behind"

    client.post("/logout")

    with client.session_transaction() as session:
        assert "_user_id" not in session
        assert "draft_note" not in session


def test_session_cookie_is_http_only_and_same_site(client, db):
    user = factories.UserFactory()

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    cookie = next(
        value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


# --- anonymous users and next= ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard",
        "/my-interviews",
        "/jobs",
        "/jobs/1",
        "/candidates/",
        "/catalog/",
        "/team/users",
    ],
)
def test_anonymous_user_is_sent_to_sign_in_with_next(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == [path]


def test_sign_in_page_carries_next_into_the_form(client, db):
    response = client.get("/login?next=/jobs")

    assert re.search(r'name="next" type="hidden" value="/jobs"', response.get_data(as_text=True))


def test_sign_in_follows_next_on_this_site(client, db):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)
    job = factories.JobFactory(team=user.team)
    target = f"/jobs/{job.id}?tab=plan"

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "https://evil.example/jobs",
        "http:/evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
    ],
)
def test_sign_in_ignores_next_that_leaves_the_site(client, db, target):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# --- CSRF ---------------------------------------------------------------------------------


def test_sign_in_without_csrf_token_is_refused(client, db, csrf_enabled):
    user = factories.UserFactory()

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_sign_in_with_a_forged_csrf_token_is_refused(client, db, csrf_enabled):
    user = factories.UserFactory()
    client.get("/login")

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"}
    )

    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)


def test_sign_in_with_the_token_from_the_form_works(client, db, csrf_enabled):
    user = factories.UserFactory()
    token = csrf_token(client.get("/login").get_data(as_text=True))

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 302


def _sign_in_with_token(client, user) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_sign_out_without_csrf_token_is_refused(client, db, csrf_enabled):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)
    _sign_in_with_token(client, user)

    response = client.post("/logout")

    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 200


def test_sign_out_with_the_token_from_the_page_works(client, db, csrf_enabled):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)
    _sign_in_with_token(client, user)
    token = csrf_token(client.get("/dashboard").get_data(as_text=True))

    response = client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_adding_a_user_without_csrf_token_is_refused(client, db, csrf_enabled):
    admin = factories.UserFactory(role=Role.ADMIN)
    _sign_in_with_token(client, admin)

    response = client.post(
        "/team/users",
        data={
            "name": "Mallory",
            "email": "mallory@example.com",
            "role": "admin",
            "password": "long enough password",
        },
    )

    assert response.status_code == 400
    assert "mallory@example.com" not in client.get("/team/users").get_data(as_text=True)


# --- where a session comes from ("strong" protection) ---------------------------------------


def test_a_session_cookie_replayed_from_another_browser_signs_nobody_in(client, auth):
    auth.login(Role.INTERVIEWER)
    assert client.get("/my-interviews").status_code == 200

    page = client.get("/my-interviews", headers={"User-Agent": "Another browser/1.0"})

    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_a_visitor_reading_pages_is_not_sent_the_session_cookie_again(app, client, csrf_enabled):
    first = client.get("/login")
    assert any(c.startswith("session=") for c in first.headers.getlist("Set-Cookie"))

    again = client.get("/login")
    other = client.get("/no-such-page")

    assert again.headers.getlist("Set-Cookie") == []
    assert other.headers.getlist("Set-Cookie") == []
    assert csrf_token(again.get_data(as_text=True))
