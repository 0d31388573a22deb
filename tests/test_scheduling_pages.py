"""The scheduling pages: book, reschedule, cancel, the interview page, and who may see them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.scheduling.models import Interview, InterviewStatus
from tests import factories
from tests.conftest import forget_kept_pages
from tests.test_scheduling import BERLIN, MONDAY, NOW, at, book, make_interviewer, make_plan


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(db):
    """An application whose screen is done, the live-coding stage, Dana, and a signed-in manager."""
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(db, application, screen, at(MONDAY - timedelta(days=7), 9), [dana])
    return application, live, dana


@pytest.fixture
def manager(plan, auth):
    application = plan[0]
    user = factories.UserFactory(
        team=application.team, role=Role.HIRING_MANAGER, name="Maya Manager", timezone=BERLIN
    )
    return auth.login(user=user)


def schedule_url(application, stage):
    return f"/applications/{application.id}/stages/{stage.id}/schedule"


def form_data(panel, day=MONDAY, start="14:00", tz=BERLIN, **extra):
    return {
        "starts_on": day.isoformat(),
        "start_time": start,
        "timezone": tz,
        "panel": [user.id for user in panel],
        "location": "Room 2",
        "video_url": "",
        **extra,
    }


def test_a_manager_books_a_stage_and_sees_it_in_their_zone(client, db, plan, manager):
    application, live, dana = plan

    response = client.post(schedule_url(application, live), data=form_data([dana]))

    interview = db.session.scalars(select(Interview).where(Interview.plan_stage == live)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/interviews/{interview.id}")
    assert interview.starts_at == at(MONDAY, 13)  # 14:00 Berlin in winter
    assert interview.location == "Room 2"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Live coding booked for Ana Costa: Mon 17 Mar, 14:00-15:00 (Berlin time)." in page


def test_the_time_is_read_in_the_manager_s_zone_by_default(client, db, plan, manager):
    application, live, _dana = plan
    lee = make_interviewer(application.team, name="Lee Park", tz="Europe/London")

    page = client.get(schedule_url(application, live)).get_data(as_text=True)
    assert re.search(rf'<option selected value="{BERLIN}">', page)
    assert 'value="panel"' not in page

    response = client.post(schedule_url(application, live), data=form_data([lee], start="14:00"))

    interview = db.session.scalars(select(Interview).where(Interview.plan_stage == live)).one()
    assert response.status_code == 302
    assert interview.starts_at == at(MONDAY, 13)  # 14:00 Berlin, not London
    assert interview.timezone == BERLIN


def test_a_conflict_re_renders_the_form_with_the_reason_and_the_input_kept(
    client, db, plan, manager
):
    application, live, dana = plan
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY, 13), [dana])

    response = client.post(
        schedule_url(application, live), data=form_data([dana], start="14:30", location="Lab")
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "Dana Lee already has an interview Mon 17 Mar, 14:00-15:00 (Berlin time) "
        "with another candidate." in page
    )
    assert 'value="14:30"' in page and 'value="Lab"' in page
    assert re.search(rf'<input checked[^>]*name="panel"[^>]*value="{dana.id}"', page)
    assert db.session.scalars(select(Interview).where(Interview.plan_stage == live)).all() == []


def test_a_missing_panel_and_date_are_reported_next_to_the_fields(client, plan, manager):
    application, live, _dana = plan

    response = client.post(
        schedule_url(application, live), data=form_data([], day=MONDAY, start="")
    )

    page = response.get_data(as_text=True)
    assert "Choose the time." in page
    assert response.status_code == 200


def test_a_time_the_clocks_skip_is_refused(client, plan, manager):
    application, live, dana = plan
    spring_forward = MONDAY + timedelta(days=13)  # Sunday 30 March 2031

    response = client.post(
        schedule_url(application, live), data=form_data([dana], day=spring_forward, start="02:30")
    )

    assert "02:30 does not exist on Sun 30 Mar in Berlin time" in response.get_data(as_text=True)


def test_a_suggested_slot_is_booked_with_its_panel(client, db, plan, manager):
    application, live, dana = plan
    page = client.get(schedule_url(application, live)).get_data(as_text=True)
    assert "Book this slot" in page
    # The first free time is right after the screen (Mon 10 Mar, 10:00-11:00 Berlin).
    first = at(MONDAY - timedelta(days=7), 10)
    value = f"{first.isoformat()}|{dana.id}"
    assert f'value="{value}"' in page

    response = client.post(
        schedule_url(application, live),
        data={
            "slot": value,
            "timezone": BERLIN,
            "location": "",
            "video_url": "https://v.example/x",
        },
    )

    assert response.status_code == 302
    interview = db.session.scalars(select(Interview).where(Interview.plan_stage == live)).one()
    assert interview.starts_at == first
    assert interview.video_url == "https://v.example/x"
    assert interview.interviewers == [dana]


def test_a_slot_taken_meanwhile_is_refused_on_the_page(client, db, plan, manager):
    application, live, dana = plan
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY, 8), [dana])

    response = client.post(
        schedule_url(application, live),
        data={"slot": f"{at(MONDAY, 8).isoformat()}|{dana.id}", "timezone": BERLIN},
    )

    assert response.status_code == 200
    assert "Dana Lee already has an interview" in response.get_data(as_text=True)


def test_a_garbled_slot_is_reported_not_a_crash(client, plan, manager):
    application, live, _dana = plan

    response = client.post(schedule_url(application, live), data={"slot": "tomorrow|x"})

    assert "That slot could not be read" in response.get_data(as_text=True)


def test_an_interviewer_cannot_schedule(client, plan, auth):
    application, live, dana = plan
    auth.login(user=dana)

    assert client.get(schedule_url(application, live)).status_code == 403
    assert client.post(schedule_url(application, live), data=form_data([dana])).status_code == 403


def test_another_teams_application_or_a_stage_of_another_job_is_not_found(client, plan, manager):
    application, live, _dana = plan
    foreign_application, (foreign_stage, _) = make_plan()
    _, (other_job_stage, _) = make_plan(team=application.team)

    assert client.get(schedule_url(foreign_application, foreign_stage)).status_code == 404
    assert client.get(schedule_url(application, other_job_stage)).status_code == 404


def test_the_interview_page_shows_each_viewer_their_own_zone(client, db, plan, auth):
    application, live, dana = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana])
    new_york = factories.UserFactory(
        team=application.team, role=Role.HIRING_MANAGER, timezone="America/New_York"
    )

    auth.login(user=new_york)
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert "Mon 17 Mar, 09:00-10:00 (New York time)" in page  # US summer time already
    assert "Their time: Mon 17 Mar, 14:00-15:00 (Berlin time)" in page

    auth.logout()
    auth.login(user=dana)
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert "Mon 17 Mar, 14:00-15:00 (Berlin time)" in page
    assert "Reschedule" not in page


def test_an_interviewer_off_the_panel_cannot_see_the_interview(client, db, plan, auth):
    application, live, dana = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana])
    auth.login(user=factories.UserFactory(team=application.team))

    assert client.get(f"/interviews/{interview.id}").status_code == 403
    auth.logout()
    auth.login(Role.HIRING_MANAGER)  # another team
    assert client.get(f"/interviews/{interview.id}").status_code == 404


def test_rescheduling_from_its_page_needs_a_reason_then_moves_it(client, db, plan, manager):
    application, live, dana = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana])
    url = f"/interviews/{interview.id}/reschedule"
    page = client.get(url).get_data(as_text=True)
    assert 'value="14:00"' in page and 'value="2031-03-17"' in page

    refused = client.post(url, data=form_data([dana], start="15:00", reason=""))
    assert "Say why the interview moves." in refused.get_data(as_text=True)

    response = client.post(url, data=form_data([dana], start="15:00", reason="Candidate asked"))
    assert response.status_code == 302
    assert (interview.starts_at, interview.sequence) == (at(MONDAY, 14), 1)


def test_a_reschedule_conflict_is_shown_on_the_form(client, db, plan, manager):
    application, live, dana = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana])

    response = client.post(
        f"/interviews/{interview.id}/reschedule",
        data=form_data([dana], start="16:30", reason="Later"),
    )

    assert "16:30-17:30 is outside that." in response.get_data(as_text=True)


def test_cancelling_from_its_page_records_the_reason(client, db, plan, manager):
    application, live, dana = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana])

    response = client.post(
        f"/interviews/{interview.id}/cancel", data={"reason": "Candidate withdrew"}
    )

    assert response.status_code == 302
    assert interview.status == InterviewStatus.CANCELLED
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert "Cancelled: Candidate withdrew" in page
    assert client.get(f"/interviews/{interview.id}/cancel").status_code == 302


def test_the_scheduling_page_runs_the_same_queries_with_few_or_many_interviews(
    client, db, plan, manager, count_queries
):
    application, live, dana = plan

    url = schedule_url(application, live)

    def load() -> int:
        forget_kept_pages(client.application)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    load()  # the sign-in's commit expired the test's rows; reload them once
    few = load()
    for index in range(8):
        person = make_interviewer(application.team, name=f"Extra {index}")
        other, (other_screen, _) = make_plan(team=application.team)
        book(db, other, other_screen, at(MONDAY - timedelta(days=13), 9), [person])
        factories.AvailabilityExceptionFactory(
            team=application.team, user=person, on_date=MONDAY - timedelta(days=12)
        )
    db.session.commit()
    assert load() == few


def test_the_scheduling_page_runs_the_same_queries_with_few_or_many_bookings_in_its_window(
    client, db, plan, manager, count_queries
):
    application, live, dana = plan
    window_day = MONDAY - timedelta(days=6)

    url = schedule_url(application, live)

    def load() -> int:
        forget_kept_pages(client.application)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    load()  # the sign-in's commit expired the test's rows; reload them once
    few = load()
    for index in range(8):
        person = make_interviewer(application.team, name=f"Busy {index}")
        other, (other_screen, _) = make_plan(team=application.team)
        book(db, other, other_screen, at(window_day, 8 + index % 6), [person])
    db.session.commit()
    assert load() == few


def test_an_interviewer_on_the_panel_cannot_reschedule_or_cancel(client, db, plan, auth):
    application, live, dana = plan
    interview = book(db, application, live, at(MONDAY, 13), [dana])
    auth.login(user=dana)

    assert client.get(f"/interviews/{interview.id}/reschedule").status_code == 403
    assert (
        client.post(f"/interviews/{interview.id}/cancel", data={"reason": "x"}).status_code == 403
    )
    assert interview.status == InterviewStatus.SCHEDULED
