"""The API's interviews: booked, moved and cancelled with the schedule page's rules and
messages, listed by cursor, and the slots the page suggests."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.api import tokens
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.models import Interview, InterviewStatus
from tests import factories
from tests.api_support import bearer
from tests.test_scheduling import BERLIN, MONDAY, NOW, at, book, make_interviewer, make_plan


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(db):
    """An application whose screen is done, the live-coding stage, Dana and a manager."""
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(db, application, screen, at(MONDAY - timedelta(days=7), 9), [dana])
    manager = factories.UserFactory(
        team=application.team, role=Role.HIRING_MANAGER, timezone=BERLIN
    )
    db.session.commit()
    return application, live, dana, manager


def booking(application, stage, panel, starts_at="2031-03-17T13:00:00Z", **extra):
    return {
        "application_id": application.id,
        "stage_id": stage.id,
        "starts_at": starts_at,
        "panel": [user.id for user in panel],
        "location": "Room 2",
        **extra,
    }


def test_a_manager_schedules_an_interview_with_its_emails_and_audit(client, db, plan):
    application, live, dana, manager = plan

    response = client.post(
        "/api/v1/interviews", json=booking(application, live, [dana]), headers=bearer(manager)
    )

    assert response.status_code == 201, response.json
    body = response.json
    assert body["starts_at"] == "2031-03-17T13:00:00Z"
    assert body["ends_at"] == "2031-03-17T14:00:00Z"
    assert body["panel"] == [{"user_id": dana.id, "name": "Dana Lee"}]
    assert body["status"] == "scheduled" and body["location"] == "Room 2"
    interview = db.session.get(Interview, body["id"])
    assert interview.timezone == BERLIN
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "interview.scheduled")
    ).all()[-1]
    assert event.actor_id == manager.id and "api_token" in event.data
    outbox = db.session.scalars(select(OutboxEmail)).all()
    assert dana.email in {email.to_email for email in outbox}


def test_double_booking_is_refused_with_the_pages_message(client, db, plan):
    application, live, dana, manager = plan
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY, 13), [dana])
    db.session.commit()

    response = client.post(
        "/api/v1/interviews",
        json=booking(application, live, [dana], starts_at="2031-03-17T13:30:00Z"),
        headers=bearer(manager),
    )

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == (
        "Dana Lee already has an interview Mon 17 Mar, 14:00-15:00 (Berlin time) "
        "with another candidate."
    )


def test_the_pages_messages_for_a_missing_date_a_past_time_and_a_wrong_panel(client, plan):
    application, live, dana, manager = plan
    headers = bearer(manager)

    missing = client.post(
        "/api/v1/interviews",
        json=booking(application, live, [dana], starts_at=None),
        headers=headers,
    )
    past = client.post(
        "/api/v1/interviews",
        json=booking(application, live, [dana], starts_at="2031-02-01T10:00:00Z"),
        headers=headers,
    )
    nobody = client.post("/api/v1/interviews", json=booking(application, live, []), headers=headers)
    naive = client.post(
        "/api/v1/interviews",
        json=booking(application, live, [dana], starts_at="2031-03-17T13:00:00"),
        headers=headers,
    )

    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "starts_at"
    assert past.json["detail"] == "That time has passed; choose a later one."
    assert past.json["errors"] == [
        {"field": "starts_at", "message": "That time has passed; choose a later one."}
    ]
    assert nobody.json["detail"] == "Live coding needs 1 interviewer; 0 chosen."
    assert naive.status_code == 422


def test_scheduling_needs_a_manager_and_the_write_scope(client, plan):
    application, live, dana, manager = plan
    body = booking(application, live, [dana])

    as_interviewer = client.post("/api/v1/interviews", json=body, headers=bearer(dana))
    read_only = client.post("/api/v1/interviews", json=body, headers=bearer(manager, tokens.READ))
    scorecards = client.post(
        "/api/v1/interviews", json=body, headers=bearer(manager, tokens.SCORECARDS_WRITE)
    )

    assert as_interviewer.status_code == 403
    assert read_only.status_code == 403 and scorecards.status_code == 403
    assert "'write' scope" in scorecards.json["detail"]


def test_another_teams_application_stage_or_interview_is_404(client, db, plan):
    application, live, dana, manager = plan
    theirs = factories.InterviewFactory()
    their_application, (their_stage, _) = make_plan()
    db.session.commit()
    headers = bearer(manager)

    assert (
        client.post(
            "/api/v1/interviews", json=booking(their_application, live, [dana]), headers=headers
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/interviews", json=booking(application, their_stage, [dana]), headers=headers
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/interviews/{theirs.id}", headers=headers).status_code == 404
    cancel = client.post(
        f"/api/v1/interviews/{theirs.id}/cancel", json={"reason": "x"}, headers=headers
    )
    assert cancel.status_code == 404


def test_reschedule_needs_a_reason_then_moves_the_interview(client, db, plan):
    application, live, dana, manager = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana])
    db.session.commit()
    headers = bearer(manager)
    path = f"/api/v1/interviews/{interview.id}/reschedule"
    move = {"starts_at": "2031-03-18T09:00:00Z", "panel": [dana.id]}

    refused = client.post(path, json=move, headers=headers)
    moved = client.post(path, json={**move, "reason": "Candidate asked"}, headers=headers)

    assert refused.status_code == 422
    assert refused.json["errors"] == [
        {"field": "reason", "message": "Say why the interview moves."}
    ]
    assert moved.status_code == 200
    assert moved.json["starts_at"] == "2031-03-18T09:00:00Z"
    assert db.session.get(Interview, interview.id).sequence == 1


def test_cancel_asks_for_a_reason_as_the_page_does(client, db, plan):
    application, live, dana, manager = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana])
    db.session.commit()
    headers = bearer(manager)
    path = f"/api/v1/interviews/{interview.id}/cancel"

    refused = client.post(path, json={}, headers=headers)
    cancelled = client.post(path, json={"reason": "Role filled"}, headers=headers)
    again = client.post(path, json={"reason": "Role filled"}, headers=headers)

    assert refused.json["detail"] == "Say why the interview is cancelled."
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert db.session.get(Interview, interview.id).status == InterviewStatus.CANCELLED
    assert again.status_code == 409
    assert again.json["detail"] == "This interview is cancelled; schedule a new one instead."
    assert client.post(path, json={"reason": "x"}, headers=bearer(dana)).status_code == 403


def test_an_interviewer_lists_only_their_own_interviews_managers_the_teams(client, db, plan):
    application, live, dana, manager = plan
    lee = make_interviewer(application.team, name="Lee Park")
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY, 9), [lee])
    db.session.commit()

    mine = client.get("/api/v1/interviews", headers=bearer(dana)).json["items"]
    everyone = client.get("/api/v1/interviews", headers=bearer(manager)).json["items"]
    by_lee = client.get(f"/api/v1/interviews?interviewer={lee.id}", headers=bearer(manager)).json[
        "items"
    ]
    later = client.get(
        "/api/v1/interviews?from=2031-03-16T00:00:00Z", headers=bearer(manager)
    ).json["items"]

    assert [i["panel"][0]["user_id"] for i in mine] == [dana.id]
    assert len(everyone) == 2
    assert [i["application_id"] for i in by_lee] == [other.id]
    assert [i["application_id"] for i in later] == [other.id]


def _many(db, team, count):
    for n in range(count):
        application, (screen, _) = make_plan(team=team)
        person = make_interviewer(team, name=f"Person {n}")
        book(db, application, screen, at(MONDAY, 9), [person])
    db.session.commit()


def test_the_list_runs_the_same_queries_with_3_or_30_interviews(client, db, count_queries):
    team = factories.TeamFactory()
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    headers = bearer(manager)
    _many(db, team, 3)
    client.get("/api/v1/interviews", headers=headers)
    with count_queries() as few:
        assert len(client.get("/api/v1/interviews", headers=headers).json["items"]) == 3
    _many(db, team, 27)
    client.get("/api/v1/interviews", headers=headers)
    with count_queries() as many:
        assert len(client.get("/api/v1/interviews", headers=headers).json["items"]) == 30
    assert len(many.statements) == len(few.statements), [s[:90] for s in many.statements]


def test_the_suggested_slots_are_the_pages(client, db, plan):
    application, live, dana, manager = plan

    response = client.get(
        f"/api/v1/applications/{application.id}/stages/{live.id}/slots", headers=bearer(manager)
    )

    assert response.status_code == 200
    slots = response.json["slots"]
    assert slots and slots[0]["panel"] == [{"user_id": dana.id, "name": "Dana Lee"}]
    assert slots[0]["starts_at"].endswith("Z")
    assert (
        client.get(
            f"/api/v1/applications/{application.id}/stages/{live.id}/slots", headers=bearer(dana)
        ).status_code
        == 403
    )
