"""Booking, moving and cancelling an interview on its pages queues the emails with it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.models import Interview
from tests import factories
from tests.test_scheduling import BERLIN, MONDAY, NOW, at, book, make_interviewer, make_plan


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(db):
    """Ana Costa's application with the screen done, the two-person live coding to book, and
    its two interviewers."""
    application, (screen, live) = make_plan(panel_size=2)
    dana = make_interviewer(application.team, "Dana Lee")
    eli = make_interviewer(application.team, "Eli Novak", tz="Europe/London")
    book(db, application, screen, at(MONDAY - timedelta(days=7), 9), [dana, eli])
    return application, live, dana, eli


@pytest.fixture
def manager(plan, auth):
    user = factories.UserFactory(
        team=plan[0].team, role=Role.HIRING_MANAGER, name="Maya Manager", timezone=BERLIN
    )
    return auth.login(user=user)


def form_data(panel, start="14:00", **extra):
    return {
        "starts_on": MONDAY.isoformat(),
        "start_time": start,
        "timezone": BERLIN,
        "panel": [user.id for user in panel],
        "location": "",
        "video_url": "https://meet.example/ana",
        **extra,
    }


def emails(db) -> list[OutboxEmail]:
    return db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


def schedule(client, application, stage, data):
    return client.post(f"/applications/{application.id}/stages/{stage.id}/schedule", data=data)


def test_booking_queues_an_invitation_to_each_interviewer_and_the_candidate(
    client, db, plan, manager
):
    application, live, dana, eli = plan

    response = schedule(client, application, live, form_data([dana, eli]))

    assert response.status_code == 302
    interview = db.session.scalars(select(Interview).where(Interview.plan_stage == live)).one()
    queued = emails(db)
    candidate = application.candidate
    assert sorted(email.to_email for email in queued) == sorted(
        [dana.email, eli.email, candidate.email]
    )
    for email in queued:
        assert email.interview_id == interview.id and email.method == "REQUEST"
        assert email.ics.startswith("BEGIN:VCALENDAR")
        assert "METHOD:REQUEST" in email.ics and f"UID:{interview.uid}" in email.ics
        assert "SEQUENCE:0" in email.ics
        assert email.subject.startswith("Interview booked: Live coding")
    to_panel = [email for email in queued if email.to_email != candidate.email]
    link = f"http://localhost/interviews/{interview.id}"
    assert all(f"Kit and scorecard: {link}" in email.body for email in to_panel)
    to_candidate = next(email for email in queued if email.to_email == candidate.email)
    assert link not in to_candidate.body
    assert dana.email not in to_candidate.ics and eli.email not in to_candidate.ics
    # The candidate's email carries their private link to the whole process.
    portal = re.search(
        r"Your whole process, step by step: (http://localhost/portal/\S+)", (to_candidate.body)
    )
    assert portal and client.get(portal.group(1)).status_code == 200
    assert all("/portal/" not in email.body for email in to_panel)


def test_booking_a_suggested_slot_queues_the_invitations_too(client, db, plan, manager):
    application, live, dana, eli = plan
    slot = f"{at(MONDAY, 13).isoformat()}|{dana.id},{eli.id}"

    response = schedule(client, application, live, {"slot": slot, "timezone": BERLIN})

    assert response.status_code == 302
    assert len(emails(db)) == 3
    assert {email.method for email in emails(db)} == {"REQUEST"}


def test_a_conflict_queues_nothing(client, db, plan, manager):
    application, live, dana, eli = plan
    other, (other_screen, _) = make_plan(team=application.team, panel_size=2)
    book(db, other, other_screen, at(MONDAY, 13), [dana, eli])

    response = schedule(client, application, live, form_data([dana, eli], start="14:30"))

    assert response.status_code == 200
    assert "Dana Lee already has an interview" in response.get_data(as_text=True)
    assert emails(db) == []


def test_an_invalid_form_queues_nothing(client, db, plan, manager):
    application, live, dana, eli = plan

    response = schedule(client, application, live, form_data([dana, eli], start=""))

    assert "Choose the time." in response.get_data(as_text=True)
    assert emails(db) == []


def test_rescheduling_queues_an_update_with_the_next_sequence(client, db, plan, manager):
    application, live, dana, eli = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana, eli])

    response = client.post(
        f"/interviews/{interview.id}/reschedule",
        data=form_data([dana, eli], start="15:00", reason="Candidate asked"),
    )

    assert response.status_code == 302
    queued = emails(db)
    assert len(queued) == 3
    for email in queued:
        assert email.method == "REQUEST" and "METHOD:REQUEST" in email.ics
        assert "SEQUENCE:1" in email.ics and f"UID:{interview.uid}" in email.ics
        assert email.subject.startswith("Interview moved")
    assert any("Mon 17 Mar, 15:00-16:00 (Berlin time)" in email.body for email in queued)


def test_a_refused_reschedule_queues_nothing(client, db, plan, manager):
    application, live, dana, eli = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana, eli])

    response = client.post(
        f"/interviews/{interview.id}/reschedule",
        data=form_data([dana, eli], start="16:30", reason="Later"),
    )

    assert response.status_code == 200
    assert emails(db) == []


def test_cancelling_queues_a_cancellation_to_everyone(client, db, plan, manager):
    application, live, dana, eli = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana, eli])

    response = client.post(
        f"/interviews/{interview.id}/cancel", data={"reason": "Candidate withdrew"}
    )

    assert response.status_code == 302
    queued = emails(db)
    assert sorted(email.to_email for email in queued) == sorted(
        [dana.email, eli.email, application.candidate.email]
    )
    for email in queued:
        assert email.method == "CANCEL" and "METHOD:CANCEL" in email.ics
        assert "SEQUENCE:1" in email.ics and "STATUS:CANCELLED" in email.ics
        assert "Candidate withdrew" not in email.body  # the internal reason stays inside


def test_rescheduling_with_a_changed_panel_cancels_for_the_removed_and_invites_the_new(
    client, db, plan, manager
):
    application, live, dana, eli = plan
    fay = make_interviewer(application.team, "Fay Moreau")
    interview = book(db, application, live, at(MONDAY, 13), [dana, eli])

    response = client.post(
        f"/interviews/{interview.id}/reschedule",
        data=form_data([dana, fay], start="15:00", reason="Eli is away"),
    )

    assert response.status_code == 302
    by_address = {email.to_email: email for email in emails(db)}
    assert set(by_address) == {dana.email, eli.email, fay.email, application.candidate.email}
    for email in by_address.values():
        assert f"UID:{interview.uid}" in email.ics and "SEQUENCE:1" in email.ics
    removed = by_address[eli.email]
    assert removed.method == "CANCEL" and "METHOD:CANCEL" in removed.ics
    assert "STATUS:CANCELLED" in removed.ics
    assert removed.subject == "Interview cancelled for you: Live coding with Ana Costa"
    assert "no longer on the panel" in removed.body
    # The slot they had, in their own zone, so they know which time is free again.
    assert "Mon 17 Mar, 13:00-14:00 (London time)" in removed.body
    assert "Eli is away" not in removed.body  # the internal reason stays inside
    added = by_address[fay.email]
    assert added.method == "REQUEST" and "METHOD:REQUEST" in added.ics
    assert added.subject == "Interview booked: Live coding with Ana Costa"
    assert "Mon 17 Mar, 15:00-16:00 (Berlin time)" in added.body
    kept = by_address[dana.email]
    assert (
        kept.method == "REQUEST" and kept.subject == "Interview moved: Live coding with Ana Costa"
    )
    assert "Panel: Dana Lee, Fay Moreau" in kept.body
    # The panel's calendar file lists the new panel only.
    assert fay.email in kept.ics and eli.email not in kept.ics
    assert by_address[application.candidate.email].method == "REQUEST"


def test_changing_only_the_panel_tells_the_rest_the_interview_changed_not_moved(
    client, db, plan, manager
):
    application, live, dana, eli = plan
    fay = make_interviewer(application.team, "Fay Moreau")
    interview = book(db, application, live, at(MONDAY, 13), [dana, eli])

    response = client.post(
        f"/interviews/{interview.id}/reschedule",
        data=form_data([dana, fay], reason="Eli is away"),
    )

    assert response.status_code == 302
    by_address = {email.to_email: email for email in emails(db)}
    assert by_address[dana.email].subject == "Interview updated: Live coding with Ana Costa"
    assert "has been updated" in by_address[dana.email].body
    assert by_address[eli.email].method == "CANCEL"
    assert by_address[fay.email].subject.startswith("Interview booked")
