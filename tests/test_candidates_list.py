"""The candidates list narrowed by job, stage and status and sorted by name, newest first or
last activity, from the query string; the same few queries for 3 rows as for 30."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus as S
from tests import factories
from tests.test_candidates import job_with_plan

DAY = timedelta(days=1)
START = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def team(auth):
    """Three candidates over two jobs: Aisha at Backend's screen, Bruno rejected at Backend's
    live coding and active in Frontend, Chen on hold in Frontend."""
    manager = auth.login(Role.HIRING_MANAGER)
    team = manager.team
    backend = job_with_plan(team, title="Backend Developer")
    frontend = job_with_plan(team, title="Frontend Developer")

    def candidate(name, days):
        return factories.CandidateFactory(
            team=team, name=name, created_at=START + days * DAY, updated_at=START + days * DAY
        )

    def apply(person, job, stage, status, days):
        factories.ApplicationFactory(
            team=team,
            candidate=person,
            job=job,
            current_stage=job.stages[stage],
            status=status,
            updated_at=START + days * DAY,
        )

    aisha, bruno, chen = (
        candidate("Aisha Bello", 3),
        candidate("Bruno Diaz", 1),
        candidate("Chen Wei", 2),
    )
    apply(aisha, backend, 0, S.ACTIVE, 3)
    apply(bruno, backend, 1, S.REJECTED, 9)
    apply(bruno, frontend, 0, S.ACTIVE, 4)
    apply(chen, frontend, 1, S.ON_HOLD, 5)
    return backend, frontend


def names(client, query="") -> list[str]:
    html = client.get(f"/candidates/{query}").get_data(as_text=True)
    return re.findall(r'<td><a href="/candidates/\d+">([^<]+)</a>', html)


def test_without_filters_every_candidate_is_listed_by_name(client, team):
    assert names(client) == ["Aisha Bello", "Bruno Diaz", "Chen Wei"]


def test_the_job_filter_keeps_candidates_who_applied_to_it(client, team):
    backend, frontend = team

    assert names(client, f"?job={backend.id}") == ["Aisha Bello", "Bruno Diaz"]
    assert names(client, f"?job={frontend.id}") == ["Bruno Diaz", "Chen Wei"]


def test_the_stage_filter_keeps_applications_at_that_stage(client, team):
    backend, frontend = team

    assert names(client, f"?stage={backend.stages[1].id}") == ["Bruno Diaz"]
    assert names(client, f"?stage={frontend.stages[0].id}") == ["Bruno Diaz"]


def test_the_status_filter_keeps_applications_in_that_status(client, team):
    assert names(client, "?status=rejected") == ["Bruno Diaz"]
    assert names(client, "?status=on_hold") == ["Chen Wei"]
    assert names(client, "?status=active") == ["Aisha Bello", "Bruno Diaz"]


def test_the_filters_apply_to_one_application_at_once(client, team):
    backend, frontend = team

    # Bruno is active (in Frontend) and applied to Backend, but not active in Backend.
    assert names(client, f"?job={backend.id}&status=active") == ["Aisha Bello"]
    assert names(client, f"?job={frontend.id}&status=active&q=bruno") == ["Bruno Diaz"]


def test_the_list_sorts_by_newest_and_by_last_activity(client, team):
    assert names(client, "?sort=newest") == ["Aisha Bello", "Chen Wei", "Bruno Diaz"]
    assert names(client, "?sort=activity") == ["Bruno Diaz", "Chen Wei", "Aisha Bello"]


def test_the_form_keeps_the_chosen_filters(client, team):
    backend, _ = team

    html = client.get(f"/candidates/?job={backend.id}&status=rejected&sort=newest").get_data(
        as_text=True
    )

    assert f'<option value="{backend.id}" selected>Backend Developer</option>' in html
    assert '<option value="rejected" selected>' in html
    assert '<option value="newest" selected>Newest first</option>' in html
    # With a job chosen, the stage filter offers that job's stages only.
    stage_select = html.split('id="stage"')[1].split("</select>")[0]
    assert "Backend Developer" in stage_select and "Frontend Developer" not in stage_select
    assert 'href="/candidates/">Clear filters</a>' in html


@pytest.mark.parametrize(
    "query",
    ["?job=abc", "?job=" + "9" * 30, "?status=hired_yesterday", "?sort=salary", "?stage=-1"],
)
def test_a_value_not_offered_is_ignored_or_matches_nothing(client, team, query):
    response = client.get(f"/candidates/{query}")

    assert response.status_code == 200


def test_another_teams_job_matches_nothing(client, team, db):
    other = job_with_plan(factories.TeamFactory())
    factories.ApplicationFactory(team=other.team, job=other, current_stage=other.stages[0])

    html = client.get(f"/candidates/?job={other.id}").get_data(as_text=True)

    assert "No candidate matches these filters." in html
    assert 'href="/candidates/">clear the filters</a>' in html


def test_pages_keep_the_filters(client, auth, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)
    for _ in range(3):
        factories.ApplicationFactory(team=manager.team, job=job, current_stage=job.stages[0])

    html = client.get(f"/candidates/?job={job.id}&sort=newest").get_data(as_text=True)

    assert f'href="/candidates/?page=2&amp;job={job.id}&amp;sort=newest"' in html


def test_filtered_list_runs_the_same_queries_for_3_and_30_candidates(
    client, auth, db, count_queries
):
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)
    path = f"/candidates/?job={job.id}&stage={job.stages[0].id}&status=active&sort=activity"

    def add(number):
        for _ in range(number):
            factories.ApplicationFactory(team=manager.team, job=job, current_stage=job.stages[0])

    add(3)
    db.session.expunge_all()
    with count_queries() as few:
        client.get(path)
    add(22)
    db.session.expunge_all()
    with count_queries() as many:
        html = client.get(path).get_data(as_text=True)

    assert html.count("Senior Backend Developer ·") == 25
    assert few.count == many.count
