"""Rejecting or withdrawing an application offers to cancel its remaining interviews: ticked
by default, the panel gets the cancellation with the calendar file, the candidate only the news;
unticked, the interviews stay booked. The portal then says so, kindly and without details."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus as S
from interviewer.candidates.portal_links import make_token
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.models import InterviewStatus
from tests import factories
from tests.test_decisions import REJECT_REASON, decide, submitted_loop
from tests.test_pipeline_moves import WITHDRAW_REASON, application_at, post_move


def booked(application, stage, days: float, *panel):
    """An interview of ``application`` at ``stage``, ``days`` from now, with ``panel``."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    interview = factories.InterviewFactory(
        team=application.team, application=application, plan_stage=stage, starts_at=starts
    )
    for user in panel:
        factories.PanelMemberFactory(team=application.team, interview=interview, user=user)
    return interview


@pytest.fixture
def closing(auth):
    """A manager, an application at Live coding with a past screen, two interviews to come
    and two interviewers."""
    manager = auth.login(Role.HIRING_MANAGER)
    application, stages = application_at(manager.team, 1)
    dana = factories.UserFactory(team=manager.team, name="Dana Lee", role=Role.INTERVIEWER)
    eli = factories.UserFactory(team=manager.team, name="Eli Novak", role=Role.INTERVIEWER)
    past = booked(application, stages[0], -3, dana)
    live = booked(application, stages[1], 2, dana, eli)
    design = booked(application, stages[2], 5, eli)
    return application, past, [live, design], dana, eli


def outbox(db) -> list[OutboxEmail]:
    return db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


def test_the_reject_page_offers_to_cancel_the_remaining_interviews_ticked(client, closing):
    application = closing[0]

    html = client.get(f"/candidates/applications/{application.id}/reject").get_data(as_text=True)

    assert "Cancel their 2 remaining interviews" in html
    [box] = re.findall(r'<input[^>]*name="cancel_interviews"[^>]*>', html)
    assert 'type="checkbox"' in box and "checked" in box
    assert "Live coding, " in html and "System design, " in html
    assert "Screen, " not in html


def test_the_box_is_not_shown_without_upcoming_interviews(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 1)

    html = client.get(f"/candidates/applications/{application.id}/reject").get_data(as_text=True)

    assert "cancel_interviews" not in html


def test_rejecting_with_the_box_cancels_upcoming_interviews_and_tells_the_panel(
    client, db, closing
):
    application, past, upcoming, dana, eli = closing

    response = post_move(client, application, "reject", reason=REJECT_REASON, cancel_interviews="y")

    assert response.status_code == 302
    for interview in [past, *upcoming]:
        db.session.refresh(interview)
    assert application.status is S.REJECTED
    assert past.status is InterviewStatus.SCHEDULED
    assert [i.status for i in upcoming] == [InterviewStatus.CANCELLED] * 2
    assert {i.cancel_reason for i in upcoming} == {"The application was rejected."}
    emails = outbox(db)
    assert sorted((e.interview_id, e.to_email) for e in emails) == sorted(
        [
            (upcoming[0].id, dana.email),
            (upcoming[0].id, eli.email),
            (upcoming[1].id, eli.email),
        ]
    )
    assert application.candidate.email not in {e.to_email for e in emails}
    for email in emails:
        assert email.method == "CANCEL"
        assert "METHOD:CANCEL" in email.ics and "STATUS:CANCELLED" in email.ics
        assert email.subject.startswith("Interview cancelled:")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cancelled 2 upcoming interviews; the panel is told." in page


def test_rejecting_without_the_box_keeps_the_interviews_and_says_so(client, db, closing):
    application, past, upcoming, *_ = closing

    response = post_move(client, application, "reject", reason=REJECT_REASON)

    assert response.status_code == 302
    assert application.status is S.REJECTED
    for interview in upcoming:
        db.session.refresh(interview)
        assert interview.status is InterviewStatus.SCHEDULED
    assert outbox(db) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 upcoming interviews remain booked." in page


def test_withdrawing_with_the_box_cancels_the_interviews(client, db, closing):
    application, past, upcoming, *_ = closing

    response = post_move(
        client, application, "withdraw", reason=WITHDRAW_REASON, cancel_interviews="y"
    )

    assert response.status_code == 302
    assert application.status is S.WITHDRAWN
    for interview in upcoming:
        db.session.refresh(interview)
        assert interview.status is InterviewStatus.CANCELLED
        assert interview.cancel_reason == "The candidate withdrew."
    assert {e.method for e in outbox(db)} == {"CANCEL"} and len(outbox(db)) == 3


