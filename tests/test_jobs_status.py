"""Opening and closing a job: full coverage and an honest posting come first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.plans.models import EmploymentType, JobStatus
from tests import factories


@pytest.fixture
def manager(auth):
    return auth.login("hiring_manager")


@pytest.fixture
def skills(manager):
    names = ("API design", "Testing")
    return {name: factories.SkillFactory(team=manager.team, name=name) for name in names}


@pytest.fixture
def job(manager, skills):
    """A draft whose level expects API design and Testing; one stage assesses API design."""
    team = manager.team
    job = factories.JobFactory(team=team, status=JobStatus.DRAFT, posted_on=None)
    for skill in skills.values():
        factories.ExpectationFactory(team=team, level=job.level, skill=skill, proficiency=2)
    stage = factories.PlanStageFactory(team=team, job=job, position=1)
    stage.focus_skills.append(skills["API design"])
    return job


@pytest.fixture
def cover_everything(db, skills):
    def cover(job) -> None:
        job.stages[0].focus_skills.append(skills["Testing"])
        db.session.flush()

    return cover


def actions(db, job) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_type == "job", AuditEvent.subject_id == job.id)
            .order_by(AuditEvent.id)
        )
    )


def test_a_job_with_an_uncovered_skill_cannot_open_and_the_message_names_it(client, db, job):
    response = client.post(f"/jobs/{job.id}/open", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "cannot open yet: no stage assesses Testing." in page
    assert "API design" not in page.split("cannot open yet")[1].split(".")[0]
    assert job.status == JobStatus.DRAFT
    assert actions(db, job) == []


def test_the_job_page_lists_what_keeps_it_from_opening(client, job):
    job.closes_on = None
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Before it can open:" in page
    assert "No stage assesses Testing." in page
    assert "The posting has no closing date." in page


def test_a_covered_job_opens_on_the_day_it_is_posted(client, db, manager, job, cover_everything):
    cover_everything(job)
    response = client.post(f"/jobs/{job.id}/open", follow_redirects=True)
    assert "is open: its posting is public." in response.get_data(as_text=True)
    assert job.status == JobStatus.OPEN
    assert job.posted_on == date.today()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.opened"))
    assert (event.subject_id, event.actor_id, event.data) == (
        job.id,
        manager.id,
        {"previous": "draft"},
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"salary_max": None}, "the posting has no salary range with both ends"),
        ({"salary_min": None, "salary_max": None}, "the posting has no salary range"),
        ({"closes_on": None}, "the posting has no closing date"),
        ({"closes_on": date.today()}, "the closing date is not in the future"),
        ({"employment_type": EmploymentType.CONTRACT}, "the contract has no length"),
    ],
)
def test_an_open_posting_must_state_salary_dates_and_contract_length(
    client, job, cover_everything, fields, message
):
    cover_everything(job)
    for name, value in fields.items():
        setattr(job, name, value)
    page = client.post(f"/jobs/{job.id}/open", follow_redirects=True).get_data(as_text=True)
    assert message in page
    assert job.status == JobStatus.DRAFT


def test_a_job_without_a_plan_cannot_open(client, db, manager):
    job = factories.JobFactory(team=manager.team, status=JobStatus.DRAFT)
    page = client.post(f"/jobs/{job.id}/open", follow_redirects=True).get_data(as_text=True)
    assert "the job has no interview plan yet" in page
    assert job.status == JobStatus.DRAFT


def test_an_open_job_closes_and_may_reopen(client, db, job, cover_everything):
    cover_everything(job)
    client.post(f"/jobs/{job.id}/open")
    page = client.post(f"/jobs/{job.id}/close", follow_redirects=True).get_data(as_text=True)
    assert "is closed: its posting is no longer public." in page
    assert job.status == JobStatus.CLOSED
    client.post(f"/jobs/{job.id}/open")
    assert job.status == JobStatus.OPEN
    assert actions(db, job) == ["job.opened", "job.closed", "job.opened"]


def test_a_draft_cannot_be_closed(client, db, job):
    page = client.post(f"/jobs/{job.id}/close", follow_redirects=True).get_data(as_text=True)
    assert "A draft job cannot be made closed." in page
    assert job.status == JobStatus.DRAFT


def test_a_posting_date_after_the_opening_day_becomes_the_opening_day(
    client, job, cover_everything
):
    cover_everything(job)
    job.posted_on = date.today() + timedelta(days=3)
    job.closes_on = date.today() + timedelta(days=20)
    client.post(f"/jobs/{job.id}/open")
    assert job.posted_on == date.today()


def test_the_open_job_page_links_to_its_public_page(client, manager, job, cover_everything):
    cover_everything(job)
    client.post(f"/jobs/{job.id}/open")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f'href="/careers/{manager.team.slug}/{job.slug}"' in page
    assert "Close job" in page and "Open job" not in page


def test_a_draft_cannot_open_beside_an_open_job_of_the_same_title_and_location(
    client, db, job, cover_everything
):
    cover_everything(job)
    twin = factories.JobFactory(team=job.team, title=job.title, location=job.location)

    page = client.post(f"/jobs/{job.id}/open", follow_redirects=True).get_data(as_text=True)

    assert f"the open job “{twin.title}” has the same title and location" in page
    assert job.status == JobStatus.DRAFT
    job.location = "Lisbon"
    client.post(f"/jobs/{job.id}/open")
    assert job.status == JobStatus.OPEN
