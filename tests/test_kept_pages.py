"""Signed-in pages (the everyday lists and the reports) are kept rendered per person, and any
change committed to the team's rows shows on the very next request, in this process and in
any other sharing the database."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from flask_login import login_user

from interviewer import page_cache
from interviewer.auth.models import Role, User
from interviewer.candidates.models import Candidate
from interviewer.db import utcnow
from interviewer.extensions import db as _db
from interviewer.kept import kept as kept_view
from interviewer.plans.models import Job
from tests import factories
from tests.conftest import PASSWORD, AuthActions
from tests.test_report_speed import interview

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LOAD = "/reports/load"


def without_tokens(html: str) -> str:
    return TOKEN.sub("", html)


@pytest.fixture
def manager(auth):
    user = auth.login(Role.HIRING_MANAGER)
    # The page after signing in shows (and clears) its welcome message.
    auth.client.get("/", follow_redirects=True)
    return user


@pytest.fixture
def kept(client, count_queries):
    """``kept(path)``: GET ``path`` until it comes kept (the sign-in check and the version,
    two statements), so that a change after it must be seen to replace the kept copy."""

    def keep(path: str) -> str:
        client.get(path)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        assert counter.count == 2, counter.statements
        return response.get_data(as_text=True)

    return keep


def held_by(team, name: str, days_ago: int = 3):
    user = factories.UserFactory(team=team, name=name, role=Role.INTERVIEWER)
    interview(team, ends=utcnow() - timedelta(days=days_ago), panel=[user])
    return user


def test_a_second_request_is_kept_with_the_same_page(client, db, manager, kept):
    held_by(manager.team, "Ana Lopez")
    db.session.commit()
    first = client.get(LOAD).get_data(as_text=True)
    again = kept(LOAD)
    assert "Ana Lopez" in again
    assert without_tokens(again) == without_tokens(first)


def test_a_committed_change_shows_on_the_next_request(client, db, manager, kept):
    held_by(manager.team, "Ana Lopez")
    db.session.commit()
    assert "Bo Kim" not in kept(LOAD)
    held_by(manager.team, "Bo Kim")
    db.session.commit()
    assert "Bo Kim" in client.get(LOAD).get_data(as_text=True)
    assert "Bo Kim" in kept(LOAD)
    ana = db.session.scalar(_db.select(User).where(User.name == "Ana Lopez"))
    ana.name = "Ana López"
    db.session.commit()
    assert "Ana López" in client.get(LOAD).get_data(as_text=True)


def test_another_teams_change_keeps_this_teams_page(client, db, manager, kept, count_queries):
    kept(LOAD)
    held_by(factories.TeamFactory(), "Zed Other")
    db.session.commit()
    with count_queries() as counter:
        html = client.get(LOAD).get_data(as_text=True)
    assert counter.count == 2 and "Zed Other" not in html


def test_each_person_gets_their_own_page(app, client, db, manager, kept):
    own = kept(LOAD)
    colleague = AuthActions(app.test_client())
    colleague.login(Role.HIRING_MANAGER, team=manager.team, name="Cleo Park")
    theirs = colleague.client.get(LOAD).get_data(as_text=True)
    assert "Cleo Park" in theirs and "Cleo Park" not in own


def test_the_permission_is_checked_before_a_kept_page(app, client, db, manager, kept):
    kept(LOAD)
    interviewer = AuthActions(app.test_client())
    interviewer.login(Role.INTERVIEWER, team=manager.team)
    assert interviewer.client.get(LOAD).status_code == 403
    # Made an interviewer, the manager is refused at once too.
    manager.role = Role.INTERVIEWER
    db.session.commit()
    assert client.get(LOAD).status_code == 403


def test_the_kept_page_carries_the_visitors_own_working_token(
    app, client, db, manager, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client.get(LOAD)
    html = client.get(LOAD).get_data(as_text=True)
    tokens = set(TOKEN.findall(html))
    assert tokens and "\x00" not in html
    signed_out = client.post("/logout", data={"csrf_token": tokens.pop()})
    assert signed_out.status_code == 302
    assert client.get(LOAD).status_code in (302, 401)


def test_a_rolled_back_change_keeps_the_page(client, db, manager, kept, count_queries):
    kept(LOAD)
    held_by(manager.team, "Never Saved")
    db.session.flush()
    db.session.rollback()
    with count_queries() as counter:
        client.get(LOAD)
    assert counter.count == 2


def test_a_change_made_before_a_savepoint_rolled_back_still_shows(client, db, manager, kept):
    kept(LOAD)
    held_by(manager.team, "Bo Kim")
    db.session.flush()
    with pytest.raises(LookupError), db.session.begin_nested():
        raise LookupError("a refused booking")
    db.session.commit()
    assert "Bo Kim" in client.get(LOAD).get_data(as_text=True)


def test_a_person_with_a_message_waiting_gets_it_on_a_rendered_page(client, db, manager, kept):
    kept(LOAD)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Exported.")]
    assert "Exported." in client.get(LOAD).get_data(as_text=True)
    assert "Exported." not in client.get(LOAD).get_data(as_text=True)


# Two processes ----------------------------------------------------------------------------


def test_a_change_committed_in_one_process_shows_at_once_in_the_other(two_apps):
    first, second, teams = two_apps
    with first.app_context():
        team = factories.TeamFactory(slug=f"kept-{uuid.uuid4().hex[:8]}")
        manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
        held_by(team, "Ana Lopez")
        _db.session.commit()
        teams.append(team.id)
        email, team_id = manager.email, team.id
        _db.session.remove()
    reader = second.test_client()
    reader.post("/login", data={"email": email, "password": PASSWORD})
    for _ in range(2):
        assert "Bo Kim" not in reader.get(LOAD).get_data(as_text=True)
    with first.app_context():
        held_by(_db.session.get(type(team), team_id), "Bo Kim")
        _db.session.commit()
        _db.session.remove()
    assert "Bo Kim" in reader.get(LOAD).get_data(as_text=True)
    assert isinstance(second.extensions[page_cache.EXTENSION], page_cache.PageCache)


# The everyday pages --------------------------------------------------------------------------

#: Each everyday page that is kept, by the rows of ``world``.
EVERYDAY = {
    "dashboard": "/dashboard",
    "my interviews": "/my-interviews",
    "board": "/jobs/{job}/board",
    "schedule": "/applications/{application}/stages/{stage}/schedule",
    "candidates": "/candidates/",
    "search": "/candidates/?q=Ana",
    "jobs": "/jobs",
    "debrief": "/applications/{application}/debrief",
    "plan": "/jobs/{job}/plan",
}


@pytest.fixture
def world(db, manager):
    """A job with a stage, Ana Lopez's application to it and her interview last week, with
    the manager on its panel; the ids the everyday pages' addresses need."""
    team = manager.team
    booked = interview(team, ends=utcnow() - timedelta(days=7), panel=[manager])
    booked.application.candidate.name = "Ana Lopez"
    booked.application.job.title = "Platform Engineer"
    db.session.commit()
    return {
        "job": booked.application.job_id,
        "application": booked.application_id,
        "stage": booked.plan_stage_id,
    }


