"""The funnel's stored rows stay equal to what the applications, their stays, decisions and
plans say, whichever way those are written, and the funnel read from them equals the funnel
worked out from the stays themselves, on hand-built journeys and on random ones."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, insert, select

from interviewer.candidates import pipeline, services
from interviewer.candidates.models import (
    Application,
    ApplicationStatus,
    StageVisit,
)
from interviewer.plans import stages as plan_stages
from interviewer.privacy.erasure import erase_candidate
from interviewer.reports import funnel_rows
from interviewer.reports.filters import ReportFilter
from interviewer.reports.funnel import EXITS, NO_REASON, funnel_report
from interviewer.reports.models import FunnelApplication, FunnelReach
from interviewer.reports.stages import stage_names
from interviewer.scorecards.models import Decision, DecisionOutcome
from tests import factories

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START, END = date(2026, 3, 1), date(2026, 6, 30)
OFFERED = (ApplicationStatus.OFFER, ApplicationStatus.HIRED)


# The rows, stored and rebuilt --------------------------------------------------------------


def stored(db, team_id):
    """The team's funnel rows: per application, and per application and stage."""
    apps, reach = FunnelApplication.__table__.c, FunnelReach.__table__.c
    per_application = db.session.execute(
        select(
            apps.application_id,
            apps.job_id,
            apps.received_at,
            apps.offered,
            apps.hired,
            apps.exit_stage_id,
            apps.exit_stage_type_id,
            apps.left_by,
            apps.reason,
        ).where(apps.team_id == team_id)
    )
    per_stage = db.session.execute(
        select(
            reach.application_id,
            reach.plan_stage_id,
            reach.stage_type_id,
            reach.job_id,
            reach.received_at,
            reach.went_on,
            reach.first_of_type,
        ).where(reach.team_id == team_id)
    )
    return (
        {r[0]: (r[1], _utc(r[2]), bool(r[3]), bool(r[4]), *r[5:]) for r in per_application},
        {(r[0], r[1]): (r[2], r[3], _utc(r[4]), bool(r[5]), bool(r[6])) for r in per_stage},
    )


def rebuilt(db, team_id):
    """The same rows, rebuilt from scratch (and rolled back)."""
    savepoint = db.session.begin_nested()
    funnel_rows.refresh(db.session, team_id)
    rows = stored(db, team_id)
    savepoint.rollback()
    return rows


def _utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def assert_rows_follow(db, team_id):
    db.session.flush()
    assert stored(db, team_id) == rebuilt(db, team_id)


# The funnel worked out from the stays, in Python -------------------------------------------


def from_stays(db, report_filter):
    """The funnel's figures counted one application at a time from its stays, decisions
    and status, as the report defines them: (received, offers, hired, stages, exits)."""
    session = db.session
    ids = list(session.scalars(report_filter.applications()))
    applications = session.scalars(select(Application).where(Application.id.in_(ids))).all()
    stays = defaultdict(list)
    for stay in session.scalars(select(StageVisit).where(StageVisit.application_id.in_(ids))):
        stays[stay.application_id].append(stay)
    decided = set(
        session.scalars(
            select(Decision.application_id).where(
                Decision.application_id.in_(ids),
                Decision.outcome.in_([DecisionOutcome.OFFER, DecisionOutcome.HIRE]),
            )
        )
    )
    one_job = report_filter.job_id is not None
    names = dict(stage_names(session, report_filter))
    reached, went_on = defaultdict(int), defaultdict(int)
    left = defaultdict(int)
    offers = hired = 0
    for application in applications:
        own = stays[application.id]
        offered = (
            application.status in OFFERED
            or application.id in decided
            or any(stay.left_by == "offer" for stay in own)
        )
        offers += offered
        hired += application.status is ApplicationStatus.HIRED
        staged = [stay for stay in own if stay.plan_stage is not None]
        if not staged:
            continue
        furthest = max(stay.plan_stage.position for stay in staged)
        first = {}
        for stay in sorted(staged, key=lambda s: (s.plan_stage.position, s.plan_stage.id)):
            stage = stay.plan_stage
            first.setdefault(stage.id if one_job else stage.stage_type_id, stage)
        for key, stage in first.items():
            reached[key] += 1
            went_on[key] += offered or furthest > stage.position
        last = max(staged, key=lambda stay: stay.id)
        if last.left_by in EXITS:
            key = last.plan_stage.id if one_job else last.plan_stage.stage_type_id
            left[key, EXITS[last.left_by], last.reason or NO_REASON] += 1
    if not applications:
        return 0, 0, 0, [], []
    stages = [
        (
            name,
            reached[key],
            went_on[key],
            sum(n for (k, by, _), n in left.items() if k == key and by == "rejected"),
            sum(n for (k, by, _), n in left.items() if k == key and by == "withdrew"),
        )
        for key, name in names.items()
    ]
    exits = sorted((names[k], by, reason, n) for (k, by, reason), n in left.items() if k in names)
    return len(applications), offers, hired, stages, exits


