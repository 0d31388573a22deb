"""The API's candidates and applications: the candidate pages' and the board's rules,
messages and roles, with a token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.db import utcnow
from interviewer.mail.models import OutboxEmail
from interviewer.plans.models import JobStatus
from interviewer.scheduling.models import Interview, InterviewStatus
from tests import factories
from tests.api_support import bearer


def _manager(**kwargs):
    return factories.UserFactory(role=Role.HIRING_MANAGER, **kwargs)


def _job_with_plan(team, *names: str):
    job = factories.JobFactory(team=team)
    stages = [
        factories.PlanStageFactory(team=team, job=job, position=n, name=name)
        for n, name in enumerate(names or ("Screen", "Design"), start=1)
    ]
    return job, stages


def _application(team, **kwargs):
    job, stages = _job_with_plan(team)
    return factories.ApplicationFactory(team=team, job=job, current_stage=stages[0], **kwargs)


def _erase(candidate) -> None:
    candidate.name = f"Erased candidate #{candidate.id}"
    candidate.email = f"erased-candidate-{candidate.id}"
    candidate.phone, candidate.links, candidate.notes = "", "", ""
    candidate.erased_at = utcnow()


# Candidates ---------------------------------------------------------------------------------


def test_a_manager_adds_a_candidate_and_the_audit_event_names_the_token(client, db):
    manager = _manager()

    response = client.post(
        "/api/v1/candidates",
        json={
            "name": " Ada Lovelace ",
            "email": "Ada@Example.org",
            "links": ["https://ada.example.org"],
            "source": "Referral",
        },
        headers=bearer(manager, name="ATS import"),
    )

    assert response.status_code == 201
    body = response.json
    assert (body["name"], body["email"], body["links"]) == (
        "Ada Lovelace",
        "ada@example.org",
        ["https://ada.example.org"],
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "candidate.created"))
    assert event.data["api_token"].startswith("ATS import")


def test_a_known_email_brings_back_the_candidate_as_the_page_opens_them(client, db):
    manager = _manager()
    known = factories.CandidateFactory(team=manager.team, email="ada@example.org")

    response = client.post(
        "/api/v1/candidates",
        json={"name": "Someone else", "email": "ADA@example.org"},
        headers=bearer(manager),
    )

    assert response.status_code == 200
    assert (response.json["id"], response.json["name"]) == (known.id, known.name)


def test_adding_a_candidate_refuses_with_the_forms_messages(client, db):
    manager = _manager()
    headers = bearer(manager)

    def errors(**values):
        response = client.post("/api/v1/candidates", json=values, headers=headers)
        assert response.status_code == 422, response.json
        return {error["field"]: error["message"] for error in response.json["errors"]}

    assert errors(email="ada@example.org") == {"name": "Enter the candidate’s name."}
    assert errors(name="Ada")["email"] == "Enter the candidate’s email address."
    assert "links" in errors(name="Ada", email="ada@example.org", links=["javascript:x"])
    assert "source" in errors(name="Ada", email="ada@example.org", source="Nowhere")
    assert db.session.scalar(select(Candidate).where(Candidate.team_id == manager.team_id)) is None


def test_editing_a_candidate_needs_the_etag_and_refuses_anothers_email(client, db):
    manager = _manager()
    candidate = factories.CandidateFactory(team=manager.team, phone="123")
    other = factories.CandidateFactory(team=manager.team, email="taken@example.org")
    headers = bearer(manager)
    path = f"/api/v1/candidates/{candidate.id}"
    etag = client.get(path, headers=headers).headers["ETag"]

    missing = client.patch(path, json={"name": "New"}, headers=headers)
    stale = client.patch(path, json={"name": "New"}, headers={**headers, "If-Match": '"0"'})
    taken = client.patch(
        path, json={"email": "TAKEN@example.org"}, headers={**headers, "If-Match": etag}
    )
    done = client.patch(path, json={"name": "New"}, headers={**headers, "If-Match": etag})

    assert (missing.status_code, stale.status_code) == (428, 412)
    assert taken.status_code == 422
    assert taken.json["errors"] == [
        {"field": "email", "message": f"{other.name} already uses this email."}
    ]
    assert done.status_code == 200
    assert (done.json["name"], done.json["phone"]) == ("New", "123")


def test_an_erased_candidate_shows_no_identity_and_cannot_be_edited(client, db):
    manager = _manager()
    application = _application(manager.team)
    candidate = application.candidate
    _erase(candidate)
    db.session.commit()
    headers = bearer(manager)
    path = f"/api/v1/candidates/{candidate.id}"

    shown = client.get(path, headers=headers)
    edited = client.patch(
        path, json={"name": "Back"}, headers={**headers, "If-Match": shown.headers["ETag"]}
    )
    listed = client.get("/api/v1/applications", headers=headers).json["items"]

    assert shown.json["email"] is None and shown.json["erased"] is True
    assert shown.json["name"] == f"Erased candidate #{candidate.id}"
    assert edited.status_code == 409
    assert edited.json["detail"] == "This candidate's data was erased; it cannot be edited."
    assert listed[0]["candidate_name"] == f"Erased candidate #{candidate.id}"


def test_candidates_are_for_managers_and_their_own_team(client, db):
    interviewer = factories.UserFactory(role=Role.INTERVIEWER)
    manager = _manager()
    theirs = _application(factories.TeamFactory())
    mine = _application(interviewer.team)
    refused = bearer(interviewer)
    headers = bearer(manager)

    for path in (
        "/api/v1/candidates",
        f"/api/v1/candidates/{mine.candidate_id}",
        "/api/v1/applications",
        f"/api/v1/applications/{mine.id}",
    ):
        assert client.get(path, headers=refused).status_code == 403
    assert (
        client.post(f"/api/v1/applications/{mine.id}/moves", json={}, headers=refused).status_code
        == 403
    )
    assert (
        client.get(f"/api/v1/candidates/{theirs.candidate_id}", headers=headers).status_code == 404
    )
    assert client.get(f"/api/v1/applications/{theirs.id}", headers=headers).status_code == 404
    moved = client.post(
        f"/api/v1/applications/{theirs.id}/moves", json={"move": "advance"}, headers=headers
    )
    assert moved.status_code == 404
    applied = client.post(
        "/api/v1/applications",
        json={"candidate_id": theirs.candidate_id, "job_id": theirs.job_id},
        headers=headers,
    )
    assert applied.status_code == 404


def test_candidates_page_by_cursor_stable_under_inserts(client, db):
    manager = _manager()
    for _ in range(4):
        factories.CandidateFactory(team=manager.team)
    db.session.commit()
    headers = bearer(manager)

    first = client.get("/api/v1/candidates?limit=2", headers=headers).json
    factories.CandidateFactory(team=manager.team)
    db.session.commit()
    rest = client.get(first["next"], headers=headers).json
    while rest["next"]:
        rest["items"] += client.get(rest["next"], headers=headers).json["items"]
        rest["next"] = None

    ids = [c["id"] for c in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 5


def test_listing_candidates_takes_the_same_queries_for_3_or_30(client, db, count_queries):
    manager = _manager()
    headers = bearer(manager)

    def count(n: int) -> int:
        for _ in range(n):
            _application(manager.team)
        db.session.commit()
        client.get("/api/v1/candidates", headers=headers)  # notes the token's use
        with count_queries() as counter:
            assert client.get("/api/v1/candidates?limit=200", headers=headers).status_code == 200
        return counter.count

    assert count(3) == count(27)


# Applications -------------------------------------------------------------------------------


def test_applying_a_candidate_starts_them_at_the_first_stage(client, db):
    manager = _manager()
    job, stages = _job_with_plan(manager.team)
    candidate = factories.CandidateFactory(team=manager.team)
    headers = bearer(manager)

    response = client.post(
        "/api/v1/applications",
        json={"candidate_id": candidate.id, "job_id": job.id},
        headers=headers,
    )
    again = client.post(
        "/api/v1/applications",
        json={"candidate_id": candidate.id, "job_id": job.id},
        headers=headers,
    )

    assert response.status_code == 201
    assert response.json["current_stage_id"] == stages[0].id
    assert response.json["status"] == "active"
    assert [m["move"] for m in response.json["moves"]] == [
        "advance",
        "hold",
        "reject",
        "withdraw",
    ]
    assert again.status_code == 409
    assert again.json["errors"] == [
        {
            "field": "job_id",
            "message": f"{candidate.name} has already applied to {job.title} "
            f"({stages[0].name}, active).",
        }
    ]


def test_applying_to_a_closed_job_or_one_without_a_plan_is_refused(client, db):
    manager = _manager()
    closed = factories.JobFactory(team=manager.team, status=JobStatus.CLOSED)
    no_plan = factories.JobFactory(team=manager.team)
    candidate = factories.CandidateFactory(team=manager.team)
    headers = bearer(manager)

    def detail(job):
        response = client.post(
            "/api/v1/applications",
            json={"candidate_id": candidate.id, "job_id": job.id},
            headers=headers,
        )
        assert response.status_code == 409
        return response.json["detail"]

    assert detail(closed) == f"{closed.title} is closed; reopen the job to add candidates."
    assert detail(no_plan).startswith(f"{no_plan.title} has no interview plan yet")


def test_an_application_moves_along_the_plan_with_the_boards_reasons(client, db):
    manager = _manager()
    application = _application(manager.team)
    stages = list(application.job.stages)
    db.session.commit()
    headers = bearer(manager)
    path = f"/api/v1/applications/{application.id}/moves"

    def move(**body):
        return client.post(path, json=body, headers=headers)

    advanced = move(move="advance", note="Strong screen")
    back_without = move(move="back")
    back = move(move="back", reason="Panel asked for a second screen")
    first_back = move(move="back", reason="Again")
    reject_off_list = move(move="reject", reason="Bad vibes")
    rejected = move(move="reject", reason="Position filled")
    held = move(move="hold")

    assert advanced.status_code == 200 and advanced.json["current_stage_id"] == stages[1].id
    assert back_without.status_code == 422
    assert back_without.json["errors"] == [
        {"field": "reason", "message": "Say why the application moves back."}
    ]
    assert back.json["current_stage_id"] == stages[0].id
    assert first_back.status_code == 409
    assert first_back.json["errors"][0]["field"] == "move"
    assert first_back.json["detail"].endswith("there is no stage before it.")
    assert reject_off_list.status_code == 422
    assert reject_off_list.json["errors"] == [{"field": "reason", "message": "Not a valid choice."}]
    assert rejected.json["status"] == "rejected"
    assert rejected.json["exit_reason"] == "Position filled"
    assert rejected.json["moves"][0]["move"] == "reopen"
    assert held.status_code == 409
    assert held.json["detail"] == "A rejected application cannot be put on hold."
    assert move().json["errors"] == [{"field": "move", "message": "Choose a move."}]
    assert move(move="teleport").status_code == 422
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "application.moved")
    ).all()
    assert len(events) == 3 and all("api_token" in event.data for event in events)


def test_applications_are_filtered_by_job_stage_status_and_updated_since(client, db):
    manager = _manager()
    first = _application(manager.team)
    second = _application(manager.team, status=ApplicationStatus.ON_HOLD)
    old = datetime(2026, 1, 1, tzinfo=UTC)
    first.updated_at = old
    db.session.commit()
    headers = bearer(manager)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/applications?{query}", headers=headers)
        assert response.status_code == 200, response.json
        return [row["id"] for row in response.json["items"]]

    assert ids("") == [first.id, second.id]
    assert ids(f"job={second.job_id}") == [second.id]
    assert ids(f"stage={first.current_stage_id}") == [first.id]
    assert ids("status=on_hold") == [second.id]
    since = (old + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert ids(f"updated_since={since}") == [second.id]
    naive = client.get("/api/v1/applications?updated_since=2026-01-02T00:00:00", headers=headers)
    assert naive.status_code == 422
    assert naive.json["errors"][0]["field"] == "updated_since"


def test_applications_page_stable_under_inserts(client, db):
    manager = _manager()
    for _ in range(3):
        _application(manager.team)
    db.session.commit()
    headers = bearer(manager)

    first = client.get("/api/v1/applications?limit=2", headers=headers).json
    _application(manager.team)
    db.session.commit()
    second = client.get(first["next"], headers=headers).json

    ids = [row["id"] for row in first["items"] + second["items"]]
    everyone = db.session.scalars(
        select(Application.id).where(Application.team_id == manager.team_id)
    ).all()
    assert len(ids) == len(set(ids)) == 4
    assert sorted(ids) == sorted(everyone)


def test_listing_applications_takes_the_same_queries_for_3_or_30(client, db, count_queries):
    manager = _manager()
    headers = bearer(manager)

    def count(n: int) -> int:
        for _ in range(n):
            _application(manager.team)
        db.session.commit()
        client.get("/api/v1/applications", headers=headers)  # notes the token's use
        with count_queries() as counter:
            assert client.get("/api/v1/applications?limit=200", headers=headers).status_code == 200
        return counter.count

    assert count(3) == count(27)


def test_blind_review_hides_from_the_api_whom_the_pages_hide_it_from(client, db):
    """Blind first review hides a screen's candidate from interviewers: the API, like the
    board and the candidate page, is closed to them; managers see the name there, so here."""
    manager = _manager()
    manager.team.blind_first_review = True
    job = factories.JobFactory(team=manager.team)
    screen_type = factories.StageTypeFactory(team=manager.team, key="screen")
    screen = factories.PlanStageFactory(team=manager.team, job=job, stage_type=screen_type)
    application = factories.ApplicationFactory(
        team=manager.team, job=job, current_stage=screen, candidate__name="Grace Hopper"
    )
    interviewer = factories.UserFactory(team=manager.team, role=Role.INTERVIEWER)
    db.session.commit()
    hidden = bearer(interviewer)

    for path in (
        f"/api/v1/applications/{application.id}",
        f"/api/v1/candidates/{application.candidate_id}",
        f"/api/v1/applications?job={job.id}",
        "/api/v1/candidates",
    ):
        response = client.get(path, headers=hidden)
        assert response.status_code == 403
        assert "Grace" not in response.get_data(as_text=True)
    shown = client.get(f"/api/v1/applications/{application.id}", headers=bearer(manager))
    assert shown.json["candidate_name"] == "Grace Hopper"


def test_interviewers_cannot_add_edit_apply_or_move(client, db):
    interviewer = factories.UserFactory(role=Role.INTERVIEWER)
    application = _application(interviewer.team)
    db.session.commit()
    headers = bearer(interviewer)
    candidate_path = f"/api/v1/candidates/{application.candidate_id}"

    responses = [
        client.post("/api/v1/candidates", json={"name": "A", "email": "a@b.org"}, headers=headers),
        client.patch(candidate_path, json={"name": "B"}, headers={**headers, "If-Match": "*"}),
        client.post(
            "/api/v1/applications",
            json={"candidate_id": application.candidate_id, "job_id": application.job_id},
            headers=headers,
        ),
        client.post(
            f"/api/v1/applications/{application.id}/moves",
            json={"move": "advance"},
            headers=headers,
        ),
    ]

    assert [response.status_code for response in responses] == [403] * 4
    assert db.session.get(Application, application.id).current_stage_id == (
        application.current_stage_id
    )


def test_a_read_only_token_cannot_write(client, db):
    manager = _manager()
    response = client.post(
        "/api/v1/candidates",
        json={"name": "Ada", "email": "ada@example.org"},
        headers=bearer(manager, "read"),
    )
    assert response.status_code == 403
    assert response.json["detail"] == "This token does not carry the 'write' scope."


def test_a_rejection_cancels_the_interviews_to_come_and_sends_the_email_as_asked(client, db):
    manager = _manager()
    kept, cancelled = _application(manager.team), _application(manager.team)
    booked = {
        app.id: factories.InterviewFactory(
            team=manager.team, application=app, plan_stage=app.current_stage
        )
        for app in (kept, cancelled)
    }
    db.session.commit()
    headers = bearer(manager)

    def reject(application, **options):
        response = client.post(
            f"/api/v1/applications/{application.id}/moves",
            json={"move": "reject", "reason": "Position filled", **options},
            headers=headers,
        )
        assert response.status_code == 200, response.json
        return response

    reject(cancelled, email="send")
    reject(kept, cancel_interviews=False)

    status = {
        app_id: db.session.get(Interview, interview.id).status
        for app_id, interview in booked.items()
    }
    assert status[cancelled.id] == InterviewStatus.CANCELLED
    assert status[kept.id] != InterviewStatus.CANCELLED
    emailed = {e.to_email for e in db.session.scalars(select(OutboxEmail)).all()}
    assert cancelled.candidate.email in emailed
    assert kept.candidate.email not in emailed


def test_an_edited_email_needs_its_subject_and_text_as_on_the_page(client, db):
    manager = _manager()
    application = _application(manager.team)
    db.session.commit()

    response = client.post(
        f"/api/v1/applications/{application.id}/moves",
        json={"move": "advance", "email": "edit", "email_subject": "Hello", "note": "x" * 2001},
        headers=bearer(manager),
    )

    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "note", "message": "Field cannot be longer than 2000 characters."},
        {
            "field": "email_body",
            "message": "Write the subject and the text, or choose to send the email as it is.",
        },
    ]
    assert db.session.get(Application, application.id).current_stage_id == (
        application.current_stage_id
    )