def test_withdrawing_without_the_box_keeps_the_interviews(client, db, closing):
    application, past, upcoming, *_ = closing

    post_move(client, application, "withdraw", reason=WITHDRAW_REASON)

    assert application.status is S.WITHDRAWN
    assert {i.status for i in upcoming} == {InterviewStatus.SCHEDULED}
    assert outbox(db) == []


def test_a_refused_move_cancels_nothing(client, db, closing):
    application, past, upcoming, *_ = closing

    response = post_move(client, application, "reject", cancel_interviews="y")

    assert response.status_code == 200
    assert "Choose a reason" in response.get_data(as_text=True)
    assert application.status is S.ACTIVE
    assert {i.status for i in upcoming} == {InterviewStatus.SCHEDULED}
    assert outbox(db) == []


def test_the_candidate_page_reject_form_offers_the_box_ticked(client, closing):
    application = closing[0]

    html = client.get(f"/candidates/{application.candidate_id}").get_data(as_text=True)

    assert "Cancel their 2 remaining interviews" in html
    for move in ("reject", "withdraw"):
        box = f'id="cancel-{application.id}-{move}" name="cancel_interviews" value="y" checked'
        assert box in html


# The decision form ----------------------------------------------------------------------------


@pytest.fixture
def deciding(auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = submitted_loop(manager.team)
    eli = factories.UserFactory(team=manager.team, name="Eli Novak", role=Role.INTERVIEWER)
    upcoming = booked(loop.application, loop.stages["System design"], 4, eli)
    return loop.application, upcoming, eli


def test_the_decision_form_offers_to_cancel_the_remaining_interview(client, deciding):
    application, upcoming, _ = deciding

    html = client.get(f"/applications/{application.id}/debrief").get_data(as_text=True)

    assert "Cancel their remaining interview" in html
    assert "Only for a rejection." in html


def test_a_rejection_decision_with_the_box_cancels_the_interview(client, db, deciding):
    application, upcoming, eli = deciding

    response = decide(
        client,
        application,
        outcome="reject",
        rationale="Below the bar.",
        reason=REJECT_REASON,
        cancel_interviews="y",
    )

    assert response.status_code == 302
    db.session.refresh(upcoming)
    assert application.status is S.REJECTED
    assert upcoming.status is InterviewStatus.CANCELLED
    [email] = outbox(db)
    assert email.to_email == eli.email and "METHOD:CANCEL" in email.ics
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cancelled 1 upcoming interview; the panel is told." in page


def test_a_rejection_decision_without_the_box_keeps_the_interview(client, db, deciding):
    application, upcoming, _ = deciding

    response = decide(
        client, application, outcome="reject", rationale="Below the bar.", reason=REJECT_REASON
    )

    assert response.status_code == 302
    assert upcoming.status is InterviewStatus.SCHEDULED
    assert outbox(db) == []
    assert "1 upcoming interview remains booked." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_advancing_never_cancels_interviews(client, db, deciding):
    application, upcoming, _ = deciding

    response = decide(
        client, application, outcome="advance", rationale="Strong.", cancel_interviews="y"
    )

    assert response.status_code == 302
    assert upcoming.status is InterviewStatus.SCHEDULED
    assert outbox(db) == []


# The portal -----------------------------------------------------------------------------------


def portal(client, application) -> str:
    with client.application.app_context():
        token = make_token(application)
    return client.get(f"/portal/{token}").get_data(as_text=True)


def test_after_a_rejection_the_portal_thanks_them_and_shows_no_interviews(client, auth, closing):
    application, past, upcoming, *_ = closing
    post_move(client, application, "reject", reason=REJECT_REASON, cancel_interviews="y")
    auth.logout()

    html = portal(client, application)

    assert "Thank you for your interest" in html
    assert "decided not to move forward" in html
    assert "You have no upcoming interviews with us." in html
    assert REJECT_REASON.replace("'", "&#39;") not in html and REJECT_REASON not in html
    assert "Your next interview" not in html
    assert "System design" not in html and "Live coding" not in html


def test_after_a_withdrawal_the_portal_thanks_them(client, auth, closing):
    application = closing[0]
    post_move(client, application, "withdraw", reason=WITHDRAW_REASON, cancel_interviews="y")
    auth.logout()

    html = portal(client, application)

    assert "You have withdrawn your application. Thank you" in html
    assert "You have no upcoming interviews with us." in html
    assert WITHDRAW_REASON not in html


def test_interviews_kept_after_a_rejection_are_mentioned_without_details(client, auth, closing):
    application = closing[0]
    post_move(client, application, "reject", reason=REJECT_REASON)
    auth.logout()

    html = portal(client, application)

    assert "We will be in touch about any interview still booked with you." in html
    assert "no upcoming interviews" not in html
    assert "Live coding" not in html
