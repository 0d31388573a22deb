"""What every page pays before it shows anything: the signed-in user in one statement, the
layout's links without a statement, the filters lists call dozens of times, and a careers
posting in a handful of statements."""

from __future__ import annotations

from flask import session as cookie
from markupsafe import Markup

from interviewer.auth import user_sessions
from interviewer.auth.models import Role
from interviewer.plans.models import JobStatus
from interviewer.templating import email
from tests import factories


def test_an_address_wraps_before_its_dots_and_at_and_stays_escaped():
    assert email("ana.lopez@example.org") == Markup("ana<wbr>.lopez<wbr>@example<wbr>.org")
    assert email('<b>"x".y@z') == Markup("&lt;b&gt;&#34;x&#34;<wbr>.y<wbr>@z")
    assert email(".a..b") == Markup("<wbr>.a<wbr>.<wbr>.b")
    assert email(None) == Markup("") == email("")


def test_the_user_session_and_team_come_in_one_statement(app, client, auth, count_queries):
    user = auth.login(Role.INTERVIEWER)
    client.get("/my-interviews")
    with app.test_request_context("/my-interviews"):
        cookie.update(_cookie_of(app, client))
        with count_queries() as counter:
            loaded = user_sessions.load_user(str(user.id))
            team_name = loaded.team.name
        session_id = user_sessions.current_id()
    assert loaded.id == user.id
    assert team_name == user.team.name
    assert counter.count == 1
    assert session_id is not None


def _cookie_of(app, client) -> dict:
    """What the test client's session cookie holds."""
    interface = app.session_interface
    serializer = interface.get_signing_serializer(app)
    return dict(serializer.loads(client.get_cookie("session").value))


def test_the_layout_draws_its_links_without_a_statement(client, auth, count_queries):
    auth.login(Role.ADMIN)
    # A form page, which is rendered every time (lists are kept: ``interviewer.kept``).
    client.get("/candidates/new")
    with count_queries() as first:
        client.get("/candidates/new")
    with count_queries() as again:
        html = client.get("/candidates/new").get_data(as_text=True)
    assert first.count == again.count
    assert 'href="/team/users"' in html and 'href="/jobs"' in html


def test_the_layout_made_once_links_each_script_root_to_its_own_addresses(client, auth):
    auth.login(Role.ADMIN)
    client.get("/jobs")  # shows the welcome message
    html = client.get("/jobs").get_data(as_text=True)
    mounted = client.get("/jobs", base_url="http://localhost/hiring/").get_data(as_text=True)
    again = client.get("/jobs").get_data(as_text=True)
    assert again == html
    assert 'href="/static/css/app.css"' in html and 'href="/team/users"' in html
    assert 'href="/hiring/static/css/app.css"' in mounted
    assert 'href="/hiring/bootstrap/static/css/bootstrap.min.css"' in mounted
    assert 'aria-current="page" href="/hiring/jobs"' in mounted
    assert 'href="/hiring/team/users"' in mounted
    assert 'action="/hiring/logout"' in mounted


def test_a_posting_costs_at_most_five_statements(client, db, count_queries):
    job = factories.JobFactory(status=JobStatus.OPEN)
    for position in range(1, 4):
        factories.PlanStageFactory(job=job, position=position)
    db.session.commit()
    path = f"/careers/{job.team.slug}/{job.slug}"
    client.get(path)
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    # The team with its logo, the job with its level, its stages with their types, their
    # focus skills, their kits.
    assert counter.count <= 5
