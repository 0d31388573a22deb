"""Daily limits (days in the interviewer's own zone) and the team's minimum break between
one interviewer's interviews: refused on booking and rescheduling, kept by slot suggestions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interviewer.scheduling import services
from interviewer.scheduling.limits import break_clash, daily_count, day_bounds
from interviewer.scheduling.services import SchedulingConflict
from interviewer.scheduling.slots import suggest_slots
from tests.test_scheduling import (
    BERLIN,
    MONDAY,
    NOW,
    at,
    book,
    book_screen,
    make_interviewer,
    make_plan,
)

TUESDAY = MONDAY + timedelta(days=1)
TOKYO = "Asia/Tokyo"


@pytest.fixture
def setup(db):
    """Ana's screen took place last week; her live-coding stage is next; Dana interviews."""
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book_screen(db, application, screen, dana)
    return application, live, dana


def book_other(db, team, starts_at, panel):
    """An interview of another candidate at ``starts_at`` with ``panel``."""
    other, (other_screen, _) = make_plan(team=team)
    return book(db, other, other_screen, starts_at, panel)


# --- the pure functions ---------------------------------------------------------------


def test_a_day_is_counted_from_midnight_to_midnight_in_the_zone_even_when_clocks_change():
    """30 March 2031: Berlin's clocks go forward, so the day lasts 23 hours."""
    first, last = day_bounds(datetime(2031, 3, 30, 12, tzinfo=UTC), BERLIN)
    assert (first, last) == (
        datetime(2031, 3, 29, 23, tzinfo=UTC),
        datetime(2031, 3, 30, 22, tzinfo=UTC),
    )
    bookings = [
        (datetime(2031, 3, 29, 22, 30, tzinfo=UTC), None, 1),  # Saturday 23:30 in Berlin
        (datetime(2031, 3, 29, 23, 30, tzinfo=UTC), None, 2),  # Sunday 00:30
        (datetime(2031, 3, 30, 21, 30, tzinfo=UTC), None, 3),  # Sunday 23:30
        (datetime(2031, 3, 30, 22, 30, tzinfo=UTC), None, 4),  # Monday 00:30
    ]
    assert daily_count(bookings, datetime(2031, 3, 30, 12, tzinfo=UTC), BERLIN) == 2
    assert daily_count(bookings, datetime(2031, 3, 30, 12, tzinfo=UTC), "UTC") == 2
    assert daily_count(bookings, datetime(2031, 3, 29, 12, tzinfo=UTC), "UTC") == 2
    assert daily_count(bookings, datetime(2031, 3, 29, 12, tzinfo=UTC), BERLIN) == 1


def test_a_break_clash_is_any_interview_nearer_than_the_break_and_a_gap_of_the_break_is_enough():
    other = (at(MONDAY, 13), at(MONDAY, 14), 7)
    slot = timedelta(hours=1)

    def clash(start: datetime, minutes: int):
        return break_clash([other], start, start + slot, minutes)

    assert clash(at(MONDAY, 14), 0) is None  # back to back without a break
    assert clash(at(MONDAY, 14), 10) == other
    assert clash(at(MONDAY, 14, 9), 10) == other
    assert clash(at(MONDAY, 14, 10), 10) is None
    assert clash(at(MONDAY, 11, 51), 10) == other  # ends 12:51, nine minutes before
    assert clash(at(MONDAY, 11, 50), 10) is None
    assert clash(at(MONDAY, 13, 30), 10) == other  # overlapping clashes too


# --- booking ---------------------------------------------------------------------------


def test_the_daily_limit_counts_days_in_the_interviewers_zone(db):
    """Tuesday 01:00 and Monday 23:00 UTC are both Tuesday in Tokyo; Monday 08:00 UTC is
    still Monday there."""
    application, (screen, live) = make_plan()
    aiko = make_interviewer(
        application.team,
        name="Aiko Sato",
        tz=TOKYO,
        weekdays=range(7),
        hours=(8, 18),
        daily_interview_limit=1,
    )
    book_screen(db, application, screen, make_interviewer(application.team))
    book_other(db, application.team, at(TUESDAY, 1), [aiko])  # Tuesday 10:00 in Tokyo

    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, at(MONDAY, 23), [aiko])  # Tuesday 08:00 in Tokyo

    assert str(refused.value) == (
        "Aiko Sato has reached the daily limit of 1 interview (Tue 18 Mar, Tokyo time)."
    )
    assert refused.value.field == "panel"
    assert book(db, application, live, at(MONDAY, 8), [aiko])  # Monday 17:00 in Tokyo


