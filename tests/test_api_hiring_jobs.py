"""The API's jobs: the job pages' form, rules, messages and roles, with a token."""

from __future__ import annotations

from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.plans.models import Job, JobStatus
from tests import factories
from tests.api_support import bearer


def _manager(**kwargs):
    return factories.UserFactory(role=Role.HIRING_MANAGER, **kwargs)


def _draft(team, **kwargs):
    return factories.JobFactory(team=team, status=JobStatus.DRAFT, **kwargs)


def test_jobs_are_listed_in_pages_and_filtered_by_status(client, db):
    manager = _manager()
    drafts = [_draft(manager.team) for _ in range(3)]
    factories.JobFactory(team=manager.team, status=JobStatus.OPEN)
    factories.JobFactory(title="Another team's job")
    headers = bearer(manager)

    first = client.get("/api/v1/jobs?status=draft&limit=2", headers=headers)
    second = client.get(first.json["next"], headers=headers)

    assert first.status_code == 200
    ids = [job["id"] for job in first.json["items"] + second.json["items"]]
    assert ids == [job.id for job in drafts]
    assert second.json["next"] is None
    assert client.get("/api/v1/jobs?status=lost", headers=headers).status_code == 422


def test_a_job_comes_with_its_plan_in_order_and_its_posting(client, db):
    manager = _manager()
    job = factories.JobFactory(team=manager.team)
    late = factories.PlanStageFactory(team=manager.team, job=job, position=2, name="Design")
    early = factories.PlanStageFactory(team=manager.team, job=job, position=1, name="Screen")
    interviewer = factories.UserFactory(team=manager.team)

    response = client.get(f"/api/v1/jobs/{job.id}", headers=bearer(interviewer))

    assert response.status_code == 200
    assert [stage["id"] for stage in response.json["stages"]] == [early.id, late.id]
    assert response.json["stages"][0]["stage_type"] == "live_coding"
    assert response.json["posting"]["public"] is True
    assert response.json["posting"]["url"].endswith(f"/careers/{manager.team.slug}/{job.slug}")
    assert response.headers["ETag"]


def test_another_teams_job_is_404(client, db):
    manager = _manager()
    theirs = factories.JobFactory()
    headers = bearer(manager)

    assert client.get(f"/api/v1/jobs/{theirs.id}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/jobs/{theirs.id}/close", headers=headers).status_code == 404
    response = client.patch(
        f"/api/v1/jobs/{theirs.id}", json={"title": "Mine"}, headers={**headers, "If-Match": "x"}
    )
    assert response.status_code == 404
    assert db.session.get(Job, theirs.id).title != "Mine"


def test_interviewers_may_read_a_job_but_not_list_or_change_them(client, db):
    interviewer = factories.UserFactory(role=Role.INTERVIEWER)
    job = _draft(interviewer.team)
    headers = bearer(interviewer)

    assert client.get("/api/v1/jobs", headers=headers).status_code == 403
    assert client.post("/api/v1/jobs", json={"title": "X"}, headers=headers).status_code == 403
    assert client.post(f"/api/v1/jobs/{job.id}/open", headers=headers).status_code == 403


def test_a_manager_creates_a_draft_job_with_a_slug_and_an_audit_event(client, db):
    manager = _manager()
    level = factories.LevelFactory(team=manager.team)

    response = client.post(
        "/api/v1/jobs",
        json={"level_id": level.id, "title": "Data Engineer", "location": "Lisbon"},
        headers=bearer(manager, name="HRIS sync"),
    )

    assert response.status_code == 201
    assert response.json["status"] == "draft"
    assert response.json["slug"] == "data-engineer"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.created"))
    assert event.actor_id == manager.id
    assert event.data["api_token"].startswith("HRIS sync")


def test_creating_a_job_refuses_with_the_forms_messages_naming_the_field(client, db):
    manager = _manager()
    level = factories.LevelFactory(team=manager.team)
    headers = bearer(manager)

    def refusal(**values):
        response = client.post(
            "/api/v1/jobs", json={"level_id": level.id, **values}, headers=headers
        )
        assert response.status_code == 422, response.json
        return {error["field"]: error["message"] for error in response.json["errors"]}

    assert refusal(title="") == {"title": "Give the job a title."}
    assert refusal(title="X", employment_type="contract")["contract_months"] == (
        "A contract needs its length in months."
    )
    assert refusal(title="X", salary_min="90000", salary_max="85000")["salary_max"] == (
        "The maximum must not be below the minimum."
    )
    assert refusal(title="X", salary_currency="dollars")["salary_currency"] == (
        "A three-letter code such as USD or EUR."
    )
    band = refusal(title="X", salary_min="10000", salary_max="20000")["salary_min"]
    assert band.startswith("The range is outside the")
    assert db.session.scalar(select(Job).where(Job.team_id == manager.team_id)) is None
    confirmed = client.post(
        "/api/v1/jobs",
        json={
            "level_id": level.id,
            "title": "X",
            "salary_min": "10000",
            "salary_max": "20000",
            "confirm_outside_band": True,
        },
        headers=headers,
    )
    assert confirmed.status_code == 201


