"""Availability: weekly windows in the user's own zone, correct across DST, and its pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.scheduling.availability import load_availability
from interviewer.scheduling.models import Availability, AvailabilityException, Interview
from interviewer.scheduling.services import SchedulingConflict
from tests import factories
from tests.test_scheduling import BERLIN, at, book, make_interviewer, make_plan

NOW = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def berlin_hours(db, day: date):
    """Dana's 09:00-17:00 Berlin window on ``day`` as UTC hours."""
    dana = make_interviewer(factories.TeamFactory(), weekdays=range(7))
    start = datetime.combine(day, time(), tzinfo=UTC)
    found = load_availability(db.session, [dana], start, start + timedelta(days=1))[dana.id]
    day_start = datetime.combine(day, time(), tzinfo=UTC)
    return [
        (low.hour, high.hour)
        for low, high in found.intervals(start, start + timedelta(days=1))
        if day_start <= low < day_start + timedelta(days=1)
    ]


@pytest.mark.parametrize(
    ("day", "utc_hours"),
    [
        (date(2031, 3, 28), (8, 16)),  # Friday before the last Sunday of March: winter time
        (date(2031, 3, 31), (7, 15)),  # Monday after it: summer time
        (date(2031, 10, 24), (7, 15)),  # Friday before the last Sunday of October: summer
        (date(2031, 10, 27), (8, 16)),  # Monday after it: winter again
    ],
)
def test_a_berlin_window_moves_in_utc_across_daylight_saving_changes(db, day, utc_hours):
    assert berlin_hours(db, day) == [utc_hours]


def test_on_the_change_days_the_window_keeps_its_wall_clock_hours(db):
    assert berlin_hours(db, date(2031, 3, 30)) == [(7, 15)]  # Sunday, clocks went forward at 2:00
    assert berlin_hours(db, date(2031, 10, 26)) == [(8, 16)]  # Sunday, clocks went back at 3:00


def test_booking_follows_the_interviewers_clock_across_the_march_change(db):
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(db, application, screen, at(date(2031, 3, 28), 8), [dana])  # 09:00 Berlin, winter

    with pytest.raises(
        SchedulingConflict, match=r"available 09:00-17:00 .* 08:00-09:00 is outside"
    ):
        book(db, application, live, at(date(2031, 3, 31), 6), [dana], now=NOW)  # summer
    assert book(db, application, live, at(date(2031, 3, 31), 7), [dana], now=NOW)


def test_a_new_york_manager_books_berlin_in_the_weeks_when_only_america_has_changed(
    client, db, auth
):
    """The US moves its clocks on 9 March 2031, Europe on 30 March: five hours apart, not six."""
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(db, application, screen, at(date(2031, 3, 10), 8), [dana], now=NOW)
    auth.login(
        user=factories.UserFactory(
            team=application.team, role=Role.HIRING_MANAGER, timezone="America/New_York"
        )
    )

    response = client.post(
        f"/applications/{application.id}/stages/{live.id}/schedule",
        data={
            "starts_on": "2031-03-17",
            "start_time": "04:00",  # 09:00 in Berlin
            "timezone": "America/New_York",
            "panel": [dana.id],
        },
    )

    assert response.status_code == 302
    booked = db.session.scalars(select(Interview).where(Interview.plan_stage == live)).one()
    assert booked.starts_at == at(date(2031, 3, 17), 8)
    assert booked.timezone == "America/New_York"


def test_exceptions_take_away_and_add_hours_on_their_date(db):
    team = factories.TeamFactory()
    dana = make_interviewer(team)
    monday = date(2031, 3, 17)
    factories.AvailabilityExceptionFactory(
        team=team, user=dana, on_date=monday, start_time=time(12), end_time=time(13)
    )
    factories.AvailabilityExceptionFactory(
        team=team, user=dana, on_date=monday, start_time=time(17), end_time=time(19), available=True
    )
    start = datetime.combine(monday, time(), tzinfo=UTC)
    found = load_availability(db.session, [dana], start, start + timedelta(days=2))[dana.id]

    assert found.local_windows(monday) == [(time(9), time(12)), (time(13), time(19))]
    assert found.local_windows(monday + timedelta(days=1)) == [(time(9), time(17))]


# The pages.


@pytest.fixture
def me(auth):
    return auth.login(Role.INTERVIEWER, name="Dana Lee", timezone=BERLIN)


