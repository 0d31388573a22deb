"""Jobs: creating and editing a posting, its validation, and who may do what."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.plans.models import EmploymentType, Job, JobStatus
from tests import factories

TODAY = date.today()


@pytest.fixture
def manager(auth):
    return auth.login("hiring_manager")


@pytest.fixture
def level(manager):
    return factories.LevelFactory(
        team=manager.team, name="Senior", salary_min=Decimal(90000), salary_max=Decimal(180000)
    )


def form_data(level, **overrides) -> dict:
    data = {
        "level_id": level.id,
        "title": "Senior Backend Developer",
        "slug": "",
        "description": "You will build and run the services behind our product.",
        "location": "Berlin",
        "workplace": "hybrid",
        "employment_type": "employee",
        "contract_months": "",
        "salary_min": "100000",
        "salary_max": "150000",
        "salary_currency": "USD",
        "posted_on": TODAY.isoformat(),
        "closes_on": (TODAY + timedelta(days=30)).isoformat(),
        "hiring_manager_id": "0",
    }
    data.update(overrides)
    return data


def input_value(page: str, name: str) -> str | None:
    """The value of the ``<input>`` named ``name`` in ``page``."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    value = re.search(r'\bvalue="([^"]*)"', tag.group()) if tag else None
    return value.group(1) if value else None


def jobs_of(db, team) -> list[Job]:
    return list(db.session.scalars(select(Job).where(Job.team_id == team.id)))


def audit_actions(db, job) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_type == "job", AuditEvent.subject_id == job.id)
            .order_by(AuditEvent.id)
        )
    )


# Creating ----------


def test_a_manager_creates_a_draft_job_with_a_slug_from_its_title(client, db, manager, level):
    response = client.post("/jobs/new", data=form_data(level, hiring_manager_id=manager.id))
    (job,) = jobs_of(db, manager.team)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert (job.slug, job.status, job.level, job.hiring_manager) == (
        "senior-backend-developer",
        JobStatus.DRAFT,
        level,
        manager,
    )
    assert (job.salary_min, job.salary_max, job.salary_currency) == (100000, 150000, "USD")
    assert audit_actions(db, job) == ["job.created"]


def test_the_checker_reports_after_saving(client, db, manager, level):
    data = form_data(level, description="We want a coding ninja.")
    page = client.post("/jobs/new", data=data, follow_redirects=True).get_data(as_text=True)
    assert "The posting checker found 2 errors: see the posting check." in page
    assert "Jargon" in page and "ninja" in page
    assert "signals a narrow, in-group culture" in page


def test_a_new_job_starts_from_the_chosen_levels_band(client, manager, level):
    factories.LevelFactory(team=manager.team, position=0, salary_min=1, salary_max=2)
    page = client.get(f"/jobs/new?level_id={level.id}").get_data(as_text=True)
    assert (input_value(page, "salary_min"), input_value(page, "salary_max")) == ("90000", "180000")
    assert "Senior band: 90,000–180,000 USD." in page
    assert input_value(page, "posted_on") == TODAY.isoformat()
    assert input_value(page, "closes_on") == (TODAY + timedelta(days=30)).isoformat()


def test_a_new_job_without_levels_says_to_add_them_first(client, manager):
    page = client.get("/jobs/new").get_data(as_text=True)
    assert "there is no level yet" in page
    assert 'name="title"' not in page


def test_amounts_may_be_written_as_people_write_them(client, db, manager, level):
    client.post("/jobs/new", data=form_data(level, salary_min="95,000", salary_max="140k"))
    (job,) = jobs_of(db, manager.team)
    assert (job.salary_min, job.salary_max) == (95000, 140000)


def test_a_generated_slug_avoids_the_teams_other_jobs_only(client, db, manager, level):
    factories.JobFactory(team=manager.team, level=level, slug="senior-backend-developer")
    factories.JobFactory(slug="senior-backend-developer-2")  # another team's
    client.post("/jobs/new", data=form_data(level))
    slugs = sorted(job.slug for job in jobs_of(db, manager.team))
    assert slugs == ["senior-backend-developer", "senior-backend-developer-2"]


