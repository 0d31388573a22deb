"""Applying a candidate to jobs: one application per job, open jobs with a plan only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates import services
from interviewer.candidates.models import ApplicationStatus
from interviewer.plans.models import JobStatus
from tests import factories


def job_with_plan(team, title="Senior Backend Developer", **fields):
    job = factories.JobFactory(team=team, title=title, **fields)
    for position, name in enumerate(("Screen", "Live coding"), start=1):
        factories.PlanStageFactory(team=team, job=job, position=position, name=name)
    return job


def apply(client, candidate, job):
    return client.post(
        f"/candidates/{candidate.id}/applications", data={"job": str(job.id)}, follow_redirects=True
    )


def test_a_candidate_applies_to_several_jobs(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team, name="Kenji Watanabe")
    backend = job_with_plan(manager.team)
    platform = job_with_plan(manager.team, title="Platform Engineer", status=JobStatus.DRAFT)

    apply(client, candidate, backend)
    response = apply(client, candidate, platform)

    html = response.get_data(as_text=True)
    assert "Kenji Watanabe applied to Platform Engineer at Screen." in html
    assert {a.job for a in candidate.applications} == {backend, platform}
    for application in candidate.applications:
        assert application.status is ApplicationStatus.ACTIVE
        assert application.current_stage.name == "Screen"
        assert application.team_id == manager.team_id
    assert "Senior Backend Developer" in html and "Platform Engineer" in html


def test_applying_twice_to_the_same_job_is_refused_with_a_message(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team, name="Kenji Watanabe")
    job = job_with_plan(manager.team)
    apply(client, candidate, job)

    response = apply(client, candidate, job)

    assert response.status_code == 200
    assert (
        "Kenji Watanabe has already applied to Senior Backend Developer (Screen, active)."
        in response.get_data(as_text=True)
    )
    assert len(candidate.applications) == 1


def test_applying_without_choosing_a_job_asks_for_one(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team)
    job_with_plan(manager.team)

    response = client.post(f"/candidates/{candidate.id}/applications", data={"job": ""})

    assert "Choose a job." in response.get_data(as_text=True)


def test_a_closed_job_takes_no_application(db):
    job = job_with_plan(factories.TeamFactory(), status=JobStatus.CLOSED)
    candidate = factories.CandidateFactory(team=job.team)

    with pytest.raises(services.ApplicationError, match="is closed; reopen the job"):
        services.apply_to_job(db.session, candidate, job, None)
    assert candidate.applications == []


def test_a_closed_job_is_not_offered_to_apply_to(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team)
    job_with_plan(manager.team, title="Open role")
    closed = job_with_plan(manager.team, title="Closed role", status=JobStatus.CLOSED)

    page = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    response = apply(client, candidate, closed)

    assert "Open role" in page and "Closed role" not in page
    assert "Not a valid choice." in response.get_data(as_text=True)
    assert candidate.applications == []


def test_another_teams_job_cannot_be_applied_to(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team)
    foreign = job_with_plan(factories.TeamFactory())

    response = apply(client, candidate, foreign)

    assert "Not a valid choice." in response.get_data(as_text=True)
    assert candidate.applications == []


def test_another_teams_candidate_cannot_be_applied(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory()
    job = job_with_plan(manager.team)

    response = client.post(f"/candidates/{candidate.id}/applications", data={"job": str(job.id)})

    assert response.status_code == 404
    assert candidate.applications == []


def test_an_interviewer_cannot_apply_a_candidate(client, auth):
    interviewer = auth.login(Role.INTERVIEWER)
    candidate = factories.CandidateFactory(team=interviewer.team)
    job = job_with_plan(interviewer.team)

    response = client.post(f"/candidates/{candidate.id}/applications", data={"job": str(job.id)})

    assert response.status_code == 403
    assert candidate.applications == []


def test_applying_is_recorded_and_shown_in_the_history(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER, name="Dana Manager")
    candidate = factories.CandidateFactory(team=manager.team)
    job = job_with_plan(manager.team)

    html = apply(client, candidate, job).get_data(as_text=True)

    [application] = candidate.applications
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.subject_type == "application", AuditEvent.subject_id == application.id
        )
    )
    assert (event.action, event.actor) == ("application.created", manager)
    assert "Applied to Senior Backend Developer, starting at Screen" in html
    assert "Dana Manager · <time" in html


def test_a_candidate_without_applications_is_invited_to_apply(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team)
    job_with_plan(manager.team)

    html = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)

    assert "Not applied to any job yet." in html
    assert "Apply to job" in html
