"""Interviewer pools: who fills a stage's seats, and trainees on the training path."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.scheduling import pools, services
from interviewer.scheduling.models import InterviewStatus, PanelMember
from interviewer.scheduling.pool_models import InterviewTrainee, PoolMember, TrainingPhase
from interviewer.scheduling.services import SchedulingConflict
from tests import factories
from tests.test_scheduling import MONDAY, NOW, at, book, make_interviewer, make_plan

Q, S, R = TrainingPhase.QUALIFIED, TrainingPhase.SHADOW, TrainingPhase.REVERSE_SHADOW


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setup(db):
    """An application whose screen is done, its live-coding stage, a manager and Dana."""
    application, (screen, live) = make_plan()
    team = application.team
    dana = make_interviewer(team, name="Dana Lee")
    book(db, application, screen, at(MONDAY - timedelta(days=7), 9), [dana])
    manager = factories.UserFactory(team=team, role="hiring_manager", name="Maya Manager")
    return application, live, dana, manager


def pool_with(db, stage_type, manager, members, plan_stage=None):
    pool = pools.create_pool(db.session, stage_type, actor=manager, plan_stage=plan_stage)
    for user, phase in members:
        pools.add_member(db.session, pool, user, phase, actor=manager)
    return pool


def names(users):
    return [user.name for user in users]


def test_without_a_pool_every_active_user_may_fill_the_seats(db, setup):
    application, live, dana, manager = setup
    factories.UserFactory(team=application.team, name="Gone", active=False)
    assert names(pools.qualified_interviewers(db.session, live)) == ["Dana Lee", "Maya Manager"]


def test_a_pool_lets_only_its_qualified_active_members_fill_the_seats(db, setup):
    application, live, dana, manager = setup
    team = application.team
    ben = make_interviewer(team, name="Ben Ode")
    tara = make_interviewer(team, name="Tara Trainee")
    gone = make_interviewer(team, name="Ann Gone")
    pool_with(db, live.stage_type, manager, [(dana, Q), (ben, Q), (tara, S), (gone, Q)])
    gone.active = False

    assert names(pools.qualified_interviewers(db.session, live)) == ["Ben Ode", "Dana Lee"]


def test_an_empty_pool_leaves_nobody_to_fill_the_seats(db, setup):
    application, live, dana, manager = setup
    pool_with(db, live.stage_type, manager, [])
    assert pools.qualified_interviewers(db.session, live) == []


def test_a_plan_stage_s_own_pool_overrides_its_stage_type_s(db, setup):
    application, live, dana, manager = setup
    ben = make_interviewer(application.team, name="Ben Ode")
    pool_with(db, live.stage_type, manager, [(dana, Q)])
    other_job_stage = factories.PlanStageFactory(team=application.team, stage_type=live.stage_type)
    pool_with(db, live.stage_type, manager, [(ben, Q)], plan_stage=live)

    assert names(pools.qualified_interviewers(db.session, live)) == ["Ben Ode"]
    assert names(pools.qualified_interviewers(db.session, other_job_stage)) == ["Dana Lee"]


def test_a_booking_with_someone_not_qualified_is_refused_with_their_name(db, setup):
    application, live, dana, manager = setup
    ben = make_interviewer(application.team, name="Ben Ode")
    pool_with(db, live.stage_type, manager, [(ben, Q), (dana, S)])

    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, at(MONDAY, 10), [dana])
    assert refused.value.message.startswith("Dana Lee is not qualified for Live coding interviews")
    assert refused.value.field == "panel"
    assert book(db, application, live, at(MONDAY, 10), [ben]).panel[0].user_id == ben.id


def test_a_booking_seats_one_free_trainee_who_does_not_count_toward_the_panel(db, setup):
    application, live, dana, manager = setup
    team = application.team
    tara = make_interviewer(team, name="Tara Trainee")
    rob = make_interviewer(team, name="Rob Reverse")
    pool_with(db, live.stage_type, manager, [(dana, Q), (tara, S), (rob, R)])

    interview = book(db, application, live, at(MONDAY, 10), [dana])

    assert [m.user_id for m in interview.panel] == [dana.id]  # panel_size 1 is met by Dana
    seats = db.session.scalars(select(InterviewTrainee)).all()
    # The least advanced first: Tara, a shadow, before Rob, a reverse shadow.
    assert [(s.user_id, s.phase) for s in seats] == [(tara.id, S)]
    assert db.session.scalars(select(PanelMember.user_id)).all().count(tara.id) == 0


def test_a_trainee_who_is_busy_or_away_is_not_seated(db, setup):
    application, live, dana, manager = setup
    team = application.team
    away = make_interviewer(team, name="Abe Away", weekdays=[5])  # Saturdays only
    busy = make_interviewer(team, name="Bea Busy")
    pool_with(db, live.stage_type, manager, [(dana, Q), (away, S), (busy, S)])
    other, (other_screen, _) = make_plan(team=team)
    book(db, other, other_screen, at(MONDAY, 10), [busy])

    interview = book(db, application, live, at(MONDAY, 10), [dana])

    assert (
        db.session.scalars(
            select(InterviewTrainee).where(InterviewTrainee.interview_id == interview.id)
        ).all()
        == []
    )


def test_a_trainee_already_sitting_in_then_is_not_seated_twice(db, setup):
    application, live, dana, manager = setup
    team = application.team
    ben = make_interviewer(team, name="Ben Ode")
    tara = make_interviewer(team, name="Tara Trainee")
    pool_with(db, live.stage_type, manager, [(dana, Q), (ben, Q), (tara, S)])
    other, (other_screen, other_live) = make_plan(team=team)
    other_live.stage_type = live.stage_type
    book(db, other, other_screen, at(MONDAY - timedelta(days=7), 9), [ben])
    first = book(db, other, other_live, at(MONDAY, 10), [ben])
    second = book(db, application, live, at(MONDAY, 10), [dana])

    seats = db.session.scalars(select(InterviewTrainee.interview_id)).all()
    assert seats == [first.id]
    assert second.id not in seats


def test_a_moved_interview_drops_a_trainee_no_longer_free(db, setup):
    application, live, dana, manager = setup
    team = application.team
    tara = make_interviewer(team, name="Tara Trainee", weekdays=[0])  # Mondays only
    pool_with(db, live.stage_type, manager, [(dana, Q), (tara, S)])
    interview = book(db, application, live, at(MONDAY, 10), [dana])
    assert db.session.scalars(select(InterviewTrainee.user_id)).all() == [tara.id]

    services.reschedule_interview(
        db.session, interview, at(MONDAY, 11), [dana], reason="Room", now=NOW
    )
    assert db.session.scalars(select(InterviewTrainee.user_id)).all() == [tara.id]
    services.reschedule_interview(
        db.session, interview, at(MONDAY + timedelta(days=1), 10), [dana], reason="Ill", now=NOW
    )
    assert db.session.scalars(select(InterviewTrainee.user_id)).all() == []


def seat(db, member, phase, starts_at, status=InterviewStatus.SCHEDULED):
    """An interview of the member's pool's stage type with the member sitting in."""
    stage = factories.PlanStageFactory(team=member.team, stage_type=member.pool.stage_type)
    interview = factories.InterviewFactory(
        team=member.team,
        plan_stage=stage,
        application__job=stage.job,
        starts_at=starts_at,
        status=status,
    )
    db.session.add(
        InterviewTrainee(
            team_id=member.team_id,
            interview_id=interview.id,
            user_id=member.user_id,
            pool_member_id=member.id,
            phase=phase,
        )
    )
    db.session.flush()
    return interview


def test_interviews_held_before_a_trainee_joined_do_not_count(db, setup):
    application, live, dana, manager = setup
    application.team.shadow_interviews = 1
    tara = make_interviewer(application.team, name="Tara Trainee")
    member = pool_with(db, live.stage_type, manager, [(tara, S)]).members[0]
    seat(db, member, S, NOW - timedelta(days=1))

    assert pools.advance_trainees(db.session, [application.team_id], NOW) == 0
    assert member.phase is S


def test_held_interviews_move_a_trainee_through_shadow_and_reverse_shadow(db, setup):
    application, live, dana, manager = setup
    team = application.team
    team.shadow_interviews, team.reverse_shadow_interviews = 2, 1
    tara = make_interviewer(team, name="Tara Trainee")
    pool = pool_with(db, live.stage_type, manager, [(tara, S)])
    member = pool.members[0]
    day = timedelta(days=1)
    member.phase_since = NOW - 10 * day

    seat(db, member, S, NOW - 3 * day)  # held
    seat(db, member, S, NOW - 2 * day, InterviewStatus.CANCELLED)  # cancelled: not held
    seat(db, member, S, NOW + 2 * day)  # still to come
    assert pools.advance_trainees(db.session, [team.id], NOW) == 0
    assert member.phase is S
    assert pools.held_counts(db.session, [member.id], NOW)[member.id] == {S: 1}

    assert pools.advance_trainees(db.session, [team.id], NOW + 3 * day) == 1
    assert member.phase is R and member.qualified_at is None
    assert pools.qualified_interviewers(db.session, live) == []

    # The reverse shadows count only from the move on.
    seat(db, member, R, NOW + 5 * day)
    assert pools.advance_trainees(db.session, [team.id], NOW + 4 * day) == 0
    assert pools.advance_trainees(db.session, [team.id], NOW + 6 * day) == 1
    assert member.phase is Q and member.qualified_at == NOW + 6 * day
    assert member.signed_off_by_id is None
    assert names(pools.qualified_interviewers(db.session, live)) == ["Tara Trainee"]
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "pool_member")
    ).all()
    assert actions.count("pool_member.advanced") == 2


def test_a_manager_signs_a_trainee_off_early(db, setup):
    application, live, dana, manager = setup
    tara = make_interviewer(application.team, name="Tara Trainee")
    pool = pool_with(db, live.stage_type, manager, [(tara, S)])
    member = pool.members[0]

    pools.set_phase(db.session, member, Q, actor=manager, early=True)

    assert member.phase is Q and member.signed_off_by_id == manager.id
    assert member.qualified_at == NOW
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "pool_member.signed_off")
    ).one()
    assert event.actor_id == manager.id and event.subject_id == member.id
    assert book(db, application, live, at(MONDAY, 10), [tara]).panel[0].user_id == tara.id


def test_the_worker_moves_trainees_on_without_a_manager(db, setup):
    from interviewer import worker

    application, live, dana, manager = setup
    application.team.shadow_interviews = 1
    tara = make_interviewer(application.team, name="Tara Trainee")
    member = pool_with(db, live.stage_type, manager, [(tara, S)]).members[0]
    member.phase_since = NOW - timedelta(days=5)
    seat(db, member, S, NOW - timedelta(days=1))

    job = next(job for job in worker.PERIODIC_JOBS if job.name == "advance_trainees")
    job.run(db.session)

    assert db.session.get(PoolMember, member.id).phase is R


def test_a_check_costs_one_query_whatever_the_pool_holds(db, setup, count_queries):
    application, live, dana, manager = setup
    people = [make_interviewer(application.team, name=f"P {i}") for i in range(6)]
    pool_with(db, live.stage_type, manager, [(p, Q) for p in people])
    db.session.flush()
    live.stage_type  # noqa: B018 (loaded, as the booking pages load it)
    with count_queries() as counter:
        pools.check_panel_qualified(db.session, live, people[:1])
    assert counter.count == 1


def test_a_reverse_shadow_whose_interviews_are_held_may_be_booked_before_the_worker_runs(db, setup):
    application, live, dana, manager = setup
    application.team.reverse_shadow_interviews = 1
    rob = make_interviewer(application.team, name="Rob Reverse")
    member = pool_with(db, live.stage_type, manager, [(rob, R)]).members[0]
    member.phase_since = NOW - timedelta(days=5)
    seat(db, member, R, NOW - timedelta(days=1))

    interview = book(db, application, live, at(MONDAY, 10), [rob])

    assert interview.panel[0].user_id == rob.id and member.phase is Q


def test_a_trainee_booked_on_a_panel_at_the_same_time_gives_up_the_trainee_seat(db, setup):
    application, live, dana, manager = setup
    team = application.team
    tara = make_interviewer(team, name="Tara Trainee")
    pool_with(db, live.stage_type, manager, [(dana, Q), (tara, S)])
    sitting_in = book(db, application, live, at(MONDAY, 10), [dana])
    assert db.session.scalars(select(InterviewTrainee.interview_id)).all() == [sitting_in.id]
    other, (other_screen, _) = make_plan(team=team)

    book(db, other, other_screen, at(MONDAY, 10), [tara])  # a stage without a pool

    assert db.session.scalars(select(InterviewTrainee)).all() == []


def test_removing_a_trainee_or_their_pool_keeps_their_seats_on_record(db, setup):
    application, live, dana, manager = setup
    tara = make_interviewer(application.team, name="Tara Trainee")
    pool = pool_with(db, live.stage_type, manager, [(dana, Q), (tara, S)])
    interview = book(db, application, live, at(MONDAY, 10), [dana])

    pools.delete_pool(db.session, pool, actor=manager)
    db.session.expire_all()

    seat = db.session.scalars(select(InterviewTrainee)).one()
    assert (seat.interview_id, seat.user_id, seat.pool_member_id) == (interview.id, tara.id, None)
    assert db.session.scalars(select(PoolMember)).all() == []
    assert names(pools.qualified_interviewers(db.session, live)) == [
        "Dana Lee",
        "Maya Manager",
        "Tara Trainee",
    ]
