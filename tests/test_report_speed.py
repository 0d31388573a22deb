"""The speed report's figures on hand-built histories with answers worked out by hand:
time in stage, to a decision and a hire, scorecard turnaround and scheduling lead time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from interviewer.auth.models import Role
from interviewer.candidates import pipeline, services
from interviewer.reports.filters import ReportFilter
from interviewer.reports.speed import (
    duration,
    speed_csv,
    speed_report,
    stage_chart,
    turnaround_chart,
)
from interviewer.reports.stats import DAY, HOUR
from interviewer.scheduling.models import InterviewStatus
from interviewer.scorecards import decisions
from interviewer.scorecards import services as scorecards
from interviewer.scorecards.models import ScorecardState
from interviewer.scorecards.services import RatingInput, ScorecardInput
from tests import factories

#: A Monday morning in the middle of the report's range.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START, END = date(2026, 3, 1), date(2026, 5, 31)
STAGES = ("Screen", "Live coding", "System design")


def plan(team, names=STAGES, types=None):
    """A job of ``team`` with a plan of ``names`` (of stage ``types`` when given)."""
    job = factories.JobFactory(team=team)
    for position, name in enumerate(names, start=1):
        factories.PlanStageFactory(
            team=team,
            job=job,
            position=position,
            name=name,
            stage_type=types[position - 1] if types else _stage_type(team, name),
        )
    return job


def _stage_type(team, name):
    return factories.StageTypeFactory(team=team, key=name.lower().replace(" ", "_"), name=name)


def applied(db, job, at):
    """An application to ``job`` received at ``at``, through the service."""
    candidate = factories.CandidateFactory(team=job.team)
    application = services.apply_to_job(db.session, candidate, job, actor=None, now=at)
    application.created_at = at
    db.session.flush()
    return application


def moved(db, application, move, at, **kwargs):
    return pipeline.move(db.session, application, move, None, now=at, **kwargs)


def in_range(team, job=None, start=START, end=END):
    return ReportFilter(team.id, start, end, job_id=job.id if job else None)


def by_name(report):
    return {stage.name: stage for stage in report.stages}


def test_three_screen_stays_of_one_two_and_ten_days_have_a_median_of_two_days(db):
    team = factories.TeamFactory()
    job = plan(team)
    for days in (1, 2, 10):
        moved(db, applied(db, job, T0), "advance", T0 + timedelta(days=days))

    stages = by_name(speed_report(db.session, in_range(team, job)))

    screen = stages["Screen"]
    assert screen.n == 3
    assert screen.figures.median == pytest.approx(2 * DAY)
    assert not screen.figures.enough, "three stays are too few to show"
    assert screen.open == 0
    # The three are now in Live coding: open stays, not counted.
    assert stages["Live coding"].figures is None
    assert stages["Live coding"].open == 3
    assert [stage.name for stage in speed_report(db.session, in_range(team, job)).stages] == list(
        STAGES
    )


def test_five_stays_give_a_median_and_an_interpolated_90th_percentile(db):
    team = factories.TeamFactory()
    job = plan(team)
    for days in (4, 1, 10, 3, 2):
        moved(db, applied(db, job, T0), "advance", T0 + timedelta(days=days))

    screen = by_name(speed_report(db.session, in_range(team, job)))["Screen"]

    assert screen.figures.enough
    assert screen.figures.median == pytest.approx(3 * DAY)
    # Rank (5 - 1) * 0.9 = 3.6 of 1, 2, 3, 4, 10: 4 + 0.6 * 6 = 7.6 days.
    assert screen.figures.p90 == pytest.approx(7.6 * DAY)


def test_every_stay_counts_once_moving_back_makes_a_second_stay(db):
    team = factories.TeamFactory()
    job = plan(team)
    application = applied(db, job, T0)
    moved(db, application, "advance", T0 + timedelta(days=1))
    moved(db, application, "back", T0 + timedelta(days=2), reason="Redo the screen")
    moved(db, application, "reject", T0 + timedelta(days=5), reason="Position filled")

    stages = by_name(speed_report(db.session, in_range(team, job)))

    assert stages["Screen"].n == 2
    assert stages["Screen"].figures.median == pytest.approx(2 * DAY)  # 1 and 3 days
    assert stages["Live coding"].n == 1


def test_time_in_stage_counts_applications_received_in_the_range_of_the_job_chosen(db):
    team = factories.TeamFactory()
    job, other_job = plan(team), plan(team)
    moved(db, applied(db, job, T0), "advance", T0 + timedelta(days=1))
    # Received before the range: its stay falls inside, but it is not counted.
    early = applied(db, job, datetime(2026, 2, 27, tzinfo=UTC))
    moved(db, early, "advance", T0 + timedelta(days=3))
    moved(db, applied(db, other_job, T0), "advance", T0 + timedelta(days=7))
    stranger = factories.TeamFactory()
    moved(db, applied(db, plan(stranger), T0), "advance", T0 + timedelta(days=9))

    screen = by_name(speed_report(db.session, in_range(team, job)))["Screen"]

    assert screen.n == 1
    assert screen.figures.median == pytest.approx(DAY)


def test_across_jobs_stays_group_by_stage_type(db):
    team = factories.TeamFactory()
    screen = factories.StageTypeFactory(team=team, key="screen", name="Screen")
    coding = factories.StageTypeFactory(team=team, key="live_coding", name="Live coding")
    first = plan(team, ("Phone screen", "Pairing"), types=[screen, coding])
    second = plan(team, ("Intro call", "Coding"), types=[screen, coding])
    moved(db, applied(db, first, T0), "advance", T0 + timedelta(days=2))
    moved(db, applied(db, second, T0), "advance", T0 + timedelta(days=4))

    stages = by_name(speed_report(db.session, in_range(team)))

    assert list(stages) == ["Screen", "Live coding"]
    assert stages["Screen"].n == 2
    assert stages["Screen"].figures.median == pytest.approx(3 * DAY)
    assert stages["Live coding"].open == 2


def decide(db, application, outcome, at, actor, **kwargs):
    return decisions.record_decision(
        db.session, application, actor, outcome=outcome, rationale="Seen enough.", now=at, **kwargs
    )


def test_time_to_decision_runs_to_the_latest_settling_decision_and_to_hire_to_the_hire(db):
    team = factories.TeamFactory()
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    job = plan(team)
    rejected = applied(db, job, T0)
    decide(db, rejected, "reject", T0 + timedelta(days=4), manager, reason="Position filled")
    hired = applied(db, job, T0)
    decide(db, hired, "advance", T0 + timedelta(days=1), manager)
    decide(db, hired, "advance", T0 + timedelta(days=5), manager)
    decide(db, hired, "offer", T0 + timedelta(days=10), manager)
    decide(db, hired, "hire", T0 + timedelta(days=12), manager)
    # Advanced only: no decision settles it yet.
    decide(db, applied(db, job, T0), "advance", T0 + timedelta(days=2), manager)

    report = speed_report(db.session, in_range(team, job))

    assert report.to_decision.n == 2
    assert report.to_decision.median == pytest.approx(8 * DAY)  # 4 and 12 days
    assert report.to_hire.n == 1
    assert report.to_hire.median == pytest.approx(12 * DAY)


def test_no_decision_and_no_hire_leave_the_figures_empty(db):
    team = factories.TeamFactory()
    applied(db, plan(team), T0)

    report = speed_report(db.session, in_range(team))

    assert report.to_decision is None
    assert report.to_hire is None
    assert report.lead_time is None
    assert report.turnaround == []


def interview(team, *, ends, panel=(), created=None, status=InterviewStatus.SCHEDULED, **kw):
    """An interview of ``team`` ending at ``ends`` (an hour long) with ``panel``."""
    booked = factories.InterviewFactory(
        team=team,
        starts_at=ends - timedelta(hours=1),
        ends_at=ends,
        status=status,
        **({"created_at": created} if created else {}),
        **kw,
    )
    for user in panel:
        factories.PanelMemberFactory(team=team, interview=booked, user=user)
    return booked


def scorecard(team, booked, user, after, state=ScorecardState.SUBMITTED):
    return factories.ScorecardFactory(
        team=team,
        interview=booked,
        interviewer=user,
        state=state,
        recommendation=3,
        submitted_at=booked.ends_at + after if state is ScorecardState.SUBMITTED else None,
    )


def test_scorecards_three_and_thirty_hours_after_the_interview_are_half_within_a_day(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="Ada")
    for hours in (3, 30):
        booked = interview(team, ends=T0, panel=[ada])
        scorecard(team, booked, ada, timedelta(hours=hours))

    (row,) = speed_report(db.session, in_range(team)).turnaround

    assert (row.name, row.n, row.on_time) == ("Ada", 2, 1)
    assert row.figures.median == pytest.approx(16.5 * HOUR)
    assert row.on_time_share is None, "two scorecards are too few for a share"


def test_turnaround_per_interviewer_counts_submitted_scorecards_of_interviews_held(db):
    team = factories.TeamFactory()
    ada, bo = (factories.UserFactory(team=team, name=name) for name in ("Ada", "Bo"))
    for hours in (1, 3, 23, 25, 30):
        booked = interview(team, ends=T0 + timedelta(days=hours), panel=[ada, bo])
        scorecard(team, booked, ada, timedelta(hours=hours))
    # A draft never counts; it waits.
    scorecard(team, booked, bo, timedelta(0), state=ScorecardState.DRAFT)
    # A cancelled interview's scorecard, and one held before the range, are not counted.
    cancelled = interview(team, ends=T0, panel=[ada], status=InterviewStatus.CANCELLED)
    scorecard(team, cancelled, ada, timedelta(hours=200))
    before = interview(team, ends=datetime(2026, 2, 20, tzinfo=UTC), panel=[ada])
    scorecard(team, before, ada, timedelta(hours=200))

    rows = {row.name: row for row in speed_report(db.session, in_range(team)).turnaround}

    assert rows["Ada"].n == 5
    assert rows["Ada"].figures.median == pytest.approx(23 * HOUR)
    assert rows["Ada"].on_time == 3
    assert rows["Ada"].on_time_share == pytest.approx(0.6)
    assert rows["Ada"].waiting == 0
    assert rows["Bo"].figures is None
    assert rows["Bo"].waiting == 5


def test_an_amended_scorecard_counts_once_from_its_first_submission(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="Ada")
    item = factories.KitItemFactory(team=team)
    booked = interview(
        team,
        ends=T0,
        panel=[ada],
        plan_stage=item.kit_version.plan_stage,
        kit_version=item.kit_version,
    )
    entries = scorecards.kit_entries(db.session, booked)
    card = scorecards.scorecard_for(db.session, booked, ada, T0)
    typed = ScorecardInput({item.skill_id: RatingInput(3, "Clear.")}, "Good.", 3)
    submitted = T0 + timedelta(hours=5)
    scorecards.submit(
        db.session,
        card,
        typed,
        entries=entries,
        expected_lock=card.lock_version or 0,
        actor=ada,
        now=submitted,
    )
    amended = ScorecardInput({item.skill_id: RatingInput(2, "Less clear.")}, "Fine.", 2)
    scorecards.amend(
        db.session,
        card,
        amended,
        "Mixed up my notes.",
        entries=entries,
        expected_lock=card.lock_version,
        actor=ada,
        now=T0 + timedelta(days=6),
    )

    (row,) = speed_report(db.session, in_range(team)).turnaround

    assert row.n == 1
    assert row.figures.median == pytest.approx(5 * HOUR)


def test_lead_time_from_booking_to_the_interview_of_interviews_held(db):
    team = factories.TeamFactory()
    for days in (1, 2, 3, 7, 14):
        interview(team, ends=T0 + timedelta(hours=1), created=T0 - timedelta(days=days))
    interview(
        team,
        ends=T0 + timedelta(hours=1),
        created=T0 - timedelta(days=60),
        status=InterviewStatus.CANCELLED,
    )

    lead = speed_report(db.session, in_range(team)).lead_time

    assert lead.n == 5
    assert lead.median == pytest.approx(3 * DAY)
    # Rank 3.6 of 1, 2, 3, 7, 14: 7 + 0.6 * 7 = 11.2 days.
    assert lead.p90 == pytest.approx(11.2 * DAY)


def test_the_speed_report_runs_the_same_statements_with_three_times_the_data(db, count_queries):
    team = factories.TeamFactory()
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    job = plan(team)
    people = [factories.UserFactory(team=team) for _ in range(3)]

    def build(copies):
        for index in range(copies):
            application = applied(db, job, T0 + timedelta(hours=index))
            moved(db, application, "advance", T0 + timedelta(days=1 + index))
            decide(
                db, application, "reject", T0 + timedelta(days=9), manager, reason="Position filled"
            )
            booked = interview(team, ends=T0 + timedelta(days=index), panel=people[:2])
            scorecard(team, booked, people[index % 2], timedelta(hours=index + 1))

    def statements():
        with count_queries() as counter:
            speed_report(db.session, in_range(team, job))
        return counter.count

    build(3)
    small = statements()
    build(6)
    assert statements() == small


def test_the_csv_has_a_row_per_figure_in_hours_blank_when_n_is_too_small(db):
    team = factories.TeamFactory()
    job = plan(team)
    for days in (1, 2, 3, 4, 10):
        moved(db, applied(db, job, T0), "advance", T0 + timedelta(days=days))

    header, rows = speed_csv(speed_report(db.session, in_range(team, job)))

    assert header[:5] == ["measure", "group", "n", "median_hours", "p90_hours"]
    assert rows[0] == ["time in stage", "Screen", 5, 72.0, 182.4, None, 0]
    assert rows[1] == ["time in stage", "Live coding", 0, None, None, None, 5]
    assert ["application to decision", "all", 0, None, None, None, None] in rows


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (30, "under a minute"),
        (45 * 60, "45 min"),
        (3 * HOUR, "3.0 h"),
        (16.5 * HOUR, "16 h"),
        (47 * HOUR, "47 h"),
        (2 * DAY, "2.0 days"),
        (8.4 * DAY, "8.4 days"),
        (45 * DAY, "45 days"),
    ],
)
def test_durations_read_in_human_units(seconds, text):
    assert duration(seconds) == text


def test_an_interview_not_over_yet_is_not_waiting_for_its_scorecard(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="Ada")
    interview(team, ends=T0, panel=[ada])
    interview(team, ends=datetime.now(UTC) + timedelta(days=2), panel=[ada])
    report_filter = in_range(team, end=date.today() + timedelta(days=7))

    (row,) = speed_report(db.session, report_filter).turnaround

    assert (row.n, row.waiting) == (0, 1)


def test_the_level_filter_keeps_the_jobs_of_that_level(db):
    team = factories.TeamFactory()
    senior, junior = plan(team), plan(team)
    for days in (1, 3):
        moved(db, applied(db, senior, T0), "advance", T0 + timedelta(days=days))
    moved(db, applied(db, junior, T0), "advance", T0 + timedelta(days=20))
    report_filter = ReportFilter(team.id, START, END, level_id=senior.level_id)

    report = speed_report(db.session, report_filter)

    assert [stage.name for stage in report.stages] == list(STAGES)
    assert by_name(report)["Screen"].figures.median == pytest.approx(2 * DAY)


def test_the_charts_draw_medians_with_the_90th_percentile_and_flag_slow_scorecards(db):
    team = factories.TeamFactory()
    job = plan(team)
    for days in (4, 1, 10, 3, 2):
        moved(db, applied(db, job, T0), "advance", T0 + timedelta(days=days))
    slow, quick = (factories.UserFactory(team=team, name=name) for name in ("Slow", "Quick"))
    for index in range(5):
        application = factories.ApplicationFactory(team=team, job=job)
        booked = interview(
            team,
            ends=T0 + timedelta(days=index),
            panel=[slow, quick],
            application=application,
            plan_stage=job.stages[1],
        )
        scorecard(team, booked, slow, timedelta(hours=30 + index))
        scorecard(team, booked, quick, timedelta(hours=1 + index))
    report = speed_report(db.session, in_range(team, job))

    stages = stage_chart(report)
    turnaround = turnaround_chart(report)

    screen, coding, _ = (mark.row for mark in stages.marks)
    assert (screen.value, screen.tick, screen.note) == (3.0, 7.6, "n = 5")
    assert coding.value is None, "no finished stay: n too small, not zero"
    assert stages.summary == "Applications stay longest in Screen: a median of 3.0 days (n = 5)."
    rows = {mark.row.label: mark.row for mark in turnaround.marks}
    assert (rows["Slow"].value, rows["Slow"].flag) == (32.0, "bad")
    assert (rows["Quick"].value, rows["Quick"].flag) == (3.0, "")
    assert rows["Quick"].note == "100% within 24 h · n = 5"
    assert turnaround.summary.startswith("50% of the scorecards of 2 interviewers")