def from_rows(db, report_filter):
    """The same figures, as the report reads them from the stored rows."""
    result = funnel_report(db.session, report_filter)
    stages = [(s.name, s.reached, s.went_on, s.rejected, s.withdrew) for s in result.stages]
    exits = sorted((e.stage, e.left_by, e.reason, e.applications) for e in result.exits)
    return result.received, result.offers, result.hired, stages, exits


# Journeys ----------------------------------------------------------------------------------


def plan(db, team, keys, level=None, title="Backend Developer"):
    """A job whose plan has a stage of each type ``keys`` names, in order, each named
    after its type and position ("screen 1")."""
    job = factories.JobFactory(team=team, title=title, **({"level": level} if level else {}))
    for position, key in enumerate(keys, start=1):
        factories.PlanStageFactory(
            team=team,
            job=job,
            position=position,
            name=f"{key} {position}",
            stage_type=plan_stages.get_stage_type(db.session, team.id, key),
        )
    return job


def apply(db, job, moves=(), *, on=DAY, name="Ada Lovelace"):
    candidate = factories.CandidateFactory(team=job.team, name=name)
    application = services.apply_to_job(db.session, candidate, job, actor=None, now=on)
    application.created_at = on
    for day, move in enumerate(moves, start=1):
        make(db, application, move, on + timedelta(days=day))
    return application


def make(db, application, move, when=None):
    reason = {"back": "Needs another look", "reject": "Other", "withdraw": "Personal reasons"}
    pipeline.move(db.session, application, move, None, reason=reason.get(move), now=when)


@pytest.fixture
def team(db):
    return factories.TeamFactory()


@pytest.fixture
def job(db, team):
    return plan(db, team, ["screen", "live_coding", "final"])


def reach_of(db, application):
    """(stage name, went on, first of its type) of each stage the application reached."""
    _, per_stage = stored(db, application.team_id)
    names = {stage.id: stage.name for stage in application.job.stages}
    return sorted(
        (names[stage_id], went_on, first)
        for (app_id, stage_id), (_, _, _, went_on, first) in per_stage.items()
        if app_id == application.id
    )


def exit_of(db, application):
    per_application, _ = stored(db, application.team_id)
    row = per_application[application.id]
    names = {stage.id: stage.name for stage in application.job.stages}
    return (names.get(row[4]), row[6], row[7]) if row[4] else None


def offered_hired(db, application):
    per_application, _ = stored(db, application.team_id)
    return per_application[application.id][2:4]


# Each kind of change -----------------------------------------------------------------------


def test_a_new_application_has_its_row_before_any_move(db, team, job):
    application = apply(db, job)
    db.session.flush()

    assert reach_of(db, application) == [("screen 1", False, True)]
    assert exit_of(db, application) is None
    assert offered_hired(db, application) == (False, False)
    assert_rows_follow(db, team.id)


def test_rows_follow_moves_forward_and_back(db, team, job):
    application = apply(db, job, ["advance", "advance"])
    db.session.flush()
    assert reach_of(db, application) == [
        ("final 3", False, True),
        ("live_coding 2", True, True),
        ("screen 1", True, True),
    ]

    make(db, application, "back")
    make(db, application, "back")
    db.session.flush()

    # Moving back takes nothing away: it reached the final stage and went on from the others.
    assert reach_of(db, application) == [
        ("final 3", False, True),
        ("live_coding 2", True, True),
        ("screen 1", True, True),
    ]
    assert exit_of(db, application) is None
    assert_rows_follow(db, team.id)


def test_rows_follow_a_rejection_a_reopening_and_a_withdrawal(db, team, job):
    application = apply(db, job, ["advance", "reject"])
    db.session.flush()
    assert exit_of(db, application) == ("live_coding 2", "reject", "Other")

    make(db, application, "reopen")
    db.session.flush()
    assert exit_of(db, application) is None

    make(db, application, "back")
    make(db, application, "withdraw")
    db.session.flush()
    assert exit_of(db, application) == ("screen 1", "withdraw", "Personal reasons")
    assert reach_of(db, application) == [("live_coding 2", False, True), ("screen 1", True, True)]
    assert_rows_follow(db, team.id)