def test_a_daily_limit_of_two_allows_a_second_interview_and_refuses_a_third(db, setup):
    application, live, dana = setup
    dana.daily_interview_limit = 2
    book_other(db, application.team, at(MONDAY, 8), [dana])
    book_other(db, application.team, at(MONDAY, 10), [dana])

    with pytest.raises(SchedulingConflict, match=r"daily limit of 2 interviews \(Mon 17 Mar"):
        book(db, application, live, at(MONDAY, 13), [dana])
    assert book(db, application, live, at(TUESDAY, 13), [dana])


@pytest.mark.parametrize(
    ("starts_at", "allowed"),
    [
        (at(MONDAY, 14), False),  # right after the other interview
        (at(MONDAY, 14, 5), False),
        (at(MONDAY, 14, 10), True),  # a gap of exactly the break
        (at(MONDAY, 11, 55), False),  # ends five minutes before it
        (at(MONDAY, 11, 50), True),
    ],
)
def test_two_interviews_of_one_interviewer_need_the_teams_minimum_break(
    db, setup, starts_at, allowed
):
    application, live, dana = setup
    application.team.min_break_minutes = 10
    book_other(db, application.team, at(MONDAY, 13), [dana])

    if allowed:
        assert book(db, application, live, starts_at, [dana]).starts_at == starts_at
        return
    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, starts_at, [dana])
    assert str(refused.value) == (
        "Dana Lee needs a break of 10 minutes between interviews and has one "
        "Mon 17 Mar, 14:00-15:00 (Berlin time)."
    )
    assert refused.value.field == "panel"


def test_without_a_break_back_to_back_is_fine(db, setup):
    application, live, dana = setup
    book_other(db, application.team, at(MONDAY, 13), [dana])

    assert book(db, application, live, at(MONDAY, 14), [dana])


def test_the_break_is_the_interviewers_the_candidate_may_go_from_one_to_the_next(db):
    application, (screen, live) = make_plan()
    application.team.min_break_minutes = 15
    dana = make_interviewer(application.team)
    sam = make_interviewer(application.team, name="Sam Park")
    book(db, application, screen, at(MONDAY, 9), [sam])

    assert book(db, application, live, at(MONDAY, 10), [dana])


def test_an_overlap_is_told_as_an_overlap_not_as_a_missing_break(db, setup):
    application, live, dana = setup
    application.team.min_break_minutes = 10
    book_other(db, application.team, at(MONDAY, 13), [dana])

    with pytest.raises(SchedulingConflict, match="already has an interview .* another candidate"):
        book(db, application, live, at(MONDAY, 13, 30), [dana])


def test_rescheduling_does_not_count_the_interview_it_moves(db, setup):
    application, live, dana = setup
    dana.daily_interview_limit = 1
    application.team.min_break_minutes = 30
    interview = book(db, application, live, at(MONDAY, 12), [dana])

    # Later the same day, and then half an hour on, overlapping its own old time.
    services.reschedule_interview(
        db.session, interview, at(MONDAY, 14), [dana], reason="Later", now=NOW
    )
    services.reschedule_interview(
        db.session, interview, at(MONDAY, 14, 30), [dana], reason="Later still", now=NOW
    )

    assert interview.starts_at == at(MONDAY, 14, 30)


def test_rescheduling_keeps_the_break_and_the_daily_limit_against_other_interviews(db, setup):
    application, live, dana = setup
    application.team.min_break_minutes = 30
    interview = book(db, application, live, at(MONDAY, 12), [dana])
    book_other(db, application.team, at(TUESDAY, 10), [dana])

    with pytest.raises(SchedulingConflict, match="needs a break of 30 minutes .* Tue 18 Mar, 11"):
        services.reschedule_interview(
            db.session, interview, at(TUESDAY, 11, 15), [dana], reason="Tuesday", now=NOW
        )
    dana.daily_interview_limit = 1
    with pytest.raises(SchedulingConflict, match="daily limit of 1 interview \\(Tue 18 Mar"):
        services.reschedule_interview(
            db.session, interview, at(TUESDAY, 13), [dana], reason="Tuesday", now=NOW
        )
    assert interview.starts_at == at(MONDAY, 12)


def test_the_checks_run_the_same_queries_however_many_interviews_are_around(db, count_queries):
    counts = []
    for others in (1, 5):
        application, (screen, live) = make_plan()
        application.team.min_break_minutes = 10
        dana = make_interviewer(application.team, daily_interview_limit=9, limit=20)
        book_screen(db, application, screen, dana)
        for day in range(others):
            book_other(db, application.team, at(MONDAY + timedelta(days=day), 8), [dana])
        db.session.flush()
        with count_queries() as counter:
            book(db, application, live, at(MONDAY, 13), [dana])
        counts.append(counter.count)

    assert counts[0] == counts[1]


