"""Slot suggestions: free for the candidate and enough interviewers, least-loaded panel first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interviewer.candidates.models import ApplicationStatus
from interviewer.scheduling import services
from interviewer.scheduling.slots import parse_slot, suggest_slots
from tests import factories
from tests.test_scheduling import BERLIN, MONDAY, at, book, make_interviewer, make_plan

#: Monday 07:00 in Berlin: the working day has not begun.
NOW = at(MONDAY, 6)
TUESDAY, WEDNESDAY, THURSDAY = (MONDAY + timedelta(days=n) for n in (1, 2, 3))


@pytest.fixture
def plan(db):
    """An application whose screen took place last week, its live-coding stage, and Dana."""
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(
        db,
        application,
        screen,
        at(MONDAY - timedelta(days=7), 9),
        [dana],
        now=NOW - timedelta(days=8),
    )
    return application, live, dana


def starts(suggestions):
    return [slot.starts_at for slot in suggestions.slots]


def suggest(db, application, stage, **kwargs):
    return suggest_slots(db.session, application, stage, NOW, tz=BERLIN, **kwargs)


def test_slots_lie_inside_the_interviewers_hours_a_few_per_day(db, plan):
    application, live, dana = plan

    found = suggest(db, application, live)

    # 09:00, 10:00 and 11:00 Berlin each day: three a day, not overlapping, from Monday.
    assert starts(found)[:4] == [at(MONDAY, 8), at(MONDAY, 9), at(MONDAY, 10), at(TUESDAY, 8)]
    assert len(found.slots) == 10
    assert all(slot.panel == [dana] for slot in found.slots)
    assert found.blocked is None


def test_slots_keep_inside_the_candidates_proposed_windows(db, plan):
    application, live, dana = plan
    services.propose_windows(
        db.session,
        application,
        [(at(TUESDAY, 13), at(TUESDAY, 15)), (at(THURSDAY, 7), at(THURSDAY, 9))],
        now=NOW,
    )

    found = suggest(db, application, live)

    # Thursday 07:00 UTC is 08:00 in Berlin, before Dana's day: only 08:00-09:00 UTC fits.
    assert starts(found) == [at(TUESDAY, 13), at(TUESDAY, 14), at(THURSDAY, 8)]
    assert found.candidate_windows


def test_slots_skip_the_interviewers_and_the_candidates_other_interviews(db, plan):
    application, live, dana = plan
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY, 8), [dana], now=NOW)
    second_job_stage = make_plan(team=application.team)[1][0]
    second = factories.ApplicationFactory(
        team=application.team, job=second_job_stage.job, candidate=application.candidate
    )
    sam = make_interviewer(application.team, name="Sam Park")
    book(db, second, second_job_stage, at(MONDAY, 9, 30), [sam], now=NOW)

    found = suggest(db, application, live, pool=[dana])

    # Dana is busy 08:00-09:00, the candidate 09:30-10:30 (UTC).
    assert starts(found)[:3] == [at(MONDAY, 10, 30), at(MONDAY, 11, 30), at(MONDAY, 12, 30)]
    assert {slot.panel[0].name for slot in found.slots[:3]} == {"Dana Lee"}


def test_an_interviewer_at_the_weekly_limit_is_left_out_until_next_week(db, plan):
    application, live, dana = plan
    dana.weekly_interview_limit = 1
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY, 8), [dana], now=NOW)

    found = suggest(db, application, live)

    assert starts(found)[0] == at(MONDAY + timedelta(days=7), 8)


def test_the_least_loaded_interviewers_are_suggested_first(db, plan):
    application, live, dana = plan
    live.panel_size = 2
    make_interviewer(application.team, name="Zoe Ward")
    make_interviewer(application.team, name="Sam Park")
    # Dana has two interviews this week (Friday), Sam one, Zoe none.
    for hour, person in ((8, dana), (10, dana)):
        other, (other_screen, _) = make_plan(team=application.team)
        book(db, other, other_screen, at(MONDAY + timedelta(days=4), hour), [person], now=NOW)
    sam = [u for u in application.team.users if u.name == "Sam Park"][0]
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY + timedelta(days=4), 12), [sam], now=NOW)

    first = suggest(db, application, live).slots[0]

    assert [user.name for user in first.panel] == ["Zoe Ward", "Sam Park"]
    assert list(first.load.values()) == [0, 1]


def test_too_few_free_interviewers_give_no_slot(db, plan):
    application, live, dana = plan
    live.panel_size = 2
    factories.UserFactory(team=application.team, name="No Hours")  # states no availability

    assert suggest(db, application, live).slots == []


def test_no_slot_is_offered_before_the_earlier_stage_is_scheduled(db):
    application, (screen, live) = make_plan()
    make_interviewer(application.team)

    found = suggest(db, application, live)

    assert found.slots == []
    assert found.blocked == (
        "Live coding cannot be scheduled before Screen is done: Screen is not scheduled yet."
    )


def test_slots_begin_after_the_earlier_stage_ends(db):
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(db, application, screen, at(WEDNESDAY, 10), [dana], now=NOW)

    assert starts(suggest(db, application, live))[0] == at(WEDNESDAY, 11)


def test_a_stage_already_booked_or_a_closed_application_gets_no_slots(db, plan):
    application, live, dana = plan
    interview = book(db, application, live, at(MONDAY, 8), [dana], now=NOW)
    assert "already scheduled" in suggest(db, application, live).blocked

    services.cancel_interview(db.session, interview, "Moved on")
    application.status = ApplicationStatus.REJECTED
    assert "application is closed" in suggest(db, application, live).blocked


def test_a_slot_value_round_trips():
    start = datetime(2031, 3, 17, 8, tzinfo=UTC)

    assert parse_slot(f"{start.isoformat()}|3,5") == (start, [3, 5])
    with pytest.raises(ValueError):
        parse_slot("2031-03-17T08:00|3")