def test_a_slug_already_used_in_the_team_is_refused_on_its_field(client, db, manager, level):
    factories.JobFactory(team=manager.team, level=level, slug="backend")
    response = client.post("/jobs/new", data=form_data(level, slug="backend"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another job of the team already has this address." in page
    assert len(jobs_of(db, manager.team)) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closes_on": TODAY.isoformat()}, "The closing date must come after the posting date."),
        ({"employment_type": "contract"}, "A contract needs its length in months."),
        ({"salary_min": "150000", "salary_max": "100000"}, "must not be below the minimum"),
        ({"slug": "Not a Slug"}, "Use lower-case letters, digits and single hyphens."),
        ({"salary_min": "lots"}, "Enter an amount such as 90000 or 90k."),
        ({"title": "  "}, "Give the job a title."),
    ],
)
def test_invalid_postings_are_refused_with_the_input_kept(
    client, db, manager, level, overrides, message
):
    data = form_data(level, description="Kept after a failed submit.", **overrides)
    response = client.post("/jobs/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "invalid-feedback" in page
    assert "Kept after a failed submit." in page
    assert jobs_of(db, manager.team) == []


def test_a_contract_with_its_length_is_saved(client, db, manager, level):
    client.post("/jobs/new", data=form_data(level, employment_type="contract", contract_months=6))
    (job,) = jobs_of(db, manager.team)
    assert (job.employment_type, job.contract_months) == (EmploymentType.CONTRACT, 6)


def test_a_range_outside_the_band_asks_for_confirmation(client, db, manager, level):
    data = form_data(level, salary_min="150000", salary_max="200000")
    page = client.post("/jobs/new", data=data).get_data(as_text=True)
    assert "The range is outside the Senior band of 90,000–180,000 USD." in page
    assert 'name="confirm_outside_band"' in page
    assert jobs_of(db, manager.team) == []

    client.post("/jobs/new", data={**data, "confirm_outside_band": "y"})
    (job,) = jobs_of(db, manager.team)
    assert job.salary_max == 200000


def test_a_range_in_another_currency_than_the_band_asks_for_confirmation(client, manager, level):
    page = client.post("/jobs/new", data=form_data(level, salary_currency="eur")).get_data(
        as_text=True
    )
    assert "The Senior band is in USD" in page and "not EUR" in page


def test_a_hiring_manager_of_another_team_cannot_be_chosen(client, db, manager, level):
    stranger = factories.UserFactory(role="hiring_manager")
    response = client.post("/jobs/new", data=form_data(level, hiring_manager_id=stranger.id))
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert jobs_of(db, manager.team) == []


# Editing ----------


def test_editing_shows_the_job_and_records_what_changed(client, db, manager, level):
    job = factories.JobFactory(team=manager.team, level=level, status=JobStatus.DRAFT)
    page = client.get(f"/jobs/{job.id}/edit").get_data(as_text=True)
    assert (input_value(page, "title"), input_value(page, "salary_min")) == (job.title, "90000")

    data = form_data(level, title="Staff Backend Developer", slug=job.slug)
    response = client.post(f"/jobs/{job.id}/edit", data=data)
    assert response.status_code == 302
    assert job.title == "Staff Backend Developer"
    assert audit_actions(db, job) == ["job.updated"]
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.subject_type == "job", AuditEvent.subject_id == job.id)
    )
    assert "title" in event.data["fields"] and "level_id" not in event.data["fields"]


def test_an_open_job_keeps_both_ends_of_its_salary_range(client, manager, level):
    job = factories.JobFactory(team=manager.team, level=level, status=JobStatus.OPEN)
    data = form_data(level, slug=job.slug, salary_max="")
    page = client.post(f"/jobs/{job.id}/edit", data=data).get_data(as_text=True)
    assert "An open job needs both ends of its salary range." in page
    assert job.salary_max == 110000


# Roles and teams ----------