def test_rows_follow_offers_by_move_by_decision_and_a_hire(db, team, job):
    by_move = apply(db, job, ["advance", "advance", "offer"])
    by_decision = apply(db, job, ["advance"], name="Bo")
    db.session.flush()
    assert offered_hired(db, by_move) == (True, False)
    assert offered_hired(db, by_decision) == (False, False)

    factories.DecisionFactory(team=team, application=by_decision, outcome=DecisionOutcome.OFFER)
    make(db, by_move, "back")
    db.session.flush()

    # An offer once made stays made; with it, every stage reached was gone on from.
    assert offered_hired(db, by_move) == (True, False)
    assert offered_hired(db, by_decision) == (True, False)
    assert reach_of(db, by_decision) == [("live_coding 2", True, True), ("screen 1", True, True)]

    make(db, by_move, "offer")
    make(db, by_move, "hire")
    db.session.flush()
    assert offered_hired(db, by_move) == (True, True)

    decision = db.session.scalars(
        select(Decision).where(Decision.application_id == by_decision.id)
    ).one()
    decision.outcome = DecisionOutcome.REJECT
    db.session.flush()
    assert offered_hired(db, by_decision) == (False, False)
    assert_rows_follow(db, team.id)


def test_rows_follow_a_stay_edited_or_deleted_directly(db, team, job):
    application = apply(db, job, ["reject"])
    stay = db.session.scalars(
        select(StageVisit).where(StageVisit.application_id == application.id)
    ).one()
    stay.reason = "Compensation expectations"
    db.session.flush()
    assert exit_of(db, application) == ("screen 1", "reject", "Compensation expectations")

    db.session.delete(stay)
    db.session.flush()
    assert exit_of(db, application) is None
    assert reach_of(db, application) == []
    assert_rows_follow(db, team.id)


def test_rows_follow_the_received_time(db, team, job):
    application = apply(db, job, ["advance"])
    march = ReportFilter(team.id, date(2026, 3, 1), date(2026, 3, 31))
    db.session.flush()
    assert funnel_report(db.session, march).received == 1

    application.created_at = datetime(2026, 4, 2, tzinfo=UTC)

    assert funnel_report(db.session, march).received == 0
    assert_rows_follow(db, team.id)


def test_erasing_a_candidate_keeps_their_rows(db, team, job):
    application = apply(db, job, ["advance", "withdraw"])
    db.session.flush()
    before = stored(db, team.id)

    erase_candidate(db.session, application.candidate, actor=None)

    assert stored(db, team.id) == before
    assert exit_of(db, application) == ("live_coding 2", "withdraw", "Personal reasons")


def test_rows_follow_the_plan_when_stages_are_moved_retyped_or_deleted(db, team, job):
    application = apply(db, job, ["advance", "advance", "back", "back"])
    screen, coding, final = job.stages
    db.session.flush()

    # Final before the live coding: the live coding is now the furthest stage reached.
    plan_stages.move_stage(db.session, final, None, "up")
    assert [s.name for s in sorted(job.stages, key=lambda s: s.position)] == [
        "screen 1",
        "final 3",
        "live_coding 2",
    ]
    assert reach_of(db, application) == [
        ("final 3", True, True),
        ("live_coding 2", False, True),
        ("screen 1", True, True),
    ]
    assert_rows_follow(db, team.id)

    # The live coding becomes a second screen: across jobs it is no longer first of its type.
    coding.stage_type = screen.stage_type
    db.session.flush()
    assert reach_of(db, application) == [
        ("final 3", True, True),
        ("live_coding 2", False, False),
        ("screen 1", True, True),
    ]
    assert_rows_follow(db, team.id)

    # No one is at the final stage now: it may go, and its stays count nowhere.
    plan_stages.delete_stage(db.session, final, None)
    assert reach_of(db, application) == [("live_coding 2", False, False), ("screen 1", True, True)]
    assert_rows_follow(db, team.id)


def test_deleting_a_job_deletes_its_rows(db, team, job):
    apply(db, job, ["advance", "reject"])
    kept = plan(db, team, ["screen"], title="Kept")
    apply(db, kept, ["withdraw"], name="Bo")
    db.session.flush()

    db.session.delete(job)
    db.session.flush()

    per_application, per_stage = stored(db, team.id)
    assert {row[0] for row in per_application.values()} == {kept.id}
    assert {row[1] for row in per_stage.values()} == {kept.id}
    assert_rows_follow(db, team.id)


def test_refresh_rebuilds_what_bulk_writes_skipped(db, team, job):
    application = apply(db, job)
    screen, coding, _ = job.stages
    db.session.flush()
    connection = db.session.connection()
    connection.execute(
        delete(StageVisit.__table__).where(StageVisit.application_id == application.id)
    )
    for stage, left_by in ((screen, "advance"), (coding, "reject")):
        connection.execute(
            insert(StageVisit.__table__).values(
                team_id=team.id,
                application_id=application.id,
                job_id=job.id,
                plan_stage_id=stage.id,
                entered_at=DAY,
                left_at=DAY,
                left_by=left_by,
                reason="Other",
            )
        )
    assert exit_of(db, application) is None

    funnel_rows.refresh(db.session, team.id)

    assert exit_of(db, application) == ("live_coding 2", "reject", "Other")
    assert reach_of(db, application) == [("live_coding 2", False, True), ("screen 1", True, True)]


