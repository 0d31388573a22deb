"""Booking offers: a manager offers times on the portal, the candidate books one there, with
every check of a manager's booking; taken, expired and withdrawn times leave the page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from html import unescape

import pytest
import time_machine
from sqlalchemy import func, select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates.portal_links import portal_url
from interviewer.mail.models import OutboxEmail
from interviewer.portal import services as portal_services
from interviewer.scheduling import autoloop, offers
from interviewer.scheduling.autoloop import LoopOption
from interviewer.scheduling.loops import LoopItem, book_loop
from interviewer.scheduling.models import Availability, Interview
from interviewer.scheduling.offer_models import BookingOffer, OfferStatus
from interviewer.scheduling.services import schedule_interview
from interviewer.worker import PERIODIC_JOBS
from tests import factories
from tests.api_support import bearer

NOW = datetime(2031, 3, 3, 7, 0, tzinfo=UTC)  # a Monday, 08:00 in Berlin
TUESDAY_TEN = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)  # 10:00 Berlin, 04:00 New York
TUESDAY_TWO = datetime(2031, 3, 4, 13, 0, tzinfo=UTC)
WEDNESDAY_TEN = datetime(2031, 3, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def hiring(db):
    """Jane (New York) is at the screen of a screen + live coding plan; Dana and Sam
    (Berlin) interview on weekdays 09:00-17:00 Berlin time."""
    team = factories.TeamFactory(name="Acme", timezone="Europe/Berlin")
    manager = factories.UserFactory(
        team=team, role=Role.HIRING_MANAGER, name="Maria Manager", timezone="Europe/Berlin"
    )
    job = factories.JobFactory(team=team, title="Backend Developer", hiring_manager=manager)
    stages = []
    for position, (key, name, minutes) in enumerate(
        [("screen", "Screen", 30), ("live_coding", "Live coding", 60)], start=1
    ):
        stage = factories.PlanStageFactory(
            team=team,
            job=job,
            stage_type=factories.StageTypeFactory(team=team, key=key, name=name),
            name=name,
            position=position,
            duration_minutes=minutes,
            panel_size=1,
        )
        factories.KitVersionFactory(team=team, plan_stage=stage)
        stages.append(stage)
    people = [
        factories.UserFactory(team=team, name=name, timezone="Europe/Berlin")
        for name in ("Dana Diaz", "Sam Stone")
    ]
    for user in people:
        for day in range(5):
            factories.AvailabilityFactory(
                team=team, user=user, weekday=day, start_time=time(9), end_time=time(17)
            )
    candidate = factories.CandidateFactory(
        team=team, name="Jane Doe", email="jane@example.org", timezone="America/New_York"
    )
    application = factories.ApplicationFactory(
        team=team, job=job, candidate=candidate, current_stage=stages[0]
    )
    other = factories.ApplicationFactory(
        team=team,
        job=job,
        candidate=factories.CandidateFactory(team=team, name="Zed Other"),
        current_stage=stages[0],
    )
    db.session.commit()
    return {
        "team": team,
        "manager": manager,
        "stages": stages,
        "dana": people[0],
        "sam": people[1],
        "application": application,
        "other": other,
    }


def portal(app, application) -> str:
    with app.test_request_context():
        return portal_url(application)


def offer_of(db, hiring, *options, automatic=None) -> BookingOffer:
    """An offer made through the service, committed."""
    offer = offers.make_offer(
        db.session,
        hiring["application"],
        [list(items) for items in options],
        automatic_stage=automatic,
        actor=hiring["manager"],
        now=NOW,
    )
    db.session.commit()
    return offer


def screen_at(hiring, at, who="dana") -> LoopItem:
    return LoopItem(hiring["stages"][0], at, (hiring[who],))


def choices_on(html: str) -> list[str]:
    return re.findall(r'name="choice" value="([^"]+)"', html)


def offer_page(hiring) -> str:
    application, stage = hiring["application"], hiring["stages"][0]
    return f"/applications/{application.id}/stages/{stage.id}/offer"


# -- The manager offers ---------------------------------------------------------------------


def test_the_candidate_page_links_to_the_offer_page(client, auth, hiring):
    auth.login(user=hiring["manager"])
    html = client.get(f"/candidates/{hiring['application'].candidate_id}").get_data(as_text=True)

    assert "Offer times on the portal" in html
    assert offer_page(hiring) in html


def test_a_manager_offers_ticked_slots_held_for_the_teams_hours(client, auth, db, hiring):
    auth.login(user=hiring["manager"])
    html = client.get(offer_page(hiring)).get_data(as_text=True)
    values = [unescape(v) for v in re.findall(r'name="options" value="([^"]+)"', html)]
    assert len(values) >= 3
    assert "No offer yet" in html

    response = client.post(offer_page(hiring), data={"options": values[:2]})

    assert response.status_code == 302
    offer = db.session.scalar(select(BookingOffer))
    assert offer.status == OfferStatus.OPEN
    assert offer.expires_at == NOW + timedelta(hours=72)
    assert offer.created_by == hiring["manager"]
    assert [len(option.items) for option in offer.options] == [1, 1]
    assert offer.options[0].items[0]["plan_stage_id"] == hiring["stages"][0].id
    html = client.get(offer_page(hiring)).get_data(as_text=True)
    assert "Open until" in html and "Withdraw this offer" in html
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "application.times_offered")
    )
    assert event.actor == hiring["manager"] and event.data["options"] == 2


def test_offering_nothing_or_too_much_or_a_forged_time_is_refused_on_the_form(
    client, auth, db, hiring
):
    auth.login(user=hiring["manager"])
    html = client.get(offer_page(hiring)).get_data(as_text=True)
    values = [unescape(v) for v in re.findall(r'name="options" value="([^"]+)"', html)]
    outsider = factories.UserFactory(name="Other Team")
    stage = hiring["stages"][0]

    cases = {
        "Tick at least one time": [],
        "at most 6": values[:1] * 7,
        "could not be read": ["not a time"],
        "no longer available": [f"{stage.id}@{TUESDAY_TEN.isoformat()}@{outsider.id}"],
        "has passed": [f"{stage.id}@{(NOW - timedelta(days=1)).isoformat()}@{hiring['dana'].id}"],
    }
    for words, ticked in cases.items():
        response = client.post(offer_page(hiring), data={"options": ticked})
        assert response.status_code == 200, words
        assert words in response.get_data(as_text=True), words
    assert db.session.scalar(select(func.count()).select_from(BookingOffer)) == 0


def test_a_new_offer_replaces_the_open_one_and_says_so_in_the_audit_log(db, hiring):
    first = offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)])
    second = offer_of(db, hiring, [screen_at(hiring, WEDNESDAY_TEN)])

    assert first.status == OfferStatus.WITHDRAWN and first.closed_at == NOW
    assert second.status == OfferStatus.OPEN
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "application.times_offered")
    ).all()
    assert events[-1].data["replaced_offer_id"] == first.id


def test_a_new_offer_after_one_ran_out_closes_that_one_as_expired(db, hiring):
    first = offer_of(db, hiring, [screen_at(hiring, WEDNESDAY_TEN)])
    later = NOW + timedelta(hours=73)  # past its hold, before the expiry job released it

    second = offers.make_offer(
        db.session,
        hiring["application"],
        [[screen_at(hiring, later + timedelta(days=1))]],
        actor=hiring["manager"],
        now=later,
    )
    db.session.commit()

    assert first.status == OfferStatus.EXPIRED and first.closed_at == later
    assert second.status == OfferStatus.OPEN


def test_the_manager_withdraws_the_open_offer_and_the_portal_drops_it(
    app, client, auth, db, hiring
):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)])
    url = portal(app, hiring["application"])
    assert "Pick a time for your interview" in client.get(url).get_data(as_text=True)
    auth.login(user=hiring["manager"])

    response = client.post(offer_page(hiring) + "/withdraw")

    assert response.status_code == 302
    offer = db.session.scalar(select(BookingOffer))
    assert offer.status == OfferStatus.WITHDRAWN
    assert "Pick a time" not in client.get(url).get_data(as_text=True)
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "application.offer_withdrawn")
    )


def test_another_teams_manager_gets_404_and_an_interviewer_403(client, auth, db, hiring):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)])
    auth.login(Role.HIRING_MANAGER)  # of a team of their own
    for method, suffix in [
        ("get", ""),
        ("post", ""),
        ("post", "/automatic"),
        ("post", "/withdraw"),
    ]:
        assert getattr(client, method)(offer_page(hiring) + suffix).status_code == 404
    auth.logout()
    auth.login(user=factories.UserFactory(team=hiring["team"], role=Role.INTERVIEWER))
    assert client.get(offer_page(hiring)).status_code == 403
    assert db.session.scalar(select(BookingOffer)).status == OfferStatus.OPEN


# -- The candidate books ---------------------------------------------------------------------


def test_the_portal_lists_the_offered_times_in_the_candidates_zone(app, client, db, hiring):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TWO)], [screen_at(hiring, TUESDAY_TEN)])
    url = portal(app, hiring["application"])

    html = client.get(url).get_data(as_text=True)

    assert "Pick a time for your interview" in html
    assert "Times are in New York time" in html
    # Earliest first, as New York reads them.
    assert html.index("Tue 04 Mar, 04:00-04:30 (New York time)") < html.index(
        "Tue 04 Mar, 08:00-08:30 (New York time)"
    )
    assert html.count("Book this time") == 2

    client.post(url + "/timezone", data={"timezone": "Europe/Berlin"})
    html = client.get(url).get_data(as_text=True)
    assert "Tue 04 Mar, 10:00-10:30 (Berlin time)" in html


def test_the_candidate_books_a_single_stage_time(app, client, db, hiring):
    offer = offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)], [screen_at(hiring, TUESDAY_TWO)])
    url = portal(app, hiring["application"])
    key = choices_on(client.get(url).get_data(as_text=True))[0]

    response = client.post(url + "/book", data={"choice": key}, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Booked: Tue 04 Mar, 04:00-04:30 (New York time)" in html
    assert "Your next interview" in html and "Pick a time" not in html
    interview = db.session.scalar(select(Interview))
    assert interview.starts_at == TUESDAY_TEN and interview.interviewers == [hiring["dana"]]
    db.session.refresh(offer)
    assert offer.status == OfferStatus.BOOKED
    recipients = db.session.scalars(select(OutboxEmail.to_email)).all()
    assert sorted(recipients) == sorted(["jane@example.org", hiring["dana"].email])
    assert all(email.ics for email in db.session.scalars(select(OutboxEmail)))
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "interview.scheduled")
        ).actor_id
        is None
    )


def test_the_candidate_books_a_whole_loop_at_once(app, client, db, hiring):
    screen, live = hiring["stages"]
    loop = [
        LoopItem(screen, TUESDAY_TEN, (hiring["dana"],)),
        LoopItem(live, TUESDAY_TWO, (hiring["sam"],)),
    ]
    offer_of(db, hiring, loop)
    url = portal(app, hiring["application"])
    html = client.get(url).get_data(as_text=True)
    assert "Book these times" in html

    client.post(url + "/book", data={"choice": choices_on(html)[0]})

    booked = db.session.scalars(select(Interview).order_by(Interview.starts_at)).all()
    assert [(i.plan_stage, i.starts_at) for i in booked] == [
        (screen, TUESDAY_TEN),
        (live, TUESDAY_TWO),
    ]


def test_a_whole_loop_with_one_impossible_stage_books_nothing(app, client, db, hiring):
    screen, live = hiring["stages"]
    saturday = datetime(2031, 3, 8, 9, tzinfo=UTC)  # outside Sam's hours
    offer_of(
        db,
        hiring,
        [
            LoopItem(screen, TUESDAY_TEN, (hiring["dana"],)),
            LoopItem(live, saturday, (hiring["sam"],)),
        ],
    )
    url = portal(app, hiring["application"])

    response = client.post(url + "/book", data={"choice": choices_on(client.get(url).text)[0]})

    assert response.status_code == 409
    assert offers.TAKEN in unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Interview)) == 0


def test_a_time_a_manager_booked_first_leaves_with_a_kind_word_and_fresh_times(
    app, client, db, hiring
):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)], [screen_at(hiring, TUESDAY_TWO)])
    url = portal(app, hiring["application"])
    keys = choices_on(client.get(url).get_data(as_text=True))
    # Meanwhile a manager books Dana at the first time for another candidate.
    schedule_interview(
        db.session, hiring["other"], hiring["stages"][0], TUESDAY_TEN, [hiring["dana"]], now=NOW
    )
    db.session.commit()

    response = client.post(url + "/book", data={"choice": keys[0]})

    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "That time was just taken. Here are the times still open." in html
    assert choices_on(html) == [keys[1]]
    assert "04:00-04:30" not in html and "08:00-08:30 (New York time)" in html
    assert db.session.scalar(select(func.count()).select_from(Interview)) == 1


def test_a_time_no_longer_possible_for_a_reason_the_page_cannot_see_is_dropped(
    app, client, db, hiring
):
    offer = offer_of(
        db, hiring, [screen_at(hiring, TUESDAY_TEN)], [screen_at(hiring, TUESDAY_TWO, "sam")]
    )
    url = portal(app, hiring["application"])
    keys = choices_on(client.get(url).get_data(as_text=True))
    # Dana gives up her hours: only the booking's own checks can tell.
    for row in db.session.scalars(select(Availability).where(Availability.user == hiring["dana"])):
        db.session.delete(row)
    db.session.commit()

    response = client.post(url + "/book", data={"choice": keys[0]})

    assert response.status_code == 409
    assert choices_on(response.get_data(as_text=True)) == [keys[1]]
    db.session.refresh(offer)
    assert offer.options[0].dropped_at == NOW and offer.status == OfferStatus.OPEN


def test_an_automatic_offer_shows_fresh_suggestions_and_recomputes_after_a_clash(
    app, client, auth, db, hiring
):
    auth.login(user=hiring["manager"])
    assert client.post(offer_page(hiring) + "/automatic").status_code == 302
    auth.logout()
    offer = db.session.scalar(select(BookingOffer))
    assert offer.automatic_stage == hiring["stages"][0] and offer.options == []
    url = portal(app, hiring["application"])
    keys = choices_on(unescape(client.get(url).get_data(as_text=True)))
    assert 1 <= len(keys) <= offers.MAX_OPTIONS
    first_start = datetime.fromisoformat(offers.decode(keys[0])[0]["starts_at"])
    # Both interviewers are booked at the first time before the candidate clicks.
    for who in ("dana", "sam"):
        other = factories.ApplicationFactory(
            team=hiring["team"], job=hiring["application"].job, current_stage=hiring["stages"][0]
        )
        schedule_interview(
            db.session, other, hiring["stages"][0], first_start, [hiring[who]], now=NOW
        )
    db.session.commit()

    response = client.post(url + "/book", data={"choice": keys[0]})

    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and offers.TAKEN in html
    fresh = choices_on(html)
    assert fresh and keys[0] not in fresh
    client.post(url + "/book", data={"choice": fresh[0]})
    mine = db.session.scalar(
        select(Interview).where(Interview.application_id == hiring["application"].id)
    )
    assert mine.starts_at == datetime.fromisoformat(offers.decode(fresh[0])[0]["starts_at"])


def test_a_choice_from_outside_the_offer_books_nothing(app, client, db, hiring):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)])
    other_offer = offers.make_offer(
        db.session,
        hiring["other"],
        [[LoopItem(hiring["stages"][0], TUESDAY_TWO, (hiring["sam"],))]],
        actor=None,
        now=NOW,
    )
    db.session.commit()
    url = portal(app, hiring["application"])
    forged = [
        f"option-{other_offer.options[0].id}",
        offers.encode([offers.item_dict(screen_at(hiring, WEDNESDAY_TEN))]),
    ]
    for choice in forged:
        assert client.post(url + "/book", data={"choice": choice}).status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Interview)) == 0


def test_a_bad_or_revoked_link_books_nothing(app, client, db, hiring):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)])
    url = portal(app, hiring["application"])
    key = choices_on(client.get(url).get_data(as_text=True))[0]

    assert client.post(url + "x/book", data={"choice": key}).status_code == 404
    with app.app_context():
        portal_services.regenerate_link(db.session, hiring["application"], None)
    db.session.commit()
    assert client.post(url + "/book", data={"choice": key}).status_code == 404
    assert client.post(portal(app, hiring["application"]) + "/book", data={}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Interview)) == 0


def test_a_closed_application_shows_no_times(app, client, db, hiring):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)])
    hiring["application"].status = hiring["application"].status.__class__("rejected")
    db.session.commit()

    assert "Pick a time" not in client.get(portal(app, hiring["application"])).text


# -- Expiry ----------------------------------------------------------------------------------


def test_an_offer_past_its_time_reads_as_expired_before_the_job_runs(app, client, db, hiring):
    offer_of(db, hiring, [screen_at(hiring, WEDNESDAY_TEN)])
    url = portal(app, hiring["application"])
    key = choices_on(client.get(url).get_data(as_text=True))[0]

    with time_machine.travel(NOW + timedelta(hours=72), tick=False):
        html = unescape(client.get(url).get_data(as_text=True))
        assert "These times are no longer held; the team will send new ones." in html
        assert choices_on(html) == []
        response = client.post(url + "/book", data={"choice": key}, follow_redirects=True)
        assert "no longer held" in response.get_data(as_text=True)

    assert db.session.scalar(select(func.count()).select_from(Interview)) == 0
    assert db.session.scalar(select(BookingOffer)).status == OfferStatus.OPEN


def test_the_expiry_job_marks_offers_past_their_time_in_batches(db, hiring):
    applications = [hiring["application"], hiring["other"]] + [
        factories.ApplicationFactory(team=hiring["team"], job=hiring["application"].job)
        for _ in range(2)
    ]
    for application in applications:
        offers.make_offer(
            db.session, application, [[screen_at(hiring, WEDNESDAY_TEN)]], actor=None, now=NOW
        )
    hiring["team"].booking_offer_hours = 1000
    fresh = offers.make_offer(
        db.session,
        factories.ApplicationFactory(team=hiring["team"], job=hiring["application"].job),
        [[screen_at(hiring, WEDNESDAY_TEN)]],
        actor=None,
        now=NOW,
    )
    db.session.commit()
    later = NOW + timedelta(hours=80)

    assert offers.expire_due(db.session, later, batch=3) == 3
    assert offers.expire_due(db.session, later, batch=3) == 1
    assert offers.expire_due(db.session, later, batch=3) == 0
    db.session.expire_all()
    statuses = db.session.scalars(select(BookingOffer.status).order_by(BookingOffer.id)).all()
    assert statuses == [OfferStatus.EXPIRED] * 4 + [OfferStatus.OPEN]
    assert fresh.status == OfferStatus.OPEN


def test_flask_expire_offers_and_the_worker_job_expire_due_offers(app, runner, db, hiring):
    offer_of(db, hiring, [screen_at(hiring, WEDNESDAY_TEN)])
    with time_machine.travel(NOW + timedelta(hours=73), tick=False):
        result = runner.invoke(args=["expire-offers", "--batch", "10"])
    assert result.exit_code == 0, result.output
    assert "Expired 1 booking offer." in result.output
    db.session.expire_all()
    assert db.session.scalar(select(BookingOffer)).status == OfferStatus.EXPIRED

    [job] = [job for job in PERIODIC_JOBS if job.name == "expire_offers"]
    assert job.every_minutes == 15
    offer_of(db, hiring, [screen_at(hiring, WEDNESDAY_TEN)])
    with time_machine.travel(NOW + timedelta(hours=73), tick=False):
        job.run(db.session)
    db.session.expire_all()
    assert db.session.scalars(select(BookingOffer.status)).all() == [OfferStatus.EXPIRED] * 2


def test_the_portal_takes_as_many_queries_for_one_offered_time_as_for_six(
    app, client, db, hiring, count_queries
):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)])
    url = portal(app, hiring["application"])
    with count_queries() as one:
        assert len(choices_on(client.get(url).get_data(as_text=True))) == 1
    starts = [TUESDAY_TEN + timedelta(hours=h) for h in range(6)]
    offer_of(
        db,
        hiring,
        *[[screen_at(hiring, at, ("dana", "sam")[n % 2])] for n, at in enumerate(starts)],
    )
    with count_queries() as six:
        assert len(choices_on(client.get(url).get_data(as_text=True))) == 6

    assert six.count == one.count


def test_whole_loops_the_search_proposes_are_offered_and_booked_whole(
    app, client, auth, db, hiring, monkeypatch
):
    screen, live = hiring["stages"]
    option = LoopOption(
        items=[
            LoopItem(screen, TUESDAY_TEN, (hiring["dana"],)),
            LoopItem(live, TUESDAY_TWO, (hiring["sam"],)),
        ],
        days=1,
    )
    asked = []

    def propose_loops(session, application, stages, now, *, tz, limit=3):
        asked.append([stage.name for stage in stages])
        return [option]

    monkeypatch.setattr(autoloop, "propose_loops", propose_loops)
    auth.login(user=hiring["manager"])
    html = client.get(offer_page(hiring)).get_data(as_text=True)
    assert asked == [["Screen", "Live coding"]]
    assert "Whole loops" in html and 'id="loop-1"' in html
    value = unescape(re.search(r'name="options" value="([^"]+)" id="loop-1"', html).group(1))

    client.post(offer_page(hiring), data={"options": [value]})
    auth.logout()
    url = portal(app, hiring["application"])
    page_html = client.get(url).get_data(as_text=True)
    assert "Book these times" in page_html
    client.post(url + "/book", data={"choice": choices_on(page_html)[0]})

    booked = db.session.scalars(select(Interview).order_by(Interview.starts_at)).all()
    assert [(i.plan_stage, i.starts_at) for i in booked] == [
        (screen, TUESDAY_TEN),
        (live, TUESDAY_TWO),
    ]


def test_without_whole_loops_the_page_offers_none(client, auth, hiring, monkeypatch):
    monkeypatch.setattr(autoloop, "propose_loops", lambda *args, **kwargs: [])
    auth.login(user=hiring["manager"])

    html = client.get(offer_page(hiring)).get_data(as_text=True)

    assert "Whole loops" not in html


def test_an_automatic_offer_for_a_stage_that_cannot_be_booked_yet_is_refused(
    client, auth, db, hiring
):
    auth.login(user=hiring["manager"])
    live = hiring["stages"][1]
    path = f"/applications/{hiring['application'].id}/stages/{live.id}/offer"

    response = client.post(path + "/automatic", follow_redirects=True)

    assert "Live coding cannot be scheduled before Screen is done" in unescape(response.text)
    assert db.session.scalar(select(func.count()).select_from(BookingOffer)) == 0


# -- A stage booked another way --------------------------------------------------------------

WEDNESDAY_TWO = datetime(2031, 3, 5, 13, 0, tzinfo=UTC)  # 14:00 Berlin, 08:00 New York


def live_coding_at(hiring, at, who="dana") -> LoopItem:
    return LoopItem(hiring["stages"][1], at, (hiring[who],))


def test_a_stage_the_manager_books_on_the_schedule_page_closes_the_offer_of_it(
    app, client, auth, db, hiring
):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)], [screen_at(hiring, WEDNESDAY_TEN)])
    url = portal(app, hiring["application"])
    assert "Pick a time for your interview" in client.get(url).get_data(as_text=True)
    auth.login(user=hiring["manager"])
    application, screen = hiring["application"], hiring["stages"][0]

    response = client.post(
        f"/applications/{application.id}/stages/{screen.id}/schedule",
        data={"slot": f"{TUESDAY_TWO.isoformat()}|{hiring['sam'].id}", "timezone": "Europe/Berlin"},
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    offer = db.session.scalar(select(BookingOffer))
    assert offer.status == OfferStatus.SUPERSEDED and offer.closed_at is not None
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "application.offer_superseded")
    )
    assert "closed when its stage was booked another way" in client.get(
        offer_page(hiring)
    ).get_data(as_text=True)
    auth.logout()
    page = client.get(url).get_data(as_text=True)
    assert "Pick a time" not in page and not choices_on(page)


def test_a_stage_booked_through_the_api_drops_only_the_options_that_hold_it(
    app, client, db, hiring
):
    offer_of(
        db,
        hiring,
        [screen_at(hiring, TUESDAY_TEN)],
        [live_coding_at(hiring, WEDNESDAY_TWO)],
    )
    application, screen = hiring["application"], hiring["stages"][0]

    response = client.post(
        "/api/v1/interviews",
        json={
            "application_id": application.id,
            "stage_id": screen.id,
            "starts_at": TUESDAY_TWO.isoformat(),
            "panel": [hiring["sam"].id],
        },
        headers=bearer(hiring["manager"]),
    )

    assert response.status_code == 201, response.json
    offer = db.session.scalar(select(BookingOffer))
    assert offer.status == OfferStatus.OPEN
    dropped = [option for option in offer.options if option.dropped_at is not None]
    assert [option.items[0]["plan_stage_id"] for option in dropped] == [screen.id]
    page = unescape(client.get(portal(app, application)).get_data(as_text=True))
    assert choices_on(page) == [f"option-{offer.options[1].id}"]
    assert "Live coding" in page


def test_a_loop_booked_by_a_manager_closes_an_automatic_offer_of_one_of_its_stages(db, hiring):
    offer_of(db, hiring, automatic=hiring["stages"][0])
    items = [screen_at(hiring, TUESDAY_TWO), live_coding_at(hiring, WEDNESDAY_TWO)]

    book_loop(db.session, hiring["application"], items, actor=hiring["manager"], now=NOW)
    db.session.commit()

    assert db.session.scalar(select(BookingOffer)).status == OfferStatus.SUPERSEDED


def test_the_candidates_own_booking_closes_the_offer_as_booked_not_superseded(
    app, client, db, hiring
):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)], [screen_at(hiring, TUESDAY_TWO)])
    url = portal(app, hiring["application"])
    keys = choices_on(client.get(url).get_data(as_text=True))

    assert client.post(url + "/book", data={"choice": keys[0]}).status_code == 302

    offer = db.session.scalar(select(BookingOffer))
    assert offer.status == OfferStatus.BOOKED
    assert all(option.dropped_at is None for option in offer.options)
    assert not db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "application.offer_superseded")
    )


def test_another_applications_booking_leaves_the_offer_alone(db, hiring):
    offer_of(db, hiring, [screen_at(hiring, TUESDAY_TEN)])

    schedule_interview(
        db.session, hiring["other"], hiring["stages"][0], TUESDAY_TWO, [hiring["sam"]], now=NOW
    )
    db.session.commit()

    offer = db.session.scalar(select(BookingOffer))
    assert offer.status == OfferStatus.OPEN and offer.options[0].dropped_at is None
