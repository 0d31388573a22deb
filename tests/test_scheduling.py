"""Booking rules: every conflict is refused with a reason that names the person and the clash."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.candidates.models import ApplicationStatus
from interviewer.scheduling import services
from interviewer.scheduling.models import CandidateWindow, Interview, InterviewStatus
from interviewer.scheduling.services import SchedulingConflict, SchedulingError
from tests import factories

#: A Monday in winter time (Berlin is UTC+1); the tests book in that week.
MONDAY = date(2031, 3, 17)
NOW = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
BERLIN = "Europe/Berlin"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A UTC instant on ``day``."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def make_plan(team=None, stages=("Screen", "Live coding"), panel_size=1, duration=60):
    """A job with the given stages (in order) and an application to it."""
    team = team or factories.TeamFactory()
    job = factories.JobFactory(team=team)
    plan = []
    for position, name in enumerate(stages, start=1):
        stage_type = factories.StageTypeFactory(team=team, key=name.lower().replace(" ", "_"))
        plan.append(
            factories.PlanStageFactory(
                team=team,
                job=job,
                stage_type=stage_type,
                position=position,
                name=name,
                panel_size=panel_size,
                duration_minutes=duration,
            )
        )
    application = factories.ApplicationFactory(team=team, job=job, candidate__name="Ana Costa")
    return application, plan


def make_interviewer(
    team, name="Dana Lee", tz=BERLIN, limit=None, weekdays=range(5), hours=(9, 17), **fields
):
    """A user who takes interviews ``hours`` (their own zone) on ``weekdays``."""
    user = factories.UserFactory(
        team=team, name=name, timezone=tz, weekly_interview_limit=limit, **fields
    )
    for weekday in weekdays:
        factories.AvailabilityFactory(
            team=team,
            user=user,
            weekday=weekday,
            start_time=time(hours[0]),
            end_time=time(hours[1]),
        )
    return user


def book(db, application, stage, starts_at, panel, now=NOW, **kwargs):
    return services.schedule_interview(
        db.session, application, stage, starts_at, panel, now=now, **kwargs
    )


def book_screen(db, application, screen, interviewer, day=MONDAY - timedelta(days=7)):
    """Get the first stage out of the way so later stages may be booked."""
    return book(db, application, screen, at(day, 9), [interviewer])


@pytest.fixture
def setup(db):
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    book_screen(db, application, screen, dana)
    return application, screen, live, dana


def test_the_booking_zone_defaults_to_whoever_books(db, setup):
    application, _screen, live, dana = setup
    manager = make_interviewer(application.team, name="Mo Reyes", tz="America/New_York")

    interview = book(db, application, live, at(MONDAY, 13), [dana], actor=manager)

    assert interview.timezone == "America/New_York"


def test_a_free_interviewer_is_booked_with_the_stage_duration_kit_and_audit(db, setup):
    application, screen, live, dana = setup
    factories.KitVersionFactory(team=application.team, plan_stage=live)

    interview = book(db, application, live, at(MONDAY, 13), [dana], location="Room 2")

    assert interview.ends_at == at(MONDAY, 14)
    assert interview.timezone == BERLIN  # without a person booking, the first interviewer's
    assert [member.user for member in interview.panel] == [dana]
    assert interview.kit_version is live.current_kit
    assert interview.kit_version.used_at == NOW
    assert interview.status == InterviewStatus.SCHEDULED
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "interview.scheduled", AuditEvent.subject_id == interview.id
        )
    ).one()
    assert event.data["panel"] == [dana.id]


def test_an_interviewer_already_booked_in_an_overlapping_slot_is_refused(db, setup):
    application, screen, live, dana = setup
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY, 13), [dana])

    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, at(MONDAY, 13, 30), [dana])

    assert str(refused.value) == (
        "Dana Lee already has an interview Mon 17 Mar, 14:00-15:00 (Berlin time) "
        "with another candidate."
    )
    assert refused.value.field == "panel"


def test_back_to_back_interviews_do_not_clash(db, setup):
    application, screen, live, dana = setup
    other, (other_screen, _) = make_plan(team=application.team)
    book(db, other, other_screen, at(MONDAY, 12), [dana])

    interview = book(db, application, live, at(MONDAY, 13), [dana])
    book(db, other, other_screen.job.stages[1], at(MONDAY, 14), [dana])

    assert interview.starts_at == at(MONDAY, 13)


def test_the_candidate_already_booked_in_another_job_is_refused(db, setup):
    application, screen, live, dana = setup
    sam = make_interviewer(application.team, name="Sam Park")
    _, (second_screen, _) = make_plan(team=application.team)
    second = factories.ApplicationFactory(
        team=application.team, job=second_screen.job, candidate=application.candidate
    )
    book(db, second, second_screen, at(MONDAY, 13), [sam])

    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, at(MONDAY, 13, 30), [dana])

    assert str(refused.value) == (
        f"Ana Costa already has an interview Mon 17 Mar, 14:00-15:00 (Berlin time): "
        f"Screen for {second_screen.job.title}."
    )


def test_a_cancelled_interview_frees_its_slot(db, setup):
    application, screen, live, dana = setup
    other, (other_screen, _) = make_plan(team=application.team)
    taken = book(db, other, other_screen, at(MONDAY, 13), [dana])
    services.cancel_interview(db.session, taken, "Candidate withdrew")

    assert book(db, application, live, at(MONDAY, 13), [dana]).panel[0].user == dana


def test_a_day_without_weekly_hours_is_refused_naming_the_weekday(db, setup):
    application, screen, live, dana = setup
    saturday = MONDAY + timedelta(days=5)

    with pytest.raises(SchedulingConflict, match=r"^Dana Lee is not available on Saturdays\.$"):
        book(db, application, live, at(saturday, 10), [dana])


def test_a_slot_running_past_the_hours_is_refused_with_the_hours(db, setup):
    application, screen, live, dana = setup

    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, at(MONDAY, 15, 30), [dana])  # 16:30-17:30 Berlin

    assert str(refused.value) == (
        "Dana Lee is available 09:00-17:00 (Berlin time) on Mon 17 Mar; "
        "16:30-17:30 is outside that."
    )


def test_a_day_off_is_refused(db, setup):
    application, screen, live, dana = setup
    factories.AvailabilityExceptionFactory(
        team=application.team, user=dana, on_date=MONDAY, note="Conference"
    )

    with pytest.raises(SchedulingConflict, match=r"not available on Mon 17 Mar: day off \(Conf"):
        book(db, application, live, at(MONDAY, 10), [dana])


def test_hours_taken_away_on_a_date_are_refused_and_the_rest_stays_open(db, setup):
    application, screen, live, dana = setup
    factories.AvailabilityExceptionFactory(
        team=application.team,
        user=dana,
        on_date=MONDAY,
        start_time=time(12),
        end_time=time(14),
    )

    with pytest.raises(SchedulingConflict, match="available 09:00-12:00, 14:00-17:00"):
        book(db, application, live, at(MONDAY, 11), [dana])  # 12:00 Berlin
    assert book(db, application, live, at(MONDAY, 13), [dana])  # 14:00 Berlin


def test_extra_hours_on_a_weekend_date_can_be_booked(db, setup):
    application, screen, live, dana = setup
    saturday = MONDAY + timedelta(days=5)
    factories.AvailabilityExceptionFactory(
        team=application.team,
        user=dana,
        on_date=saturday,
        start_time=time(10),
        end_time=time(12),
        available=True,
    )

    assert book(db, application, live, at(saturday, 9), [dana]).starts_at == at(saturday, 9)


def test_an_interviewer_without_stated_availability_is_refused(db, setup):
    application, screen, live, dana = setup
    newcomer = factories.UserFactory(team=application.team, name="Kim New")

    with pytest.raises(SchedulingConflict, match="^Kim New has not stated when they can interview"):
        book(db, application, live, at(MONDAY, 10), [newcomer])


def test_a_stage_before_an_earlier_stage_is_scheduled_is_refused(db):
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)

    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, at(MONDAY, 10), [dana])

    assert str(refused.value) == (
        "Live coding cannot be scheduled before Screen is done: Screen is not scheduled yet."
    )


def test_an_earlier_stage_the_application_has_moved_past_counts_as_done(db):
    """A screen held by phone leaves no interview in the app; the later stage can be booked."""
    application, (screen, live) = make_plan()
    application.current_stage = live
    dana = make_interviewer(application.team)

    interview = book(db, application, live, at(MONDAY, 10), [dana])

    assert interview.plan_stage == live


def test_a_stage_starting_before_the_earlier_stage_ends_is_refused(db):
    application, (screen, live) = make_plan()
    dana = make_interviewer(application.team)
    sam = make_interviewer(application.team, name="Sam Park")
    book(db, application, screen, at(MONDAY + timedelta(days=1), 9), [dana])

    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, at(MONDAY, 9), [sam])

    assert str(refused.value) == (
        "Live coding cannot be scheduled before Screen is done: "
        "Screen ends Tue 18 Mar, 11:00 (Berlin time)."
    )
    # Right after it is fine: the earlier stage is done by then.
    assert book(db, application, live, at(MONDAY + timedelta(days=1), 10), [sam])


def test_an_earlier_stage_cannot_move_after_a_later_one(db, setup):
    application, screen, live, dana = setup
    book(db, application, live, at(MONDAY, 9), [dana])
    first = db.session.scalars(select(Interview).where(Interview.plan_stage == screen)).one()

    with pytest.raises(SchedulingConflict) as refused:
        services.reschedule_interview(
            db.session, first, at(MONDAY, 12), [dana], reason="Clash", now=NOW
        )

    assert str(refused.value) == (
        "Screen must be done before Live coding, which starts Mon 17 Mar, 10:00 (Berlin time)."
    )


def test_a_stage_already_scheduled_is_refused(db, setup):
    application, screen, live, dana = setup
    book(db, application, live, at(MONDAY, 9), [dana])

    with pytest.raises(SchedulingConflict, match="^Live coding is already scheduled for Ana Costa"):
        book(db, application, live, at(MONDAY, 12), [dana])


def test_an_interviewer_at_the_weekly_limit_is_refused(db):
    application, (screen, live) = make_plan()
    alex = make_interviewer(application.team, name="Alex Kim", limit=2)
    others = [make_plan(team=application.team)[0] for _ in range(2)]
    for hour, other in zip((9, 11), others, strict=True):
        book(db, other, other.job.stages[0], at(MONDAY, hour), [alex])
    dana = make_interviewer(application.team)
    book_screen(db, application, screen, dana)

    with pytest.raises(SchedulingConflict) as refused:
        book(db, application, live, at(MONDAY + timedelta(days=2), 9), [alex])

    assert str(refused.value) == (
        "Alex Kim has reached the weekly limit of 2 interviews (week of Mon 17 Mar)."
    )
    # The next week starts afresh.
    assert book(db, application, live, at(MONDAY + timedelta(days=7), 9), [alex])


def test_the_weekly_limit_counts_weeks_in_the_interviewers_zone(db):
    """Monday 08:00 in Tokyo is still Sunday in UTC: it belongs to Tokyo's new week."""
    application, (screen, live) = make_plan()
    aiko = make_interviewer(
        application.team,
        name="Aiko Sato",
        tz="Asia/Tokyo",
        limit=1,
        weekdays=range(7),
        hours=(8, 17),
    )
    other = make_plan(team=application.team)[0]
    book(db, other, other.job.stages[0], at(MONDAY - timedelta(days=1), 23), [aiko])
    book_screen(db, application, screen, make_interviewer(application.team))

    with pytest.raises(SchedulingConflict, match="weekly limit of 1 interview \\(week of Mon 17"):
        book(db, application, live, at(MONDAY + timedelta(days=2), 1), [aiko])
    assert book(db, application, live, at(MONDAY - timedelta(days=2), 1), [aiko])


