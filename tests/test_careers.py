"""The public careers pages: open jobs only, no sign-in, everything a candidate needs to know."""

from __future__ import annotations

from decimal import Decimal

import pytest

from interviewer.plans.models import EmploymentType, JobStatus
from tests import factories
from tests.conftest import forget_kept_pages


def build_job(status: JobStatus = JobStatus.OPEN, stages=(("screen", 30),), **fields):
    job = factories.JobFactory(status=status, **fields)
    skill = factories.SkillFactory(team=job.team, name=f"Skill of {job.slug}")
    for position, (key, minutes) in enumerate(stages, start=1):
        stage = factories.PlanStageFactory(
            team=job.team,
            job=job,
            position=position,
            stage_type__key=key,
            name=f"{key.replace('_', ' ').capitalize()} round",
            duration_minutes=minutes,
        )
        stage.focus_skills.append(skill)
        factories.KitVersionFactory(
            team=job.team, plan_stage=stage, what_to_expect=f"What happens in the {key} round."
        )
    return job


def url(job) -> str:
    return f"/careers/{job.team.slug}/{job.slug}"


def test_an_open_posting_shows_everything_without_sign_in(client, db):
    job = build_job(
        title="Senior Backend Developer",
        description="You will own the billing service.",
        location="Lisbon",
        employment_type=EmploymentType.CONTRACT,
        contract_months=9,
        salary_min=Decimal(95000),
        salary_max=Decimal(125000),
        salary_currency="EUR",
        stages=[
            ("screen", 30),
            ("live_coding", 90),
            ("whiteboard", 60),
            ("system_design", 60),
            ("final", 45),
        ],
    )
    response = client.get(url(job))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in [
        "Senior Backend Developer",
        job.level.name,
        "You will own the billing service.",
        "Lisbon",
        "Contract, 9 months",
        "95k–125k EUR",
        job.posted_on.strftime("%d %b %Y"),
        job.closes_on.strftime("%d %b %Y"),
        "How we interview",
        "Live coding round",
        "What happens in the whiteboard round.",
        "1 h 30 min",
        "4 h 45 min",
        f"What we look at: Skill of {job.slug}",
    ]:
        assert text in page, text
    counts = page.split('aria-label="The process in numbers"')[1].split("</ul>")[0]
    assert '1</span><span class="small">live-coding session<' in counts
    assert '1</span><span class="small">whiteboard session<' in counts
    assert '4</span><span class="small">steps before the final round<' in counts
    assert "Sign out" not in page


def test_stages_are_listed_in_plan_order(client, db):
    job = build_job(stages=[("screen", 30), ("behavioral", 60), ("final", 45)])
    page = client.get(url(job)).get_data(as_text=True)
    positions = [page.index(f"{name} round") for name in ("Screen", "Behavioral", "Final")]
    assert positions == sorted(positions)


@pytest.mark.parametrize("status", [JobStatus.DRAFT, JobStatus.CLOSED])
def test_a_job_that_is_not_open_is_not_found(client, db, status):
    job = build_job(status=status)
    assert client.get(url(job)).status_code == 404


def test_unknown_teams_and_jobs_are_not_found(client, db):
    job = build_job()
    other_team = factories.TeamFactory()
    assert client.get(f"/careers/{job.team.slug}/no-such-job").status_code == 404
    assert client.get(f"/careers/no-such-team/{job.slug}").status_code == 404
    assert client.get(f"/careers/{other_team.slug}/{job.slug}").status_code == 404
    assert client.get("/careers/no-such-team").status_code == 404


def test_the_team_page_lists_only_its_open_jobs(client, db):
    job = build_job(title="Payments Engineer")
    hidden = [
        build_job(team=job.team, title="Draft role", status=JobStatus.DRAFT),
        build_job(team=job.team, title="Closed role", status=JobStatus.CLOSED),
        build_job(title="Someone else's role"),
    ]
    page = client.get(f"/careers/{job.team.slug}").get_data(as_text=True)
    assert "Payments Engineer" in page
    assert f'href="{url(job)}"' in page
    for other in hidden:
        assert other.title not in page


def test_a_team_without_open_jobs_says_so(client, db):
    team = factories.TeamFactory(name="Quiet Co")
    assert "Quiet Co has no open positions right now." in client.get(
        f"/careers/{team.slug}"
    ).get_data(as_text=True)


def test_the_preview_shows_a_draft_with_a_banner_and_the_checker(client, auth):
    manager = auth.login("hiring_manager")
    job = build_job(team=manager.team, status=JobStatus.DRAFT, description="Be a rockstar.")
    page = client.get(f"/jobs/{job.id}/preview").get_data(as_text=True)
    assert "Preview." in page and "not public" in page
    assert "How we interview" in page and "rockstar" in page
    assert "Posting check" in page and "Jargon" in page
    assert client.get(url(job)).status_code == 404


def cold_get(client, db, path: str):
    """GET ``path`` rendered, not kept, with the test's rows read afresh."""
    db.session.expire_all()
    forget_kept_pages(client.application)
    return client.get(path)


def test_a_posting_runs_the_same_queries_for_few_or_many_stages(client, db, count_queries):
    small = url(build_job(stages=[("screen", 30)]))
    large = url(build_job(stages=[("live_coding", 60)] * 9))
    with count_queries() as few:
        assert cold_get(client, db, small).status_code == 200
    with count_queries() as many:
        assert cold_get(client, db, large).status_code == 200
    assert few.count == many.count


def test_the_team_page_runs_the_same_queries_for_few_or_many_jobs(client, db, count_queries):
    team = build_job().team
    path = f"/careers/{team.slug}"
    with count_queries() as few:
        assert cold_get(client, db, path).status_code == 200
    for _ in range(6):
        build_job(team=team, stages=[("screen", 30), ("final", 60)])
    with count_queries() as many:
        assert cold_get(client, db, path).status_code == 200
    assert few.count == many.count


def test_postings_that_share_a_title_show_their_location_beside_it(client, db):
    berlin = build_job(title="Backend Developer", location="Berlin")
    build_job(team=berlin.team, title="Backend Developer", location="Lisbon")
    build_job(team=berlin.team, title="Data Engineer", location="Berlin")

    page = client.get(f"/careers/{berlin.team.slug}").get_data(as_text=True)

    for city in ("Berlin", "Lisbon"):
        assert (
            f'Backend Developer<span class="fw-normal text-body-secondary"> · {city}</span></a>'
            in page
        )
    assert "Data Engineer</a>" in page