# --- slot suggestions -----------------------------------------------------------------

#: Monday 07:00 in Berlin: the working day has not begun.
EARLY = at(MONDAY, 6)


def suggest(db, application, stage, **kwargs):
    return suggest_slots(db.session, application, stage, EARLY, tz=BERLIN, **kwargs)


def starts(suggestions):
    return [slot.starts_at for slot in suggestions.slots]


@pytest.fixture
def plan(db):
    """Ana's screen took place last week, her live-coding stage, and Dana (08-16 UTC)."""
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book(db, application, screen, at(MONDAY - timedelta(days=7), 9), [dana], now=NOW)
    return application, live, dana


def other_at(db, team, starts_at, panel):
    other, (other_screen, _) = make_plan(team=team)
    return book(db, other, other_screen, starts_at, panel, now=EARLY)


def test_slots_keep_the_break_around_the_interviewers_other_interviews(db, plan):
    application, live, dana = plan
    other_at(db, application.team, at(MONDAY, 9), [dana])  # 09:00-10:00 UTC

    assert starts(suggest(db, application, live))[:2] == [at(MONDAY, 8), at(MONDAY, 10)]

    application.team.min_break_minutes = 30
    found = suggest(db, application, live)

    # 08:00 would end as the other starts; 10:30 leaves exactly the half hour.
    assert starts(found)[:2] == [at(MONDAY, 10, 30), at(MONDAY, 11, 30)]
    booked = book(db, application, live, found.slots[0].starts_at, found.slots[0].panel)
    assert booked.starts_at == at(MONDAY, 10, 30)


def test_an_interviewer_at_the_daily_limit_is_left_out_until_the_next_day(db, plan):
    application, live, dana = plan
    dana.daily_interview_limit = 1
    other_at(db, application.team, at(MONDAY, 13), [dana])

    found = suggest(db, application, live)

    assert starts(found)[0] == at(TUESDAY, 8)
    assert book(db, application, live, found.slots[0].starts_at, found.slots[0].panel)


def test_slots_count_the_daily_limit_in_the_interviewers_zone(db, plan):
    """Aiko (Tokyo, 08:00-18:00, so 23:00-09:00 UTC) already has Tuesday 08:00 Tokyo."""
    application, live, _dana = plan
    aiko = make_interviewer(
        application.team,
        name="Aiko Sato",
        tz=TOKYO,
        weekdays=range(7),
        hours=(8, 18),
        daily_interview_limit=1,
    )
    other_at(db, application.team, at(MONDAY, 23), [aiko])

    found = suggest(db, application, live, pool=[aiko])

    # Monday afternoon in Tokyo, then nothing until Wednesday 08:00 Tokyo (Tuesday 23:00
    # UTC), though Tuesday in UTC has no interview of hers.
    assert starts(found)[:4] == [at(MONDAY, 6), at(MONDAY, 7), at(MONDAY, 8), at(TUESDAY, 23)]


def test_a_busier_interviewer_steps_in_when_the_least_loaded_needs_a_break(db, plan):
    application, live, dana = plan
    application.team.min_break_minutes = 15
    sam = make_interviewer(application.team, name="Sam Park")
    other_at(db, application.team, at(MONDAY, 9), [dana])  # Dana: one this week, Sam none
    other_at(db, application.team, at(TUESDAY, 9), [sam])
    other_at(db, application.team, at(TUESDAY, 11), [sam])

    first = suggest(db, application, live).slots[0]

    # Dana has fewer interviews that week, but 08:00-09:00 leaves her no break.
    assert (first.starts_at, first.panel, first.load) == (at(MONDAY, 8), [sam], {sam.id: 2})


def test_suggested_slots_book_as_offered(db, plan):
    """Whatever suggestions offer, booking takes: the two never disagree on the rules."""
    application, live, dana = plan
    application.team.min_break_minutes = 20
    dana.daily_interview_limit = 2
    sam = make_interviewer(application.team, name="Sam Park", daily_interview_limit=1)
    live.panel_size = 2
    for day, hour in ((0, 9), (0, 12), (1, 10), (2, 8)):
        other_at(db, application.team, at(MONDAY + timedelta(days=day), hour), [dana])
    other_at(db, application.team, at(TUESDAY, 14), [sam])

    found = suggest(db, application, live, limit=10)

    assert found.slots
    for slot in found.slots:
        nested = db.session.begin_nested()
        booked = book(db, application, live, slot.starts_at, slot.panel, now=EARLY)
        assert booked.starts_at == slot.starts_at
        nested.rollback()
