"""Candidate-friendly hours and the explicit zone on the schedule and reschedule pages, and
the reschedule page's suggestions that count the moved interview's own time as free."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.scheduling import comfort, slots
from interviewer.scheduling.models import Interview
from tests import factories
from tests.test_scheduling import BERLIN, MONDAY, NOW, at, book, make_interviewer, make_plan

SYDNEY = "Australia/Sydney"  # UTC+11 in March
LISBON = "Europe/Lisbon"  # UTC in March
#: Wednesday before MONDAY: both that Monday and the next lie inside the two weeks searched.
LATER = datetime(2031, 3, 12, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(db):
    """An application whose screen is done, the live-coding stage and Dana (Berlin, 9-17)."""
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(db, application, screen, at(MONDAY - timedelta(days=7), 9), [dana])
    return application, live, dana


@pytest.fixture
def manager(plan, auth):
    user = factories.UserFactory(
        team=plan[0].team, role=Role.HIRING_MANAGER, name="Maya Manager", timezone=BERLIN
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


def booked(db, stage):
    return db.session.scalars(select(Interview).where(Interview.plan_stage == stage)).all()


def in_zone(application, tz, db, portal=None):
    application.candidate.timezone = tz
    application.portal_timezone = portal
    db.session.commit()


# The rule


def test_the_portal_zone_comes_before_the_candidate_s_own(db, plan):
    application = plan[0]
    assert comfort.candidate_zone(application) is None
    in_zone(application, LISBON, db)
    assert comfort.candidate_zone(application) == LISBON
    in_zone(application, LISBON, db, portal=SYDNEY)
    assert comfort.candidate_zone(application) == SYDNEY
    in_zone(application, "Mars/Olympus", db)
    assert comfort.candidate_zone(application) is None


@pytest.mark.parametrize(
    ("start", "minutes", "outside"),
    [
        ((8, 0), 60, False),
        ((19, 0), 60, False),
        ((7, 30), 60, True),
        ((19, 30), 60, True),
        ((23, 30), 60, True),
    ],
)
def test_hours_are_08_to_20_on_the_candidate_s_clock(db, plan, start, minutes, outside):
    application = plan[0]
    in_zone(application, LISBON, db)
    starts_at = at(MONDAY, *start)
    message = comfort.outside_candidate_hours(
        application, starts_at, starts_at + timedelta(minutes=minutes)
    )
    assert (message is not None) is outside
    if outside:
        assert "in Lisbon, the candidate's time, outside 08:00-20:00." in message


# The schedule page


def test_a_time_outside_the_candidate_s_hours_asks_then_books_on_confirmation(
    client, db, plan, manager
):
    application, live, dana = plan
    in_zone(application, SYDNEY, db)

    asked = client.post(schedule_url(application, live), data=form_data([dana]))

    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert (
        "That is 00:00-01:00 on Tue 18 Mar in Sydney, the candidate&#39;s time, "
        "outside 08:00-20:00. Book it anyway?" in page
    )
    assert "Book at 00:00 their time" in page
    assert 'value="14:00"' in page and 'value="Room 2"' in page
    assert re.search(rf'<input checked[^>]*name="panel"[^>]*value="{dana.id}"', page)
    assert f'value="{at(MONDAY, 13).isoformat()}"' in page
    assert booked(db, live) == []

    confirmed = client.post(
        schedule_url(application, live),
        data=form_data([dana], confirm_hours=at(MONDAY, 13).isoformat()),
    )

    assert confirmed.status_code == 302
    (interview,) = booked(db, live)
    assert interview.starts_at == at(MONDAY, 13)


def test_a_confirmation_for_another_time_asks_again(client, db, plan, manager):
    application, live, dana = plan
    in_zone(application, SYDNEY, db)

    response = client.post(
        schedule_url(application, live),
        data=form_data([dana], start="15:00", confirm_hours=at(MONDAY, 13).isoformat()),
    )

    assert "That is 01:00-02:00 on Tue 18 Mar in Sydney" in response.get_data(as_text=True)
    assert booked(db, live) == []


def test_a_time_inside_the_candidate_s_hours_books_at_once(client, db, plan, manager):
    application, live, dana = plan
    in_zone(application, LISBON, db)

    page = client.get(schedule_url(application, live)).get_data(as_text=True)
    assert 'data-candidate-zone="Europe/Lisbon"' in page
    assert "/static/js/candidate_time.js" in page

    response = client.post(schedule_url(application, live), data=form_data([dana]))

    assert response.status_code == 302
    assert len(booked(db, live)) == 1


def test_the_typed_time_is_shown_on_the_candidate_s_clock_after_a_submit(client, db, plan, manager):
    application, live, dana = plan
    in_zone(application, SYDNEY, db)

    page = client.post(schedule_url(application, live), data=form_data([dana])).get_data(
        as_text=True
    )

    clock = re.search(r'<p class="[^"]*candidate-clock"[^>]*>([^<]*)</p>', page).group(1)
    assert clock == (
        "00:00 on Tue 18 Mar in Sydney, the candidate&#39;s time. Outside their 08:00-20:00."
    )


def test_an_unknown_zone_is_said_once_and_asks_nothing(client, db, plan, manager):
    application, live, dana = plan

    page = client.get(schedule_url(application, live)).get_data(as_text=True)
    assert page.count(comfort.UNKNOWN_ZONE) == 1
    assert "candidate-clock" not in page

    response = client.post(schedule_url(application, live), data=form_data([dana]))

    assert response.status_code == 302
    assert len(booked(db, live)) == 1


def test_suggested_slots_say_the_candidate_s_time_and_mark_those_outside(client, db, plan, manager):
    application, live, dana = plan
    in_zone(application, SYDNEY, db)

    page = client.get(schedule_url(application, live)).get_data(as_text=True)

    # Dana's 09:00-10:00 Berlin on Tue 11 Mar is 19:00-20:00 in Sydney; 10:00 is 20:00.
    assert "19:00 on Tue 11 Mar in Sydney for Ana Costa</div>" in page
    assert re.search(r"20:00 on Tue 11 Mar in Sydney for Ana Costa <span[^>]*>outside", page)


def test_a_picked_slot_outside_hours_asks_with_its_time_filled_in_then_books(
    client, db, plan, manager
):
    application, live, dana = plan
    in_zone(application, SYDNEY, db)
    suggestions = slots.suggest_slots(db.session, application, live, NOW, tz=BERLIN, pool=[dana])
    slot = next(
        s
        for s in suggestions.slots
        if comfort.outside_candidate_hours(application, s.starts_at, s.ends_at)
    )
    local = slot.starts_at.astimezone(comfort.zone(BERLIN))

    asked = client.post(
        schedule_url(application, live),
        data={"slot": slot.value, "timezone": BERLIN, "location": "Lab"},
    )

    page = asked.get_data(as_text=True)
    assert "Book it anyway?" in page
    assert f'value="{local:%Y-%m-%d}"' in page and f'value="{local:%H:%M}"' in page
    assert re.search(rf'<input checked[^>]*name="panel"[^>]*value="{dana.id}"', page)
    assert booked(db, live) == []

    confirmed = client.post(
        schedule_url(application, live),
        data=form_data(
            [dana],
            day=local.date(),
            start=f"{local:%H:%M}",
            location="Lab",
            confirm_hours=slot.starts_at.isoformat(),
        ),
    )

    assert confirmed.status_code == 302
    (interview,) = booked(db, live)
    assert (interview.starts_at, interview.location) == (slot.starts_at, "Lab")


# The zone


def test_the_zone_starts_as_the_manager_s_own_not_the_first_interviewer_s(client, db, plan, auth):
    application, live, dana = plan  # Dana is in Berlin
    auth.login(
        user=factories.UserFactory(
            team=application.team, role=Role.HIRING_MANAGER, timezone="Europe/London"
        )
    )

    page = client.get(schedule_url(application, live)).get_data(as_text=True)
    assert re.search(r'<option selected value="Europe/London">', page)
    assert "first interviewer" not in page

    interview = book(db, application, live, at(MONDAY, 13), [dana], timezone=BERLIN)
    db.session.commit()
    page = client.get(f"/interviews/{interview.id}/reschedule").get_data(as_text=True)
    assert re.search(r'<option selected value="Europe/London">', page)
    assert 'value="13:00"' in page  # 14:00 Berlin on the manager's London clock


def test_every_page_booking_records_the_zone_chosen_on_the_form(client, db, plan, manager):
    application, live, dana = plan

    client.post(schedule_url(application, live), data=form_data([dana], tz="Europe/London"))

    (interview,) = booked(db, live)
    assert (interview.starts_at, interview.timezone) == (at(MONDAY, 14), "Europe/London")


# Rescheduling


@pytest.fixture
def moved(db, plan):
    """Live coding booked with Eli, who takes interviews only on Mondays 09:00-10:00 Berlin;
    the clock stands on the Wednesday before."""
    application, live, _dana = plan
    eli = make_interviewer(application.team, name="Eli Moss", weekdays=[0], hours=(9, 10))
    interview = book(db, application, live, at(MONDAY, 8), [eli], now=LATER)
    db.session.commit()
    with time_machine.travel(LATER, tick=False):
        yield interview, eli


def test_reschedule_suggestions_count_the_moved_interview_s_time_as_free(db, plan, moved):
    interview, eli = moved
    application, live = interview.application, interview.plan_stage

    held = slots.suggest_slots(db.session, application, live, LATER, tz=BERLIN, pool=[eli])
    free = slots.suggest_slots(
        db.session,
        application,
        live,
        LATER,
        tz=BERLIN,
        pool=[eli],
        exclude_interview_id=interview.id,
    )

    assert held.blocked == "Live coding is already scheduled; reschedule it instead."
    assert [s.starts_at for s in free.slots] == [at(MONDAY, 8), at(MONDAY + timedelta(7), 8)]


def test_the_reschedule_page_lists_suggestions_and_moves_to_a_picked_one(
    client, db, plan, moved, manager
):
    interview, eli = moved
    url = f"/interviews/{interview.id}/reschedule"
    next_week = f"{at(MONDAY + timedelta(7), 8).isoformat()}|{eli.id}"

    page = client.get(url).get_data(as_text=True)
    assert 'id="suggested"' in page
    # The interview's own hour is offered again (with whoever is least loaded then).
    assert re.search(rf'name="slot" value="{re.escape(at(MONDAY, 8).isoformat())}\|\d+"', page)
    assert "Move here" in page

    refused = client.post(url, data={"slot": next_week, "timezone": BERLIN, "reason": ""})
    assert "Say why the interview moves." in refused.get_data(as_text=True)

    response = client.post(
        url, data={"slot": next_week, "timezone": BERLIN, "reason": "Candidate asked"}
    )
    assert response.status_code == 302
    db.session.refresh(interview)
    assert interview.starts_at == at(MONDAY + timedelta(7), 8)


def test_a_move_outside_the_candidate_s_hours_asks_then_moves(client, db, plan, moved, manager):
    interview, _eli = moved
    dana = plan[2]
    in_zone(interview.application, SYDNEY, db)
    url = f"/interviews/{interview.id}/reschedule"
    later = MONDAY + timedelta(7)
    data = form_data([dana], day=later, start="14:00", reason="Candidate asked")

    asked = client.post(url, data=data)

    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "That is 00:00-01:00 on Tue 25 Mar in Sydney" in page
    assert "Move at 00:00 their time" in page
    assert "Candidate asked" in page
    db.session.refresh(interview)
    assert interview.starts_at == at(MONDAY, 8)

    confirmed = client.post(url, data={**data, "confirm_hours": at(later, 13).isoformat()})

    assert confirmed.status_code == 302
    db.session.refresh(interview)
    assert interview.starts_at == at(later, 13)


@pytest.mark.parametrize("chosen", ["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", ""])
def test_the_zone_list_rendered_once_reads_as_wtforms_renders_it(app, chosen):
    from wtforms.widgets import Select

    from interviewer.scheduling.forms import ScheduleForm, ZoneSelect

    with app.test_request_context():
        form = ScheduleForm(meta={"csrf": False})
        form.timezone.data = chosen
        assert isinstance(form.timezone.widget, ZoneSelect)
        assert form.timezone(class_="form-select is-invalid") == Select()(
            form.timezone, class_="form-select is-invalid"
        )
