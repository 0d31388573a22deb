"""The ways into scheduling: from the candidate page, the board and the interview page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus
from interviewer.scheduling.services import cancel_interview
from tests import factories
from tests.test_scheduling import BERLIN, MONDAY, NOW, at, book, make_interviewer, make_plan


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(db):
    """Ana Costa at the screen of a two-stage plan, and Dana who interviews."""
    application, (screen, live) = make_plan()
    application.current_stage = screen
    db.session.flush()
    return application, screen, live, make_interviewer(application.team)


@pytest.fixture
def manager(plan, auth):
    user = factories.UserFactory(team=plan[0].team, role=Role.HIRING_MANAGER, timezone=BERLIN)
    return auth.login(user=user)


def candidate_page(client, application) -> str:
    response = client.get(f"/candidates/{application.candidate_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def schedule_url(application, stage) -> str:
    return f"/applications/{application.id}/stages/{stage.id}/schedule"


def test_the_candidate_page_offers_to_schedule_the_current_stage(client, plan, manager):
    application, screen, live, _dana = plan

    page = candidate_page(client, application)

    assert f'href="{schedule_url(application, screen)}">Schedule Screen</a>' in page
    assert schedule_url(application, live) not in page
    assert "No interview scheduled yet." in page


def test_a_booked_stage_is_listed_with_its_panel_and_no_longer_offered(client, db, plan, manager):
    application, screen, _live, dana = plan
    interview = book(db, application, screen, at(MONDAY, 9), [dana])

    page = candidate_page(client, application)

    assert f'href="/interviews/{interview.id}">Screen</a>' in page
    assert "Mon 17 Mar, 10:00-11:00 (Berlin time)" in page
    assert "with Dana Lee" in page
    assert "Upcoming</span>" in page
    assert "Schedule Screen" not in page


def test_an_interview_that_took_place_is_labelled_so_and_not_offered_again(
    client, db, plan, manager, auth
):
    application, screen, _live, dana = plan
    book(db, application, screen, at(MONDAY, 9), [dana])

    with time_machine.travel(at(MONDAY, 12), tick=False):
        # Years on, the session of the fixture has ended: sign in again on that day.
        auth.login(user=manager)
        page = candidate_page(client, application)

    assert "Took place</span>" in page and "Upcoming" not in page
    assert "Schedule Screen" not in page  # the next move is to advance, not to book again


def test_a_cancelled_interview_is_listed_and_the_stage_offered_again(client, db, plan, manager):
    application, screen, _live, dana = plan
    interview = book(db, application, screen, at(MONDAY, 9), [dana])
    cancel_interview(db.session, interview, "Clash")

    page = candidate_page(client, application)

    assert "Cancelled</span>" in page and "text-decoration-line-through" in page
    assert "Schedule Screen" in page


@pytest.mark.parametrize("status", [ApplicationStatus.ON_HOLD, ApplicationStatus.REJECTED])
def test_an_application_that_is_not_active_is_not_offered_scheduling(
    client, db, plan, manager, status
):
    application = plan[0]
    application.status = status
    db.session.flush()

    assert "Schedule Screen" not in candidate_page(client, application)


def test_the_candidate_page_shows_the_portal_link_and_a_button_to_renew_it(
    client, db, plan, manager
):
    application = plan[0]

    page = candidate_page(client, application)

    link = re.search(
        r'value="(http://localhost/portal/[^"]+)" aria-label="Candidate portal link"', page
    )
    assert link
    # The button asks first: it opens the page whose confirm button renews the link.
    assert f'href="/applications/{application.id}/portal-link"' in page
    assert client.get(link.group(1)).status_code == 200
    confirm = client.get(f"/applications/{application.id}/portal-link").get_data(as_text=True)
    assert f'action="/applications/{application.id}/portal-link"' in confirm
    assert client.get(link.group(1)).status_code == 200

    response = client.post(f"/applications/{application.id}/portal-link")
    assert response.status_code == 302
    assert client.get(link.group(1)).status_code == 404
    assert link.group(1) not in candidate_page(client, application)


def test_the_candidate_page_runs_the_same_queries_for_one_or_many_applications(
    client, db, plan, manager, count_queries
):
    application, screen, _live, dana = plan
    book(db, application, screen, at(MONDAY, 9), [dana])
    candidate_page(client, application)
    with count_queries() as few:
        candidate_page(client, application)

    for hour in range(10, 16):
        other, (other_screen, _) = make_plan(team=application.team)
        other.candidate = application.candidate
        other.current_stage = other_screen
        day = MONDAY + timedelta(days=hour % 3)
        interview = book(db, other, other_screen, at(day, hour), [dana])
        cancel_interview(db.session, interview, "Moved")
    db.session.flush()
    with count_queries() as many:
        page = candidate_page(client, application)

    assert page.count("Schedule Screen") == 6
    assert few.count == many.count, "\n".join(many.statements)


def test_a_board_card_links_to_scheduling_its_stage_until_it_is_booked(client, db, plan, manager):
    application, screen, _live, dana = plan
    board = f"/jobs/{application.job_id}/board"
    link = f'href="{schedule_url(application, screen)}">Schedule Screen'

    assert link in client.get(board).get_data(as_text=True)

    book(db, application, screen, at(MONDAY, 9), [dana])
    assert link not in client.get(board).get_data(as_text=True)


def test_the_interview_page_offers_its_calendar_file_to_managers_and_the_panel(
    client, db, plan, manager, auth
):
    application, screen, _live, dana = plan
    interview = book(db, application, screen, at(MONDAY, 9), [dana])
    ics = f"/interviews/{interview.id}/invite.ics"

    for viewer in (manager, dana):
        auth.logout()
        auth.login(user=viewer)
        page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
        assert f'href="{ics}" download>Download calendar invite (.ics)</a>' in page
        response = client.get(ics)
        assert response.mimetype == "text/calendar"
        assert "METHOD:REQUEST" in response.get_data(as_text=True)


def test_a_cancelled_interview_offers_the_cancellation_file(client, db, plan, manager):
    application, screen, _live, dana = plan
    interview = book(db, application, screen, at(MONDAY, 9), [dana])
    cancel_interview(db.session, interview, "Clash")

    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)

    assert "Download calendar cancellation (.ics)" in page
    assert "METHOD:CANCEL" in client.get(f"/interviews/{interview.id}/invite.ics").get_data(
        as_text=True
    )
