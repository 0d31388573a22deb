"""Bulk moves on the pipeline board: the ticked cards move on, go on hold or are rejected
with one reason together; a card that cannot make the move stays ticked with why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus as S
from interviewer.extensions import db
from interviewer.scheduling.models import InterviewStatus
from tests import factories
from tests.test_pipeline_board import card, plan


def bulk(client, job, applications, action, **fields):
    return client.post(
        f"/jobs/{job.id}/board/bulk",
        data={"application": [a.id for a in applications], "action": action, **fields},
    )


def refreshed(*applications):
    for application in applications:
        db.session.refresh(application)
    return applications


def test_ticked_cards_move_to_their_next_stage_together(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, stages = plan(manager.team)
    ana, ben = card(job, stages[0], "Ana"), card(job, stages[1], "Ben")
    untouched = card(job, stages[0], "Cleo")

    response = bulk(client, job, [ana, ben], "advance")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/jobs/{job.id}/board"
    refreshed(ana, ben, untouched)
    assert (ana.current_stage, ben.current_stage) == (stages[1], stages[2])
    assert untouched.current_stage == stages[0]
    assert "2 candidates moved on." in client.get(f"/jobs/{job.id}/board").get_data(as_text=True)


def test_a_card_that_cannot_move_stays_ticked_with_why(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, stages = plan(manager.team)
    ana = card(job, stages[0], "Ana")
    last = card(job, stages[-1], "Dev")

    response = bulk(client, job, [ana, last], "advance", status="current")

    assert response.headers["Location"] == f"/jobs/{job.id}/board?status=current&selected={last.id}"
    refreshed(ana, last)
    assert ana.current_stage == stages[1] and last.current_stage == stages[-1]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 candidate moved on." in page and "Dev: " in page


def test_rejecting_needs_one_reason_and_cancels_the_remaining_interviews(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, stages = plan(manager.team)
    ana, ben = card(job, stages[0], "Ana"), card(job, stages[1], "Ben")
    soon = datetime.now(UTC) + timedelta(days=2)
    interview = factories.InterviewFactory(
        team=manager.team,
        application=ben,
        plan_stage=stages[1],
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
    )

    refused = bulk(client, job, [ana, ben], "reject")
    assert "Choose a rejection reason" in client.get(refused.headers["Location"]).get_data(
        as_text=True
    )
    assert refused.headers["Location"].endswith(f"selected={ana.id},{ben.id}")
    assert refreshed(ana)[0].status is S.ACTIVE

    bulk(
        client,
        job,
        [ana, ben],
        "reject",
        reason="Skills below the level's bar",
        cancel_interviews="y",
    )

    refreshed(ana, ben, interview)
    assert ana.status is S.REJECTED and ben.status is S.REJECTED
    assert ben.exit_reason == "Skills below the level's bar"
    assert interview.status is InterviewStatus.CANCELLED


def test_put_on_hold_and_bad_input(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, stages = plan(manager.team)
    ana = card(job, stages[0], "Ana")

    bulk(client, job, [ana], "hold")
    assert refreshed(ana)[0].status is S.ON_HOLD

    nothing = bulk(client, job, [], "advance")
    assert "Tick the cards" in client.get(nothing.headers["Location"]).get_data(as_text=True)
    unknown = bulk(client, job, [ana], "erase")
    assert "Choose what to do" in client.get(unknown.headers["Location"]).get_data(as_text=True)


def test_other_teams_cards_and_jobs_are_untouched(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, stages = plan(manager.team)
    other_job, other_stages = plan(factories.TeamFactory())
    stranger = card(other_job, other_stages[0], "Stranger")

    assert bulk(client, other_job, [stranger], "advance").status_code == 404
    bulk(client, job, [stranger], "advance")
    assert refreshed(stranger)[0].current_stage == other_stages[0]


def test_interviewers_cannot_move_in_bulk(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, stages = plan(manager.team)
    ana = card(job, stages[0], "Ana")
    auth.logout()
    auth.login(Role.INTERVIEWER, team=manager.team)

    assert bulk(client, job, [ana], "advance").status_code == 403
    assert refreshed(ana)[0].current_stage == stages[0]