def test_the_panel_must_have_the_stage_size(db, setup):
    application, screen, live, dana = setup
    live.panel_size = 2

    with pytest.raises(SchedulingError, match=r"^Live coding needs 2 interviewers; 1 chosen\.$"):
        book(db, application, live, at(MONDAY, 9), [dana])
    with pytest.raises(SchedulingError, match="each interviewer once"):
        book(db, application, live, at(MONDAY, 9), [dana, dana])


def test_a_stage_of_another_job_is_refused(db, setup):
    application, screen, live, dana = setup
    _, (foreign_stage, _) = make_plan(team=application.team)

    with pytest.raises(SchedulingError, match="is not a stage of this job's plan"):
        book(db, application, foreign_stage, at(MONDAY, 9), [dana])


def test_a_closed_application_cannot_be_scheduled(db, setup):
    application, screen, live, dana = setup
    application.status = ApplicationStatus.WITHDRAWN

    with pytest.raises(SchedulingError, match="application is withdrawn; a closed application"):
        book(db, application, live, at(MONDAY, 9), [dana])


def test_a_time_in_the_past_is_refused(db, setup):
    application, screen, live, dana = setup

    with pytest.raises(SchedulingError, match="That time has passed"):
        book(db, application, live, at(MONDAY, 9), [dana], now=at(MONDAY, 10))