def test_a_slug_taken_by_another_job_is_refused(client, db):
    manager = _manager()
    job = _draft(manager.team)

    response = client.post(
        "/api/v1/jobs",
        json={"level_id": job.level_id, "title": "New", "slug": job.slug},
        headers=bearer(manager),
    )

    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "slug", "message": "Another job of the team already has this address."}
    ]


def test_updating_a_job_needs_its_etag_and_keeps_what_is_not_sent(client, db):
    manager = _manager()
    job = _draft(manager.team, location="Berlin")
    headers = bearer(manager)
    path = f"/api/v1/jobs/{job.id}"
    etag = client.get(path, headers=headers).headers["ETag"]

    missing = client.patch(path, json={"title": "Renamed"}, headers=headers)
    stale = client.patch(path, json={"title": "Renamed"}, headers={**headers, "If-Match": '"0"'})
    done = client.patch(path, json={"title": "Renamed"}, headers={**headers, "If-Match": etag})
    again = client.patch(path, json={"title": "Again"}, headers={**headers, "If-Match": etag})

    assert (missing.status_code, stale.status_code) == (428, 412)
    assert missing.mimetype == "application/problem+json"
    assert done.status_code == 200
    assert (done.json["title"], done.json["location"]) == ("Renamed", "Berlin")
    assert done.headers["ETag"] != etag
    assert again.status_code == 412
    assert db.session.get(Job, job.id).title == "Renamed"


def test_an_update_is_refused_with_the_pages_message(client, db):
    manager = _manager()
    job = factories.JobFactory(team=manager.team, status=JobStatus.OPEN)
    headers = bearer(manager)
    path = f"/api/v1/jobs/{job.id}"
    etag = client.get(path, headers=headers).headers["ETag"]

    response = client.patch(path, json={"closes_on": None}, headers={**headers, "If-Match": etag})

    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "closes_on", "message": "An open job needs a closing date."}
    ]


def test_a_job_opens_once_it_may_and_closes(client, db):
    manager = _manager()
    job = _draft(manager.team)
    headers = bearer(manager)

    refused = client.post(f"/api/v1/jobs/{job.id}/open", headers=headers)
    factories.PlanStageFactory(team=manager.team, job=job)
    db.session.commit()
    opened = client.post(f"/api/v1/jobs/{job.id}/open", headers=headers)
    closed = client.post(f"/api/v1/jobs/{job.id}/close", headers=headers)
    closed_again = client.post(f"/api/v1/jobs/{job.id}/close", headers=headers)

    assert refused.status_code == 409
    assert refused.json["detail"].startswith(f"{job.title} cannot open yet: the job has no")
    assert opened.status_code == 200 and opened.json["posting"]["public"] is True
    assert closed.json["status"] == "closed"
    assert closed_again.json["errors"] == [
        {"field": "status", "message": "A closed job cannot be made closed."}
    ]


def test_listing_jobs_takes_the_same_queries_for_3_or_30(client, db, count_queries):
    manager = _manager()
    headers = bearer(manager)

    def count(n: int) -> int:
        for _ in range(n):
            job = _draft(manager.team)
            factories.PlanStageFactory(team=manager.team, job=job)
        db.session.commit()
        client.get("/api/v1/jobs", headers=headers)  # notes the token's use, once a minute
        with count_queries() as counter:
            assert client.get("/api/v1/jobs?limit=200", headers=headers).status_code == 200
        return counter.count

    assert count(3) == count(27)


def test_null_takes_a_jobs_hiring_manager_and_salary_away_as_the_form_does(client, db):
    manager = _manager()
    job = _draft(manager.team, hiring_manager=manager)
    headers = bearer(manager)
    path = f"/api/v1/jobs/{job.id}"
    etag = client.get(path, headers=headers).headers["ETag"]

    response = client.patch(
        path,
        json={"hiring_manager_id": None, "salary_min": None, "description": ""},
        headers={**headers, "If-Match": etag},
    )

    assert response.status_code == 200, response.json
    assert response.json["hiring_manager_id"] is None
    assert response.json["salary_min"] is None
    assert response.json["salary_max"] == 110000
    assert response.json["description"] == ""


def test_jobs_page_stable_under_inserts(client, db):
    manager = _manager()
    for _ in range(3):
        _draft(manager.team)
    db.session.commit()
    headers = bearer(manager)

    first = client.get("/api/v1/jobs?limit=2", headers=headers).json
    _draft(manager.team)
    db.session.commit()
    second = client.get(first["next"], headers=headers).json

    ids = [job["id"] for job in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 4
    assert second["next"] is None
