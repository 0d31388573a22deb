"""Calendar files: invitations read back by a different parser (vobject), who may download
them, and the personal calendar feed with its revocable link."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import vobject

from interviewer.auth.models import Role
from interviewer.scheduling import services
from tests import factories


def parse(data: bytes):
    """The calendar as vobject reads it (icalendar wrote it)."""
    return vobject.readOne(data.decode())


def emails(event) -> set[str]:
    return {a.value.lower().removeprefix("mailto:") for a in event.contents.get("attendee", [])}


@pytest.fixture
def booked(db):
    """A live-coding interview in Berlin time with a two-person panel and a hiring manager."""
    team = factories.TeamFactory(name="Acme")
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER, name="Maria Manager")
    job = factories.JobFactory(team=team, title="Senior Backend Developer", hiring_manager=manager)
    stage = factories.PlanStageFactory(
        team=team,
        job=job,
        stage_type=factories.StageTypeFactory(team=team, key="live_coding", name="Live coding"),
        name="Live coding",
        position=1,
        panel_size=2,
    )
    kit = factories.KitVersionFactory(
        team=team, plan_stage=stage, what_to_expect="Pair on a small API change in Python."
    )
    application = factories.ApplicationFactory(
        team=team,
        job=job,
        current_stage=stage,
        candidate=factories.CandidateFactory(team=team, name="Jane Doe", email="jane@example.org"),
    )
    starts = (datetime.now(UTC) + timedelta(days=3)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    interview = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=stage,
        kit_version=kit,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        timezone="Europe/Berlin",
    )
    panel = [
        factories.UserFactory(team=team, name="Ana Lopez", email="ana@acme.example.com"),
        factories.UserFactory(team=team, name="Ben Okafor", email="ben@acme.example.com"),
    ]
    for user in panel:
        factories.PanelMemberFactory(team=team, interview=interview, user=user)
        for weekday in range(7):
            factories.AvailabilityFactory(
                team=team, user=user, weekday=weekday, start_time=time(0), end_time=time(23, 59)
            )
    db.session.expire_all()
    return interview, manager, panel


def test_invitation_is_read_back_by_vobject_with_uid_method_times_and_attendees(
    client, auth, booked
):
    interview, manager, panel = booked
    auth.login(user=manager)

    response = client.get(f"/interviews/{interview.id}/invite.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = parse(response.data)
    assert calendar.method.value == "REQUEST"
    assert calendar.version.value == "2.0"
    assert calendar.prodid.value
    assert calendar.vtimezone.tzid.value == "Europe/Berlin"
    event = calendar.vevent
    assert event.uid.value == interview.uid
    assert int(event.sequence.value) == 0
    assert event.dtstart.value.astimezone(UTC) == interview.starts_at
    assert event.dtend.value.astimezone(UTC) == interview.ends_at
    assert b"DTSTART;TZID=Europe/Berlin:" in response.data
    assert event.summary.value.startswith("Live coding interview: Senior Backend Developer")
    assert "Pair on a small API change in Python." in event.description.value
    assert event.status.value == "CONFIRMED"
    assert event.organizer.value.lower() == f"mailto:{manager.email}"
    assert emails(event) == {"ana@acme.example.com", "ben@acme.example.com", "jane@example.org"}
    assert "https://meet.example.com/abc" in event.location.value


def test_rescheduling_keeps_the_uid_and_raises_the_sequence(client, auth, db, booked):
    interview, manager, panel = booked
    auth.login(user=manager)
    first = parse(client.get(f"/interviews/{interview.id}/invite.ics").data).vevent

    new_start = interview.starts_at + timedelta(days=1)
    services.reschedule_interview(
        db.session, interview, new_start, panel, reason="Ana is travelling", actor=manager
    )
    db.session.commit()
    moved = parse(client.get(f"/interviews/{interview.id}/invite.ics").data)

    assert moved.method.value == "REQUEST"
    assert moved.vevent.uid.value == first.uid.value
    assert int(moved.vevent.sequence.value) == int(first.sequence.value) + 1
    assert moved.vevent.dtstart.value.astimezone(UTC) == new_start


def test_a_cancelled_interview_gives_a_cancel_file(client, auth, db, booked):
    interview, manager, _panel = booked
    auth.login(user=manager)

    services.cancel_interview(db.session, interview, "Position paused", actor=manager)
    db.session.commit()
    calendar = parse(client.get(f"/interviews/{interview.id}/invite.ics").data)

    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"
    assert int(calendar.vevent.sequence.value) == 1
    assert calendar.vevent.uid.value == interview.uid
    assert "Position paused" not in calendar.serialize()


def test_an_interview_in_utc_has_utc_times_and_no_vtimezone(client, auth, db, booked):
    interview, manager, _panel = booked
    interview.timezone = "UTC"
    db.session.commit()
    auth.login(user=manager)

    calendar = parse(client.get(f"/interviews/{interview.id}/invite.ics").data)

    assert "vtimezone" not in calendar.contents
    assert calendar.vevent.dtstart.value.utcoffset() == timedelta(0)
    assert calendar.vevent.dtstart.value.astimezone(UTC) == interview.starts_at


def test_a_panel_member_can_download_the_invitation(client, auth, booked):
    interview, _manager, panel = booked
    auth.login(user=panel[1])

    response = client.get(f"/interviews/{interview.id}/invite.ics")

    assert response.status_code == 200
    assert parse(response.data).vevent.uid.value == interview.uid


def test_an_interviewer_not_on_the_panel_cannot_download_the_invitation(client, auth, booked):
    interview, manager, _panel = booked
    auth.login(Role.INTERVIEWER, team=manager.team)

    assert client.get(f"/interviews/{interview.id}/invite.ics").status_code == 403


def test_another_teams_manager_gets_not_found(client, auth, booked):
    interview, _manager, _panel = booked
    auth.login(Role.ADMIN)

    assert client.get(f"/interviews/{interview.id}/invite.ics").status_code == 404


def test_downloading_an_invitation_needs_signing_in(client, booked):
    interview, _manager, _panel = booked

    response = client.get(f"/interviews/{interview.id}/invite.ics")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def _feed_token(user, db) -> str:
    db.session.refresh(user)
    return user.calendar_token


def test_a_user_makes_a_feed_link_that_lists_only_their_interviews(client, auth, db, booked):
    interview, _manager, panel = booked
    ana = panel[0]
    other_stage = interview.plan_stage
    second = factories.InterviewFactory(
        team=ana.team,
        application=factories.ApplicationFactory(team=ana.team, job=interview.application.job),
        plan_stage=other_stage,
        starts_at=interview.starts_at + timedelta(days=2),
        ends_at=interview.starts_at + timedelta(days=2, hours=1),
    )
    factories.PanelMemberFactory(team=ana.team, interview=second, user=ana)
    not_hers = factories.InterviewFactory(
        team=ana.team,
        application=factories.ApplicationFactory(team=ana.team, job=interview.application.job),
        plan_stage=other_stage,
    )
    factories.PanelMemberFactory(team=ana.team, interview=not_hers, user=panel[1])
    auth.login(user=ana)

    assert "no calendar link yet" in client.get("/calendar").get_data(as_text=True)
    response = client.post("/calendar/feed", follow_redirects=True)
    token = _feed_token(ana, db)
    assert token and token in response.get_data(as_text=True)
    client.post("/logout")

    feed = client.get(f"/calendar/{token}.ics")

    assert feed.status_code == 200
    calendar = parse(feed.data)
    assert calendar.method.value == "PUBLISH"
    uids = {event.uid.value for event in calendar.vevent_list}
    assert uids == {interview.uid, second.uid}


def test_a_new_feed_link_revokes_the_old_one_and_turning_it_off_revokes_all(
    client, auth, db, booked
):
    _interview, _manager, panel = booked
    auth.login(user=panel[0])
    client.post("/calendar/feed")
    old = _feed_token(panel[0], db)

    client.post("/calendar/feed")
    new = _feed_token(panel[0], db)

    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200

    client.post("/calendar/feed/off")

    assert _feed_token(panel[0], db) is None
    assert client.get(f"/calendar/{new}.ics").status_code == 404


def test_a_deactivated_users_feed_is_gone(client, db, booked):
    _interview, _manager, panel = booked
    panel[0].calendar_token = "a-known-token-value"
    panel[0].active = False
    db.session.commit()

    assert client.get("/calendar/a-known-token-value.ics").status_code == 404


def test_the_feed_takes_the_same_number_of_queries_for_few_and_many_interviews(
    client, db, booked, count_queries
):
    interview, _manager, panel = booked
    ana = panel[0]
    ana.calendar_token = "feed-token-for-counting"
    db.session.commit()

    def add(count: int) -> None:
        for n in range(count):
            extra = factories.InterviewFactory(
                team=ana.team,
                application=factories.ApplicationFactory(
                    team=ana.team, job=interview.application.job
                ),
                plan_stage=interview.plan_stage,
                starts_at=interview.starts_at + timedelta(days=10 + n),
                ends_at=interview.starts_at + timedelta(days=10 + n, hours=1),
            )
            factories.PanelMemberFactory(team=ana.team, interview=extra, user=ana)
        db.session.commit()

    add(1)
    with count_queries() as few:
        assert client.get("/calendar/feed-token-for-counting.ics").status_code == 200
    add(6)
    with count_queries() as many:
        response = client.get("/calendar/feed-token-for-counting.ics")

    assert len(parse(response.data).vevent_list) == 8
    assert many.count == few.count