@pytest.mark.parametrize("name", EVERYDAY)
def test_an_everyday_page_is_kept_until_a_change_to_what_it_shows(client, db, world, kept, name):
    path = EVERYDAY[name].format(**world)
    first = client.get(path).get_data(as_text=True)
    again = kept(path)
    assert "Platform Engineer" in again
    assert without_tokens(again) == without_tokens(first)
    job = db.session.get(Job, world["job"])
    job.title = "Platform Lead"
    db.session.commit()
    changed = client.get(path).get_data(as_text=True)
    assert "Platform Lead" in changed and "Platform Engineer" not in changed
    assert "Platform Lead" in kept(path)


def test_a_kept_page_names_its_minute(client, db, world, kept, count_queries):
    next_minute = (utcnow() + timedelta(minutes=1)).replace(second=5)
    with time_machine.travel(next_minute, tick=False) as traveller:
        kept("/dashboard")
        traveller.shift(timedelta(seconds=50))
        with count_queries() as counter:
            client.get("/dashboard")
        assert counter.count == 2
        traveller.shift(timedelta(seconds=10))
        with count_queries() as counter:
            client.get("/dashboard")
        assert counter.count > 2


def test_a_view_that_changes_rows_is_rendered_every_time(app, db, manager):
    renders = []

    @kept_view
    def writes():
        renders.append(1)
        db.session.add(Candidate(team=manager.team, name="On the way", email="way@example.org"))
        return "<p>Added a candidate on the way.</p>"

    for _ in range(2):
        with app.test_request_context("/somewhere"):
            login_user(manager)
            writes()
        db.session.rollback()
    assert len(renders) == 2