def test_a_new_user_is_told_to_add_hours_and_can_add_a_working_week(client, me):
    page = client.get("/me/availability").get_data(as_text=True)
    assert "You have not said when you take interviews yet" in page

    response = client.post("/me/availability/workweek", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Added Monday to Friday, 09:00-17:00." in page
    assert "You have not said" not in page
    assert page.count('aria-label="Remove ') == 5
    assert 'aria-label="Remove Friday 09:00–17:00"' in page


def test_a_window_is_added_and_an_overlapping_one_refused(client, db, me):
    response = client.post(
        "/me/availability/windows",
        data={"window-weekday": "0", "window-start_time": "09:00", "window-end_time": "12:00"},
    )
    assert response.status_code == 302

    refused = client.post(
        "/me/availability/windows",
        data={"window-weekday": "0", "window-start_time": "11:00", "window-end_time": "13:00"},
    )

    assert "Overlaps your window 09:00-12:00 on Mondays." in refused.get_data(as_text=True)
    windows = db.session.scalars(select(Availability).where(Availability.user_id == me.id)).all()
    assert [(w.weekday, w.start_time, w.end_time) for w in windows] == [(0, time(9), time(12))]


def test_a_window_that_ends_before_it_starts_is_refused_next_to_the_field(client, me):
    refused = client.post(
        "/me/availability/windows",
        data={"window-weekday": "2", "window-start_time": "15:00", "window-end_time": "10:00"},
    )

    assert "The end must be after the start." in refused.get_data(as_text=True)


def test_only_ones_own_window_can_be_removed(client, db, me):
    mine = factories.AvailabilityFactory(team=me.team, user=me)
    colleague = factories.AvailabilityFactory(team=me.team)

    assert client.post(f"/me/availability/windows/{colleague.id}/delete").status_code == 404
    assert client.post(f"/me/availability/windows/{mine.id}/delete").status_code == 302
    assert db.session.scalars(select(Availability)).all() == [colleague]


def test_a_day_off_and_extra_hours_are_added_and_listed(client, db, me):
    client.post(
        "/me/availability/exceptions",
        data={
            "exception-on_date": "2031-03-20",
            "exception-kind": "day_off",
            "exception-note": "Conference",
        },
    )
    refused = client.post(
        "/me/availability/exceptions",
        data={"exception-on_date": "2031-03-22", "exception-kind": "extra"},
    )
    page = client.get("/me/availability").get_data(as_text=True)

    assert "Give the start and end times." in refused.get_data(as_text=True)
    assert "Thu 20 Mar 2031" in page and "Conference" in page
    (day_off,) = db.session.scalars(select(AvailabilityException)).all()
    assert (day_off.start_time, day_off.available) == (None, False)


def test_a_past_date_cannot_get_an_exception(client, me):
    refused = client.post(
        "/me/availability/exceptions",
        data={"exception-on_date": "2031-02-20", "exception-kind": "day_off"},
    )

    assert "Choose today or a later date." in refused.get_data(as_text=True)


def test_settings_change_the_time_zone_and_the_weekly_limit(client, me):
    response = client.post("/me/settings", data={"timezone": "Asia/Tokyo", "weekly_limit": "3"})

    assert response.status_code == 302
    assert (me.timezone, me.weekly_interview_limit) == ("Asia/Tokyo", 3)
    client.post("/me/settings", data={"timezone": "Asia/Tokyo", "weekly_limit": ""})
    assert me.weekly_interview_limit is None


def test_settings_refuse_an_unknown_zone_and_a_negative_limit(client, me):
    page = client.post(
        "/me/settings", data={"timezone": "Mars/Olympus", "weekly_limit": "-1"}
    ).get_data(as_text=True)

    assert "Not a valid choice" in page
    assert "Use a number from 0 to 50." in page
    assert me.timezone == BERLIN


def test_a_manager_reads_an_interviewers_availability(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    sam = make_interviewer(manager.team, name="Sam Park", limit=4)

    page = client.get(f"/users/{sam.id}/availability").get_data(as_text=True)

    assert "Sam Park's availability" in page
    assert "at most 4 a week" in page
    assert page.count("09:00–17:00") == 5
    assert "Remove" not in page


def test_interviewers_cannot_read_others_availability_and_other_teams_are_hidden(client, auth):
    interviewer = auth.login(Role.INTERVIEWER)
    colleague = factories.UserFactory(team=interviewer.team)
    assert client.get(f"/users/{colleague.id}/availability").status_code == 403

    auth.logout()
    auth.login(Role.HIRING_MANAGER)
    assert client.get(f"/users/{colleague.id}/availability").status_code == 404
