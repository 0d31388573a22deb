"""The jobs list and the job page: filters, pages, empty states, and fixed query counts."""

from __future__ import annotations

import pytest

from interviewer.plans.models import JobStatus
from tests import factories


@pytest.fixture
def manager(auth):
    return auth.login("hiring_manager")


def add_jobs(team, count: int, status: JobStatus = JobStatus.OPEN, stages: int = 2):
    level = factories.LevelFactory(team=team)
    skill = factories.SkillFactory(team=team)
    jobs = []
    for _ in range(count):
        job = factories.JobFactory(team=team, level=level, status=status)
        for position in range(1, stages + 1):
            stage = factories.PlanStageFactory(team=team, job=job, position=position)
            stage.focus_skills.append(skill)
            factories.KitVersionFactory(team=team, plan_stage=stage)
        jobs.append(job)
    return jobs


def test_the_list_filters_by_status_and_counts_each(client, manager):
    (draft,) = add_jobs(manager.team, 1, JobStatus.DRAFT)
    (opened,) = add_jobs(manager.team, 1, JobStatus.OPEN)
    add_jobs(factories.TeamFactory(), 1, JobStatus.DRAFT)  # another team's
    everything = client.get("/jobs").get_data(as_text=True)
    assert draft.title in everything and opened.title in everything
    drafts = client.get("/jobs?status=draft").get_data(as_text=True)
    assert draft.title in drafts and opened.title not in drafts
    assert 'aria-current="page" href="/jobs?status=draft">Draft <span class="badge' in drafts
    assert 'All <span class="badge text-bg-light">2</span>' in drafts


def test_an_unknown_status_shows_every_job(client, manager):
    (job,) = add_jobs(manager.team, 1)
    assert job.title in client.get("/jobs?status=nonsense").get_data(as_text=True)


def test_the_list_is_paginated_and_keeps_the_filter(app, client, manager, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    add_jobs(manager.team, 4, JobStatus.CLOSED, stages=0)
    first = client.get("/jobs?status=closed").get_data(as_text=True)
    second = client.get("/jobs?status=closed&page=2").get_data(as_text=True)
    assert first.count("/jobs/") - second.count("/jobs/") == 2  # 3 rows against 1
    assert "/jobs?page=2&amp;status=closed" in first or "/jobs?status=closed&amp;page=2" in first


def test_empty_lists_say_what_to_do_next(client, manager):
    assert "Create the first job" in client.get("/jobs").get_data(as_text=True)
    page = client.get("/jobs?status=open").get_data(as_text=True)
    assert "No open jobs." in page and "See all jobs" in page


def cold_get(client, db, url: str):
    """GET ``url`` with nothing left in the session from building the data."""
    db.session.expire_all()
    return client.get(url)


def test_the_jobs_list_runs_the_same_queries_for_3_or_30_jobs(client, db, manager, count_queries):
    add_jobs(manager.team, 3)
    with count_queries() as few:
        assert cold_get(client, db, "/jobs").status_code == 200
    add_jobs(manager.team, 27)
    with count_queries() as many:
        assert cold_get(client, db, "/jobs").status_code == 200
    assert few.count == many.count


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer"])
def test_the_job_page_runs_the_same_queries_for_few_or_many_stages(
    client, db, auth, count_queries, role
):
    user = auth.login(role)
    small, large = (f"/jobs/{add_jobs(user.team, 1, stages=n)[0].id}" for n in (1, 8))
    with count_queries() as few:
        assert cold_get(client, db, small).status_code == 200
    with count_queries() as many:
        assert cold_get(client, db, large).status_code == 200
    assert few.count == many.count


def test_the_preview_runs_the_same_queries_for_few_or_many_stages(
    client, db, manager, count_queries
):
    small, large = (
        f"/jobs/{add_jobs(manager.team, 1, JobStatus.DRAFT, stages=n)[0].id}/preview"
        for n in (1, 8)
    )
    with count_queries() as few:
        assert cold_get(client, db, small).status_code == 200
    with count_queries() as many:
        assert cold_get(client, db, large).status_code == 200
    assert few.count == many.count


def test_the_job_page_shows_the_plan_read_only(client, auth):
    user = auth.login("interviewer")
    (job,) = add_jobs(user.team, 1, stages=2)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    for stage in job.stages:
        assert stage.name in page
    assert job.stages[0].focus_skills[0].name in page
    assert "2 stages · 2 h in total" in page
    assert "<form" not in page.split("</nav>", 1)[1].split("<footer")[0]


def test_the_list_counts_its_pages_from_the_status_counts_without_a_count_query(
    app, client, db, manager, monkeypatch, count_queries
):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    add_jobs(manager.team, 4, JobStatus.CLOSED, stages=0)
    add_jobs(manager.team, 5, JobStatus.OPEN, stages=0)
    with count_queries() as counter:
        closed = cold_get(client, db, "/jobs?status=closed").get_data(as_text=True)
    assert not any("count(*) AS count_1 \nFROM (SELECT" in s for s in counter.statements)
    assert "status=closed&amp;page=2" in closed or "page=2&amp;status=closed" in closed
    assert "page=3" not in closed  # 4 closed jobs are 2 pages, whatever the 5 open ones
    everything = client.get("/jobs").get_data(as_text=True)
    assert "page=3" in everything  # 9 jobs are 3 pages
