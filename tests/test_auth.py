"""Signing in and out: each role's home, wrong passwords, inactive users (the limits on
failed sign-ins: ``test_sign_in_throttling``)."""

from __future__ import annotations

from html.parser import HTMLParser

from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus
from tests import factories
from tests.conftest import PASSWORD

WRONG_PASSWORD_MESSAGE = "Email or password is not right"


def sign_in(client, email: str, password: str = PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def is_signed_in(client) -> bool:
    """True when the home page answers instead of sending to the sign-in form."""
    response = client.get("/my-interviews")
    return response.status_code == 200


def pipeline_cells(html: str) -> list[str]:
    """The numbers of the dashboard's candidates-per-stage lists, in page order."""

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.in_number = False
            self.cells: list[str] = []

        def handle_starttag(self, tag, attrs):
            if "stage-count-number" in (dict(attrs).get("class") or "").split():
                self.in_number = True
                self.cells.append("")

        def handle_endtag(self, tag):
            self.in_number = False

        def handle_data(self, data):
            if self.in_number:
                self.cells[-1] += data.strip()

    parser = Cells()
    parser.feed(html)
    return parser.cells


def test_login_page_shows_the_form(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="email"' in html
    assert 'name="password"' in html


def test_hiring_manager_lands_on_the_dashboard_with_candidates_per_stage(client, db):
    manager = factories.UserFactory(role=Role.HIRING_MANAGER)
    team = manager.team
    job = factories.JobFactory(team=team, title="Senior Backend Developer")
    screen = factories.PlanStageFactory(
        team=team,
        job=job,
        position=1,
        name="Phone screen",
        stage_type=factories.StageTypeFactory(team=team, key="screen"),
    )
    coding = factories.PlanStageFactory(team=team, job=job, position=2, name="Pairing")
    for stage, number in ((screen, 3), (coding, 2)):
        for _ in range(number):
            factories.ApplicationFactory(team=team, job=job, current_stage=stage)
    factories.ApplicationFactory(team=team, job=job, status=ApplicationStatus.OFFER)
    # Rejected applications leave the pipeline.
    factories.ApplicationFactory(
        team=team, job=job, current_stage=coding, status=ApplicationStatus.REJECTED
    )
    other_team_job = factories.JobFactory(title="Other Team Job")

    response = sign_in(client, manager.email, follow_redirects=True)

    assert response.status_code == 200
    assert response.request.path == "/dashboard"
    html = response.get_data(as_text=True)
    assert "Senior Backend Developer" in html
    assert other_team_job.title not in html
    assert "1. Phone screen" in html
    assert "2. Pairing" in html
    cells = pipeline_cells(html)
    # Screen, pairing, offer, hired.
    assert cells == ["3", "2", "1", "0"]


def test_interviewer_lands_on_my_interviews(client, db):
    interviewer = factories.UserFactory(role=Role.INTERVIEWER)

    response = sign_in(client, interviewer.email, follow_redirects=True)

    assert response.status_code == 200
    assert response.request.path == "/my-interviews"
    assert "My interviews" in response.get_data(as_text=True)


def test_sign_in_ignores_the_case_and_spaces_of_the_email(client, db):
    factories.UserFactory(email="ada@example.com")

    response = sign_in(client, "  Ada@Example.COM ")

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_in_records_when_the_user_last_signed_in(client, db):
    user = factories.UserFactory()
    assert user.last_sign_in_at is None

    sign_in(client, user.email)

    db.session.refresh(user)
    assert user.last_sign_in_at is not None


def test_sign_out_by_post_ends_the_session(client, auth):
    auth.login(Role.HIRING_MANAGER)
    assert client.get("/dashboard").status_code == 200

    response = client.post("/logout", follow_redirects=True)

    assert response.request.path == "/login"
    assert "You are signed out." in response.get_data(as_text=True)
    after = client.get("/dashboard")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/login")


def test_sign_out_is_not_possible_by_get(client, auth):
    auth.login(Role.HIRING_MANAGER)

    response = client.get("/logout")

    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "Use the buttons on the page" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 200


def test_sign_out_when_already_signed_out_leads_to_the_sign_in_page(client, db):
    response = client.post("/logout")

    assert response.status_code == 302
    # No next=/logout: it would send the user to a GET of a POST-only URL after sign-in.
    assert response.headers["Location"] == "/login"


def test_wrong_password_shows_a_message_on_the_form_and_does_not_sign_in(client, db):
    user = factories.UserFactory(email="grace@example.com")

    response = sign_in(client, user.email, "not the password")

    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert WRONG_PASSWORD_MESSAGE in html
    assert "invalid-feedback" in html
    # The email is kept, the password is not sent back.
    assert 'value="grace@example.com"' in html
    assert "not the password" not in html
    assert not is_signed_in(client)


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, db):
    response = sign_in(client, "nobody@example.com")

    assert response.status_code == 401
    assert WRONG_PASSWORD_MESSAGE in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_empty_form_shows_what_is_missing(client, db):
    response = client.post("/login", data={"email": "", "password": ""})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Type your email address." in html
    assert "Type your password." in html
    assert "This field is required." not in html
    assert not is_signed_in(client)


def test_inactive_user_cannot_sign_in(client, db):
    user = factories.UserFactory(active=False)

    response = sign_in(client, user.email)

    assert response.status_code == 401
    assert WRONG_PASSWORD_MESSAGE in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_a_user_made_inactive_is_signed_out_on_the_next_request(client, auth, db):
    user = auth.login(Role.HIRING_MANAGER)
    user.active = False
    db.session.flush()

    response = client.get("/dashboard")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