def test_rescheduling_keeps_the_uid_bumps_the_sequence_and_may_overlap_its_old_slot(db, setup):
    application, screen, live, dana = setup
    sam = make_interviewer(application.team, name="Sam Park")
    interview = book(db, application, live, at(MONDAY, 9), [dana])
    uid = interview.uid

    services.reschedule_interview(
        db.session, interview, at(MONDAY, 9, 30), [sam], reason="Dana is ill", now=NOW
    )

    assert (interview.uid, interview.sequence) == (uid, 1)
    assert interview.starts_at == at(MONDAY, 9, 30)
    assert [member.user for member in interview.panel] == [sam]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "interview.rescheduled")
    ).one()
    assert event.data["reason"] == "Dana is ill"
    assert event.data["previous"]["panel"] == [dana.id]


def test_rescheduling_needs_a_reason_and_a_live_interview(db, setup):
    application, screen, live, dana = setup
    interview = book(db, application, live, at(MONDAY, 9), [dana])

    with pytest.raises(SchedulingError, match="Say why"):
        services.reschedule_interview(db.session, interview, at(MONDAY, 12), [dana], reason=" ")
    services.cancel_interview(db.session, interview, "Position filled")
    with pytest.raises(SchedulingError, match="cancelled interview cannot be rescheduled"):
        services.reschedule_interview(db.session, interview, at(MONDAY, 12), [dana], reason="x")


