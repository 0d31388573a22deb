"""Video rooms filled in on booking: an interviewer's own link, else a fresh unguessable room
under the team's base, else none; on every booking path, and editable afterwards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.scheduling import video_rooms
from interviewer.scheduling.models import Interview
from tests import factories
from tests.api_support import bearer
from tests.test_scheduling import BERLIN, MONDAY, NOW, at, book, make_interviewer, make_plan

JITSI = "https://meet.jit.si/"
ROOM = re.compile(r"^https://meet\.jit\.si/interviewer-([A-Za-z0-9_-]+)$")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(db):
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(db, application, screen, at(MONDAY - timedelta(days=7), 9), [dana], video_url="-")
    return application, live, dana


def test_a_room_under_the_team_s_base_is_new_each_time_and_unguessable(db):
    team = factories.TeamFactory(video_link_base=JITSI)
    dana = factories.UserFactory(team=team)

    rooms = {video_rooms.room_for(team, [dana]) for _ in range(50)}

    assert len(rooms) == 50
    for room in rooms:
        token = ROOM.match(room).group(1)
        assert len(token) * 6 >= 96  # base64url: six bits a character


def test_a_base_without_its_slash_still_makes_a_room_under_it(db):
    team = factories.TeamFactory(video_link_base="https://meet.example.org/rooms")
    assert video_rooms.room_for(team, [factories.UserFactory(team=team)]).startswith(
        "https://meet.example.org/rooms/interviewer-"
    )


def test_an_interviewer_s_own_link_comes_before_the_team_s_rooms(db):
    team = factories.TeamFactory(video_link_base=JITSI)
    dana = factories.UserFactory(team=team, video_link="")
    lee = factories.UserFactory(team=team, video_link="https://zoom.example.com/j/lee")
    kim = factories.UserFactory(team=team, video_link="https://zoom.example.com/j/kim")

    assert video_rooms.room_for(team, [dana, lee, kim]) == "https://zoom.example.com/j/lee"


def test_no_base_and_no_own_link_leaves_the_video_link_blank(db):
    team = factories.TeamFactory(video_link_base="")
    assert video_rooms.room_for(team, [factories.UserFactory(team=team)]) == ""


def test_booking_fills_a_blank_link_and_keeps_a_typed_one(db, plan):
    application, live, dana = plan
    application.team.video_link_base = JITSI

    room = book(db, application, live, at(MONDAY, 13), [dana])
    assert ROOM.match(room.video_url)

    other, (other_screen, _) = make_plan(team=application.team)
    typed = book(db, other, other_screen, at(MONDAY, 9), [dana], video_url="https://x.example/a")
    assert typed.video_url == "https://x.example/a"


def test_a_page_booking_gets_a_room_and_the_link_stays_editable(client, db, plan, auth):
    application, live, dana = plan
    application.team.video_link_base = JITSI
    auth.login(
        user=factories.UserFactory(team=application.team, role=Role.HIRING_MANAGER, timezone=BERLIN)
    )

    client.post(
        f"/applications/{application.id}/stages/{live.id}/schedule",
        data={
            "starts_on": MONDAY.isoformat(),
            "start_time": "14:00",
            "timezone": BERLIN,
            "panel": [dana.id],
            "video_url": "",
        },
    )

    interview = db.session.scalars(select(Interview).where(Interview.plan_stage == live)).one()
    assert ROOM.match(interview.video_url)
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert interview.video_url in page
    form = client.get(f"/interviews/{interview.id}/reschedule").get_data(as_text=True)
    assert f'value="{interview.video_url}"' in form

    client.post(
        f"/interviews/{interview.id}/reschedule",
        data={
            "starts_on": MONDAY.isoformat(),
            "start_time": "14:00",
            "timezone": BERLIN,
            "panel": [dana.id],
            "video_url": "https://meet.example.com/other",
            "reason": "Another room",
        },
    )
    db.session.refresh(interview)
    assert interview.video_url == "https://meet.example.com/other"


def test_an_api_booking_gets_a_room_too(client, db, plan):
    application, live, dana = plan
    application.team.video_link_base = JITSI
    manager = factories.UserFactory(team=application.team, role=Role.HIRING_MANAGER)
    db.session.commit()

    response = client.post(
        "/api/v1/interviews",
        json={
            "application_id": application.id,
            "stage_id": live.id,
            "starts_at": "2031-03-17T13:00:00Z",
            "panel": [dana.id],
        },
        headers=bearer(manager),
    )

    assert response.status_code == 201, response.json
    assert ROOM.match(response.json["video_url"])