def test_another_teams_rows_are_left_alone(db, team, job):
    apply(db, job, ["advance"])
    theirs = plan(db, factories.TeamFactory(), ["screen", "final"], title="Theirs")
    apply(db, theirs, ["advance"], name="Bo")
    db.session.flush()
    before = stored(db, theirs.team_id)

    funnel_rows.refresh(db.session, team.id)

    assert stored(db, theirs.team_id) == before
    assert len(before[0]) == 1


# Random journeys ---------------------------------------------------------------------------


def random_pipeline(db, team, rng):
    """Three jobs at two levels, sharing stage types in different orders (one with two
    stages of one type), and applications walked through random legal moves, with random
    decisions, plan edits between the walks and a few erasures."""
    senior, junior = (factories.LevelFactory(team=team) for _ in range(2))
    jobs = [
        plan(db, team, ["screen", "live_coding", "system_design", "final"], senior, "Senior"),
        plan(
            db, team, ["screen", "take_home", "live_coding", "live_coding", "final"], senior, "Pair"
        ),
        plan(db, team, ["behavioral", "screen", "final"], junior, "Junior"),
    ]
    applications = []
    for round_ in range(2):
        for n in range(18):
            job = rng.choice(jobs)
            on = DAY + timedelta(days=rng.randint(0, 110), hours=rng.randint(0, 23))
            application = apply(db, job, on=on, name=f"Candidate {round_}-{n}")
            applications.append(application)
        for application in applications:
            walk(db, application, rng)
        edit_plans(db, jobs, rng)
    for application in rng.sample(applications, 4):
        if not application.status.is_closed:
            continue
        erase_candidate(db.session, application.candidate, actor=None)
    db.session.flush()
    return jobs


def walk(db, application, rng):
    when = application.created_at
    for _ in range(rng.randint(0, 7)):
        options = pipeline.available_moves(application, list(application.job.stages))
        if application.candidate.is_erased or not options:
            return
        option = rng.choice(options)
        reason = rng.choice(option.reasons) if option.reasons else "Another look"
        when += timedelta(hours=rng.randint(1, 72))
        pipeline.move(
            db.session,
            application,
            option.move,
            None,
            reason=reason if option.needs_reason else None,
            now=when,
        )
        if rng.random() < 0.08:
            outcome = rng.choice(list(DecisionOutcome))
            factories.DecisionFactory(
                team=application.team, application=application, outcome=outcome
            )


def edit_plans(db, jobs, rng):
    for job in jobs:
        stages = sorted(job.stages, key=lambda s: s.position)
        plan_stages.move_stage(db.session, rng.choice(stages), None, rng.choice(["up", "down"]))
    retyped = rng.choice(list(jobs[0].stages))
    retyped.stage_type = rng.choice(list(jobs[1].stages)).stage_type
    db.session.flush()


@pytest.mark.parametrize("seed", [3, 11])
def test_the_funnel_from_stored_rows_equals_the_funnel_from_the_stays(db, team, seed):
    jobs = random_pipeline(db, team, random.Random(seed))

    assert_rows_follow(db, team.id)
    filters = [
        ReportFilter(team.id, START, END),
        ReportFilter(team.id, date(2026, 4, 1), date(2026, 4, 30)),
        ReportFilter(team.id, date(2027, 1, 1), date(2027, 1, 31)),
        ReportFilter(team.id, START, END, level_id=jobs[0].level_id),
        ReportFilter(team.id, START, END, level_id=jobs[2].level_id),
        *(ReportFilter(team.id, START, END, job_id=job.id) for job in jobs),
        ReportFilter(team.id, date(2026, 4, 1), date(2026, 5, 15), job_id=jobs[1].id),
    ]
    figures = [from_rows(db, report_filter) for report_filter in filters]
    assert figures == [from_stays(db, report_filter) for report_filter in filters]
    # Not an empty comparison: applications left, came back, got offers.
    received, offers, _, stages, exits = figures[0]
    assert received == 36 and offers and exits
    assert any(reached != went_on for _, reached, went_on, _, _ in stages)


def test_the_funnel_reads_only_the_rows_of_its_range(db, team, job):
    """The stored rows alone decide the figures: the report never reads the stays."""
    application = apply(db, job, ["advance", "reject"])
    db.session.flush()
    report_filter = ReportFilter(team.id, START, END, job_id=job.id)
    before = from_rows(db, report_filter)
    connection = db.session.connection()
    connection.execute(
        delete(StageVisit.__table__).where(StageVisit.application_id == application.id)
    )

    assert from_rows(db, report_filter) == before
    assert before[3][:2] == [("screen 1", 1, 1, 0, 0), ("live_coding 2", 1, 0, 1, 0)]
