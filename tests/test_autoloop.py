"""Whole-loop proposals: plan order, breaks, windows, hours, limits; the solver against the greedy
search on cases whose best loop is known; and booking a loop all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from interviewer.scheduling import services
from interviewer.scheduling.autoloop import (
    CANDIDATE_BREAK,
    greedy_loop,
    load_problem,
    plan_loops,
    propose_loops,
)
from interviewer.scheduling.loops import LoopItem, book_loop
from interviewer.scheduling.models import Interview
from interviewer.scheduling.services import SchedulingConflict
from interviewer.timezones import zone
from tests.test_scheduling import BERLIN, MONDAY, at, book, make_interviewer, make_plan

#: Monday 06:00 UTC (07:00 in Berlin): the working day has not begun.
NOW = at(MONDAY, 6)
TUESDAY = MONDAY + timedelta(days=1)
FRIDAY = MONDAY + timedelta(days=4)


def other_booking(db, team, person, starts_at):
    """An interview of ``person`` with another candidate."""
    other, (first, _second) = make_plan(team=team)
    return book(db, other, first, starts_at, [person], now=NOW)


def greedy(db, application, stages, now=NOW):
    problem = load_problem(db.session, application, stages, now, tz=BERLIN)
    return greedy_loop(problem)


def loop_of(option):
    return [
        (item.plan_stage.name, item.starts_at, [u.name for u in item.panel])
        for item in option.items
    ]


def test_a_loop_fills_one_day_in_plan_order_with_the_candidates_breaks(db):
    application, stages = make_plan(stages=("Screen", "Live coding", "Final"))
    make_interviewer(application.team)

    options = propose_loops(db.session, application, stages, NOW, tz=BERLIN)

    best = options[0]
    # 09:00 Berlin, then the first step 15 minutes after each end (30-minute grid).
    assert [item.starts_at for item in best.items] == [
        at(MONDAY, 8),
        at(MONDAY, 9, 30),
        at(MONDAY, 11),
    ]
    assert best.days == 1
    assert best.finishes_at == at(MONDAY, 12)
    assert best.busiest_load == 3
    assert best.found_by == "solver"
    assert len(options) == 3
    assert len({option.key for option in options}) == 3
    assert [option.rank for option in options] == sorted(option.rank for option in options)


def test_the_solver_needs_one_day_where_the_greedy_search_needs_two(db):
    application, (screen, live) = make_plan()
    team = application.team
    # Ada takes one interview a day; Ben only 09:00-10:00 on Mondays, and has one this week.
    make_interviewer(team, name="Ada Xu", daily_interview_limit=1)
    ben = make_interviewer(team, name="Ben Yu", weekdays=[0, 4], hours=(9, 10))
    other_booking(db, team, ben, at(FRIDAY, 8))

    slow = greedy(db, application, [screen, live])
    best = propose_loops(db.session, application, [screen, live], NOW, tz=BERLIN)[0]

    assert loop_of(slow) == [
        ("Screen", at(MONDAY, 8), ["Ada Xu"]),
        ("Live coding", at(TUESDAY, 8), ["Ada Xu"]),
    ]
    assert slow.days == 2
    assert loop_of(best) == [
        ("Screen", at(MONDAY, 8), ["Ben Yu"]),
        ("Live coding", at(MONDAY, 9, 30), ["Ada Xu"]),
    ]
    assert (best.days, best.found_by) == (1, "solver")


def test_the_solver_spreads_the_load_where_the_greedy_search_piles_it(db):
    application, (screen, live) = make_plan()
    team = application.team
    # Both free for the screen; only Ada for live coding. Greedy gives Ada both.
    make_interviewer(team, name="Ada Xu")
    make_interviewer(team, name="Ben Yu", hours=(9, 10))

    slow = greedy(db, application, [screen, live])
    best = propose_loops(db.session, application, [screen, live], NOW, tz=BERLIN)[0]

    assert [names for _stage, _at, names in loop_of(slow)] == [["Ada Xu"], ["Ada Xu"]]
    assert slow.busiest_load == 2
    assert [names for _stage, _at, names in loop_of(best)] == [["Ben Yu"], ["Ada Xu"]]
    assert best.busiest_load == 1
    assert best.finishes_at == slow.finishes_at
    solved = plan_loops(db.session, application, [screen, live], NOW, tz=BERLIN).stats
    first = solved["solves"][0]
    assert (first["load_status"], first["load"], first["load_bound"]) == ("OPTIMAL", 1, 1)


def test_a_long_loop_goes_over_two_days_in_plan_order(db):
    application, stages = make_plan(stages=("Screen", "Live coding", "Final"), duration=180)
    make_interviewer(application.team)

    best = propose_loops(db.session, application, stages, NOW, tz=BERLIN)[0]

    # 09:00-17:00 Berlin holds two 3-hour stages with a break; the third waits for Tuesday.
    assert [item.starts_at for item in best.items] == [
        at(MONDAY, 8),
        at(MONDAY, 11, 30),
        at(TUESDAY, 8),
    ]
    assert [item.plan_stage.position for item in best.items] == [1, 2, 3]
    assert best.days == 2


def test_a_loop_over_the_clock_change_keeps_local_hours(db):
    # Berlin moves to summer time on Sunday 30 March 2031: 09:00 is 08:00 UTC on Friday and
    # 07:00 UTC on Monday.
    friday = date(2031, 3, 28)
    monday = date(2031, 3, 31)
    application, stages = make_plan(duration=300)
    make_interviewer(application.team)

    best = propose_loops(db.session, application, stages, at(friday, 6), tz=BERLIN)[0]

    assert [item.starts_at for item in best.items] == [at(friday, 8), at(monday, 7)]
    local = [item.starts_at.astimezone(zone(BERLIN)).strftime("%a %H:%M") for item in best.items]
    assert local == ["Fri 09:00", "Mon 09:00"]
    assert best.days == 2


def test_the_loop_keeps_inside_the_candidates_windows(db):
    application, stages = make_plan()
    make_interviewer(application.team)
    windows = [(at(MONDAY, 13), at(MONDAY, 14, 30)), (at(TUESDAY, 10), at(TUESDAY, 16))]
    services.propose_windows(db.session, application, windows, now=NOW)

    options = propose_loops(db.session, application, stages, NOW, tz=BERLIN)

    assert options
    for option in options:
        for item in option.items:
            ends = item.starts_at + timedelta(minutes=item.plan_stage.duration_minutes)
            assert any(low <= item.starts_at and ends <= high for low, high in windows)
    # Monday's window holds one stage only; both fit on Tuesday.
    assert [item.starts_at for item in options[0].items] == [at(TUESDAY, 10), at(TUESDAY, 11, 30)]


def test_the_loop_keeps_inside_the_candidates_day(db):
    application, stages = make_plan()
    application.candidate.timezone = "America/New_York"
    make_interviewer(application.team)

    best = propose_loops(db.session, application, stages, NOW, tz=BERLIN)[0]

    # 08:00 in New York (summer time from 9 March) is 12:00 UTC; Dana stops at 16:00 UTC.
    assert [item.starts_at for item in best.items] == [at(MONDAY, 12), at(MONDAY, 13, 30)]


def test_the_teams_break_and_the_weekly_limit_hold(db):
    application, stages = make_plan(stages=("Screen", "Live coding", "Final"))
    team = application.team
    team.min_break_minutes = 60
    dana = make_interviewer(team, limit=2)
    make_interviewer(team, name="Sam Park", weekdays=[1])
    # Dana is at her weekly limit this week; Sam takes interviews on Tuesdays only.
    other_booking(db, team, dana, at(FRIDAY, 8))
    other_booking(db, team, dana, at(MONDAY, 10))

    options = propose_loops(db.session, application, stages, NOW, tz=BERLIN)

    assert loop_of(options[0]) == [
        ("Screen", at(TUESDAY, 8), ["Sam Park"]),
        ("Live coding", at(TUESDAY, 10), ["Sam Park"]),
        ("Final", at(TUESDAY, 12), ["Sam Park"]),
    ]
    for option in options:
        for item in option.items:
            if dana in item.panel:
                assert item.starts_at >= at(MONDAY + timedelta(days=7), 0)
        for first, second in zip(option.items, option.items[1:], strict=False):
            if set(first.panel) & set(second.panel):
                assert second.starts_at - first.starts_at >= timedelta(minutes=120)


def test_the_team_break_parts_one_interviewers_stages(db):
    application, stages = make_plan()
    application.team.min_break_minutes = 60
    dana = make_interviewer(application.team)
    other_booking(db, application.team, dana, at(MONDAY, 11))

    best = propose_loops(db.session, application, stages, NOW, tz=BERLIN)[0]

    # 08:00-09:00, then an hour's break (not the candidate's 15 minutes): 10:00-11:00 would
    # leave no break before Dana's 11:00, so live coding waits for 13:00 (12:00 + 1 hour).
    assert [item.starts_at for item in best.items] == [at(MONDAY, 8), at(MONDAY, 13)]


def test_nothing_fits_says_why(db):
    application, stages = make_plan()
    make_interviewer(application.team, weekdays=[])  # states no hours at all

    proposal = plan_loops(db.session, application, stages, NOW, tz=BERLIN)

    assert proposal.options == []
    assert "add interviewers to the pool" in proposal.reason


def test_a_stage_left_out_before_the_ticked_ones_blocks_the_loop(db):
    application, (screen, live) = make_plan()
    make_interviewer(application.team)

    proposal = plan_loops(db.session, application, [live], NOW, tz=BERLIN)

    assert proposal.options == []
    assert proposal.reason.startswith("Screen comes before Live coding")


def test_a_loop_after_a_booked_stage_begins_after_it(db):
    application, (screen, live, final) = make_plan(stages=("Screen", "Live coding", "Final"))
    dana = make_interviewer(application.team)
    book(db, application, screen, at(TUESDAY, 8), [dana], now=NOW)

    best = propose_loops(db.session, application, [live, final], NOW, tz=BERLIN)[0]

    assert best.items[0].starts_at >= at(TUESDAY, 9) + CANDIDATE_BREAK


def test_book_loop_books_everything_or_nothing(db):
    application, stages = make_plan(stages=("Screen", "Live coding", "Final"))
    team = application.team
    dana = make_interviewer(team)
    sam = make_interviewer(team, name="Sam Park")
    other_booking(db, team, sam, at(MONDAY, 11))
    items = [
        LoopItem(stages[0], at(MONDAY, 8), (dana,)),
        LoopItem(stages[1], at(MONDAY, 9, 30), (dana,)),
        LoopItem(stages[2], at(MONDAY, 11), (sam,)),  # Sam is taken then
    ]

    with pytest.raises(SchedulingConflict, match="Sam Park already has an interview"):
        book_loop(db.session, application, items, now=NOW)

    assert (
        db.session.scalars(
            select(Interview).where(Interview.application_id == application.id)
        ).all()
        == []
    )
    booked = book_loop(
        db.session,
        application,
        [*items[:2], LoopItem(stages[2], at(MONDAY, 12, 30), (sam,))],
        now=NOW,
    )
    assert [i.plan_stage.name for i in booked] == ["Screen", "Live coding", "Final"]


def test_the_grid_is_read_in_a_fixed_number_of_queries(db, count_queries):
    application, stages = make_plan(stages=("Screen", "Live coding", "Final"))
    for n in range(3):
        make_interviewer(application.team, name=f"Person {n}")
    db.session.flush()
    with count_queries() as few:
        load_problem(db.session, application, stages, NOW, tz=BERLIN)
    for n in range(5):
        person = make_interviewer(application.team, name=f"More {n}")
        other_booking(db, application.team, person, at(MONDAY, 8 + n))
    db.session.flush()
    with count_queries() as many:
        load_problem(db.session, application, stages, NOW, tz=BERLIN)

    assert many.count == few.count


def test_a_closed_application_gets_no_loop(db):
    application, stages = make_plan()
    make_interviewer(application.team)
    from interviewer.candidates.models import ApplicationStatus

    application.status = ApplicationStatus.REJECTED
    proposal = plan_loops(db.session, application, stages, NOW, tz=BERLIN)
    assert "closed" in proposal.reason


def test_utc_helpers_are_aware():
    assert NOW.tzinfo is UTC
    assert datetime(2031, 3, 17, tzinfo=UTC) == at(MONDAY, 0)


def test_the_greedy_loops_stand_in_when_the_solver_has_no_time(db):
    application, (screen, live) = make_plan()
    make_interviewer(application.team, name="Ada Xu")
    make_interviewer(application.team, name="Ben Yu", hours=(9, 10))

    proposal = plan_loops(db.session, application, [screen, live], NOW, tz=BERLIN, seconds=0)

    assert [option.found_by for option in proposal.options] == ["greedy"] * 3
    assert proposal.options[0].busiest_load == 2  # the greedy search's, not the best
    # Each greedy option begins on a later day than the one before.
    firsts = [option.items[0].starts_at for option in proposal.options]
    assert firsts == [at(MONDAY, 8), at(TUESDAY, 8), at(MONDAY + timedelta(days=2), 8)]


def test_the_options_differ_in_their_times(db):
    application, stages = make_plan(stages=("Screen", "Live coding", "Final"))
    make_interviewer(application.team)
    make_interviewer(application.team, name="Sam Park")

    options = propose_loops(db.session, application, stages, NOW, tz=BERLIN)

    assert len({option.times for option in options}) == len(options) == 3
