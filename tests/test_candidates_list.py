"""The candidates list narrowed by job, stage and status and sorted by name, newest first or
last activity, from the query string; the same few queries for 3 rows as for 30."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus as S
from interviewer.candidates.models import Candidate
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

    link = next_link(html)
    assert link.startswith("/candidates/?") and "page=2" in link
    assert f"job={job.id}" in link and "sort=newest" in link and "after=" in link


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


def next_link(html: str, label: str = "Next") -> str | None:
    found = re.search(rf'<a class="page-link" href="([^"#]+)">{label}</a>', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.parametrize("sort", ["name", "newest", "activity"])
def test_next_and_previous_walk_every_candidate_once_in_order(client, auth, app, monkeypatch, sort):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    manager = auth.login(Role.HIRING_MANAGER)
    # Two share a name and two a time, so the id decides between them.
    for number, name in enumerate(["Eve", "Ann", "Bob", "Ann", "Dan"]):
        moment = START + (number // 2) * DAY
        factories.CandidateFactory(
            team=manager.team,
            name=name,
            created_at=moment,
            updated_at=moment,
            last_activity_at=moment,
        )

    seen, pages, path = [], [], f"/candidates/?sort={sort}"
    while path and len(pages) < 5:
        html = client.get(path).get_data(as_text=True)
        pages.append(html)
        seen += re.findall(r'<td><a href="/candidates/\d+">([^<]+)</a>', html)
        path = next_link(html)
    back = client.get(next_link(pages[-1], "Previous")).get_data(as_text=True)

    assert len(pages) == 3
    if sort == "name":
        assert seen == ["Ann", "Ann", "Bob", "Dan", "Eve"]
    else:
        assert seen == ["Dan", "Ann", "Bob", "Ann", "Eve"]
    assert "Page 3 of 3" in pages[-1]
    assert re.findall(r'<td><a href="/candidates/\d+">([^<]+)</a>', back) == seen[2:4]
    assert "Page 2 of 3" in back


def test_a_cursor_that_names_nothing_shows_the_first_page(client, team):
    for cursor in ("nonsense", "x~abc", "2026-99-01~3", "2026-03-01T09:00:00~3"):
        response = client.get(f"/candidates/?sort=newest&after={cursor}")
        assert response.status_code == 200
    assert names(client, "?sort=newest&after=nonsense") == ["Aisha Bello", "Chen Wei", "Bruno Diaz"]


def test_a_long_list_says_how_many_only_up_to_the_count_limit(client, team, monkeypatch):
    monkeypatch.setattr("interviewer.pagination.COUNT_LIMIT", 2)

    html = client.get("/candidates/").get_data(as_text=True)

    assert "2+ candidates" in html and "Page 1 of many" not in html


def test_the_count_is_exact_for_a_short_list(client, team):
    assert "3 candidates" in client.get("/candidates/").get_data(as_text=True)


def test_last_activity_follows_a_change_to_an_application_or_the_record(client, team, db):
    _, frontend = team
    chen = next(a for a in frontend.applications if a.candidate.name == "Chen Wei")
    chen.exit_note = "Called back"
    db.session.flush()

    assert names(client, "?sort=activity")[0] == "Chen Wei"

    aisha = db.session.scalar(select(Candidate).where(Candidate.name == "Aisha Bello"))
    aisha.notes = "Prefers mornings"
    db.session.flush()

    assert names(client, "?sort=activity")[0] == "Aisha Bello"


@pytest.mark.parametrize("query", ["a", "Be", "ish", "AISHA", "ello", "aisha.b"])
def test_a_search_of_three_letters_or_more_matches_any_part_of_a_name_or_email(
    client, team, query, db
):
    aisha = db.session.scalar(select(Candidate).where(Candidate.name == "Aisha Bello"))
    aisha.email = "aisha.bello@example.org"
    db.session.flush()

    assert "Aisha Bello" in names(client, f"?q={query}")


def test_a_search_of_one_or_two_letters_matches_the_start_of_a_word(client, team):
    assert names(client, "?q=we") == ["Chen Wei"]
    assert names(client, "?q=ei") == []


def test_search_takes_percent_and_underscore_literally(client, team):
    assert names(client, "?q=%25%25%25") == []
    assert names(client, "?q=___") == []


@pytest.mark.parametrize("sort", ["name", "newest", "activity"])
def test_a_deep_page_runs_the_same_queries_as_the_first(
    client, auth, db, app, monkeypatch, count_queries, sort
):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)
    for _ in range(10):
        factories.ApplicationFactory(team=manager.team, job=job, current_stage=job.stages[0])
    db.session.expunge_all()
    with count_queries() as first:
        html = client.get(f"/candidates/?sort={sort}").get_data(as_text=True)
    for _ in range(2):
        html = client.get(next_link(html)).get_data(as_text=True)
    db.session.expunge_all()
    with count_queries() as deep:
        client.get(next_link(html))

    assert first.count == deep.count


def test_the_count_follows_the_filters(client, team):
    _, frontend = team

    assert "2 candidates" in client.get("/candidates/?status=active").get_data(as_text=True)
    assert "1 candidate<" in client.get(f"/candidates/?job={frontend.id}&q=chen").get_data(
        as_text=True
    ).replace("\n", "<")