def test_an_interviewer_reads_a_job_but_cannot_change_it(client, db, auth):
    interviewer = auth.login("interviewer")
    job = factories.JobFactory(team=interviewer.team, status=JobStatus.DRAFT)
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200
    assert job.title in page.get_data(as_text=True)
    assert "Edit" not in page.get_data(as_text=True)
    assert "Posting check" not in page.get_data(as_text=True)
    for method, url in [
        ("get", "/jobs/new"),
        ("post", "/jobs/new"),
        ("get", f"/jobs/{job.id}/edit"),
        ("post", f"/jobs/{job.id}/edit"),
        ("get", f"/jobs/{job.id}/preview"),
        ("post", f"/jobs/{job.id}/open"),
        ("post", f"/jobs/{job.id}/close"),
        ("get", "/jobs"),
    ]:
        assert getattr(client, method)(url).status_code == 403, url
    assert job.status == JobStatus.DRAFT


@pytest.mark.parametrize("role", ["interviewer", "hiring_manager", "admin"])
def test_another_teams_job_is_not_found(client, auth, role):
    auth.login(role)
    job = factories.JobFactory(status=JobStatus.DRAFT)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    if role != "interviewer":
        for method, url in [
            ("get", f"/jobs/{job.id}/edit"),
            ("post", f"/jobs/{job.id}/edit"),
            ("get", f"/jobs/{job.id}/preview"),
            ("post", f"/jobs/{job.id}/open"),
            ("post", f"/jobs/{job.id}/close"),
        ]:
            assert getattr(client, method)(url).status_code == 404, url
    assert job.status == JobStatus.DRAFT


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    job = factories.JobFactory()
    response = client.get(f"/jobs/{job.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("field", ["salary_min", "salary_max"])
def test_a_salary_that_is_not_a_number_gets_one_message(client, db, manager, level, field):
    page = client.post("/jobs/new", data=form_data(level, **{field: "lots"})).get_data(as_text=True)
    messages = re.findall(r'<div class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', page, re.S)
    assert [message.strip() for message in messages] == ["Enter an amount such as 90000 or 90k."]
    assert jobs_of(db, manager.team) == []


def test_a_job_titled_like_another_open_job_asks_for_a_location_that_tells_them_apart(
    client, db, manager, level
):
    factories.JobFactory(
        team=manager.team, level=level, title="Senior Backend Developer", location="Berlin"
    )

    page = client.post(
        "/jobs/new", data=form_data(level, title="senior backend  developer", location="berlin ")
    ).get_data(as_text=True)

    message = (
        "The open job “Senior Backend Developer” (Berlin) has this title too: give this one a "
        "location that tells them apart, or name its team in the title."
    )
    feedback = re.search(
        r'name="location"[^>]*>\s*<div class="invalid-feedback[^>]*>([^<]*)<', page
    )
    assert feedback and feedback.group(1) == message
    assert len(jobs_of(db, manager.team)) == 1

    client.post(
        "/jobs/new", data=form_data(level, title="Senior Backend Developer", location="Lisbon")
    )
    assert sorted(job.location for job in jobs_of(db, manager.team)) == ["Berlin", "Lisbon"]


def test_a_title_shared_only_with_drafts_and_closed_jobs_is_fine(client, db, manager, level):
    for status in (JobStatus.DRAFT, JobStatus.CLOSED):
        factories.JobFactory(
            team=manager.team, status=status, title="Senior Backend Developer", location="Berlin"
        )
    factories.JobFactory(title="Senior Backend Developer", location="Berlin")  # another team

    response = client.post("/jobs/new", data=form_data(level))

    assert response.status_code == 302
    assert len(jobs_of(db, manager.team)) == 3


def test_an_open_job_saved_again_is_not_its_own_twin(client, db, manager, level):
    job = factories.JobFactory(
        team=manager.team, level=level, title="Senior Backend Developer", location="Berlin"
    )

    response = client.post(f"/jobs/{job.id}/edit", data=form_data(level, slug=job.slug))

    assert response.status_code == 302