def test_cancelling_keeps_the_reason_and_bumps_the_sequence(db, setup):
    application, screen, live, dana = setup
    interview = book(db, application, live, at(MONDAY, 9), [dana])

    services.cancel_interview(db.session, interview, "  Candidate withdrew ")

    assert interview.status == InterviewStatus.CANCELLED
    assert (interview.cancel_reason, interview.sequence) == ("Candidate withdrew", 1)
    with pytest.raises(SchedulingError, match="already cancelled"):
        services.cancel_interview(db.session, interview, "again")


def test_proposed_windows_replace_the_earlier_ones_and_are_joined(db):
    application, _ = make_plan()
    services.propose_windows(db.session, application, [(at(MONDAY, 8), at(MONDAY, 9))], now=NOW)

    windows = services.propose_windows(
        db.session,
        application,
        [(at(MONDAY, 13), at(MONDAY, 15)), (at(MONDAY, 14), at(MONDAY, 16))],
        now=NOW,
    )

    stored = db.session.scalars(select(CandidateWindow)).all()
    assert stored == windows
    assert [(w.starts_at, w.ends_at) for w in stored] == [(at(MONDAY, 13), at(MONDAY, 16))]
    assert services.upcoming_windows(db.session, application.id, now=NOW) == windows


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ((at(MONDAY, 9), at(MONDAY, 9, 15)), "at least 30 minutes"),
        ((at(MONDAY, 9), at(MONDAY, 10)), "already passed"),
    ],
)
def test_proposed_windows_that_are_too_short_or_over_are_refused(db, window, message):
    application, _ = make_plan()

    with pytest.raises(SchedulingError, match=message):
        services.propose_windows(db.session, application, [window], now=at(MONDAY, 12))


def test_moving_an_interview_within_the_week_does_not_count_it_twice_against_the_limit(db):
    application, (screen, live) = make_plan()
    alex = make_interviewer(application.team, name="Alex Kim", limit=1)
    book_screen(db, application, screen, make_interviewer(application.team))
    interview = book(db, application, live, at(MONDAY, 9), [alex])

    services.reschedule_interview(
        db.session, interview, at(MONDAY + timedelta(days=3), 9), [alex], reason="Moved", now=NOW
    )

    assert interview.starts_at == at(MONDAY + timedelta(days=3), 9)
