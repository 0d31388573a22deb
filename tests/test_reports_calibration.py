"""Calibration: leniency, recommendations and agreement with decisions, per interviewer."""

import math
from datetime import timedelta

import pytest

from interviewer.extensions import db
from interviewer.reports.calibration import (
    MIN_COMPARED,
    calibration_csv,
    calibration_report,
    leniency_chart,
)
from interviewer.scorecards.models import DecisionOutcome
from tests import factories
from tests.ratings_support import NOW, Ratings


@pytest.fixture
def team(db):
    return Ratings()


def people(team, **narrowed):
    result = calibration_report(db.session, team.report_filter(**narrowed))
    return {person.name: person for person in result.interviewers}


def test_two_interviewers_rating_4_and_2_are_plus_and_minus_two_with_n_of_one(team):
    skill = team.skill("API design")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    team.panel(team.application(), {ada: {skill: 4}, grace: {skill: 2}})

    found = people(team)

    assert (found["Ada"].leniency.n, found["Ada"].leniency.mean) == (1, 2.0)
    assert (found["Grace"].leniency.n, found["Grace"].leniency.mean) == (1, -2.0)
    assert found["Ada"].leniency.standard_error is None
    assert found["Ada"].leniency.mark == ""


def test_leniency_compares_with_the_mean_of_the_others_and_skips_lone_ratings(team):
    api, testing = team.skill("API design"), team.skill("Testing")
    ada, grace, linus = (team.interviewer(n) for n in ("Ada", "Grace", "Linus"))
    team.panel(team.application(), {ada: {api: 4}, grace: {api: 2}, linus: {api: 3}})
    # Testing rated by Ada alone: nothing to compare with.
    team.panel(team.application(), {ada: {api: 3, testing: 1}, grace: {api: 2}})

    found = people(team)

    # Ada: 4 - 2.5 = 1.5 and 3 - 2 = 1; Grace: 2 - 3.5 = -1.5 and 2 - 3 = -1; Linus: 3 - 3 = 0.
    ada_l, grace_l, linus_l = (found[n].leniency for n in ("Ada", "Grace", "Linus"))
    assert (ada_l.n, ada_l.mean) == (2, pytest.approx(1.25))
    assert ada_l.standard_error == pytest.approx(math.sqrt(0.125) / math.sqrt(2))
    assert (grace_l.n, grace_l.mean) == (2, pytest.approx(-1.25))
    assert (linus_l.n, linus_l.mean, linus_l.standard_error) == (1, 0.0, None)
    assert found["Ada"].scorecards == 2 and found["Linus"].scorecards == 1


def test_a_draft_never_counts_not_assessed_is_skipped_and_an_amendment_counts_once(team):
    api, other = team.skill("API design"), team.skill("Other")
    ada, grace, linus = (team.interviewer(n) for n in ("Ada", "Grace", "Linus"))
    interview = team.interview(team.application(), [ada, grace, linus])
    first = team.score(interview, ada, {api: 1, other: 3}, recommendation=1)
    team.score(interview, grace, {api: 2, other: None})
    team.score(interview, linus, {api: 4, other: 1}, submit=False)
    team.amend(first, {api: 4, other: 3}, recommendation=4)

    found = people(team)

    assert set(found) == {"Ada", "Grace"}  # Linus's draft is nowhere
    assert (found["Ada"].leniency.n, found["Ada"].leniency.mean) == (1, 2.0)
    assert (found["Grace"].leniency.n, found["Grace"].leniency.mean) == (1, -2.0)
    assert found["Ada"].scorecards == 1
    assert found["Ada"].recommendations == {1: 0, 2: 0, 3: 0, 4: 1}


def test_a_steady_difference_is_marked_lenient_and_harsh_only_with_enough_ratings(team):
    skill = team.skill("System design")
    ada, grace, linus = (team.interviewer(n) for n in ("Ada", "Grace", "Linus"))
    scores = [(4, 3), (3, 2), (4, 2), (2, 1), (3, 3), (4, 3), (3, 2), (4, 3), (2, 1)]
    for mine, theirs in scores:
        team.panel(team.application(), {ada: {skill: mine}, grace: {skill: theirs}})
    # Linus differs from Grace both ways: no mark whatever n is.
    for mine, theirs in [(4, 3), (2, 3)] * 6:
        team.panel(team.application(), {linus: {skill: mine}, grace: {skill: theirs}})

    short = people(team)
    assert short["Ada"].leniency.n == len(scores) == MIN_COMPARED - 1
    assert short["Ada"].leniency.interval[0] > 0
    assert short["Ada"].leniency.mark == ""

    team.panel(team.application(), {ada: {skill: 4}, grace: {skill: 3}})
    found = people(team)

    assert found["Ada"].leniency.n == MIN_COMPARED
    assert found["Ada"].leniency.mean == pytest.approx(1.0)
    assert found["Ada"].leniency.mark == "lenient"
    assert found["Grace"].leniency.mark == "harsh"
    assert found["Linus"].leniency.mean == pytest.approx(0.0)
    assert found["Linus"].leniency.mark == ""


def test_agreement_uses_the_latest_decision_and_recommendation_3_or_4_as_yes(team):
    skill = team.skill("API design")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    rejected, hired, undecided = team.application(), team.application(), team.application()
    team.panel(rejected, {ada: {skill: 3}, grace: {skill: 2}}, recommendations={ada: 3, grace: 2})
    team.panel(hired, {ada: {skill: 4}, grace: {skill: 1}}, recommendations={ada: 4, grace: 1})
    team.panel(undecided, {ada: {skill: 4}}, recommendations={ada: 4})
    team.decide(rejected, DecisionOutcome.ADVANCE, at=NOW - timedelta(days=2))
    team.decide(rejected, DecisionOutcome.REJECT, at=NOW - timedelta(days=1))
    team.decide(hired, DecisionOutcome.HIRE)

    found = people(team)

    assert (found["Ada"].decided, found["Ada"].agreed, found["Ada"].agreement) == (2, 1, 0.5)
    assert (found["Grace"].decided, found["Grace"].agreed) == (2, 1)
    assert found["Ada"].recommendations == {1: 0, 2: 0, 3: 1, 4: 2}
    assert found["Grace"].recommendations == {1: 1, 2: 1, 3: 0, 4: 0}
    header, rows = calibration_csv(calibration_report(db.session, team.report_filter()))
    assert header[0] == "interviewer" and "leniency_se" in header
    assert rows[0][:6] == ["Ada", 3, 0, 0, 1, 2]


def test_the_filter_keeps_the_range_the_job_and_the_team(team):
    skill = team.skill("API design")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    team.panel(team.application(), {ada: {skill: 4}, grace: {skill: 2}})
    old = team.application(received=NOW - timedelta(days=400))
    team.panel(old, {ada: {skill: 1}, grace: {skill: 4}})
    elsewhere = factories.JobFactory(team=team.team, level=team.job.level)
    team.panel(team.application(job=elsewhere), {ada: {skill: 3}, grace: {skill: 3}})
    stranger = Ratings()
    stranger_skill = stranger.skill("API design")
    ann, bob = stranger.interviewer("Ann"), stranger.interviewer("Bob")
    stranger.panel(stranger.application(), {ann: {stranger_skill: 1}, bob: {stranger_skill: 4}})

    everything, one_job = people(team), people(team, job_id=team.job.id)

    assert set(everything) == {"Ada", "Grace"}
    assert (everything["Ada"].scorecards, everything["Ada"].leniency.mean) == (2, 1.0)
    assert (one_job["Ada"].scorecards, one_job["Ada"].leniency.mean) == (1, 2.0)


def test_the_report_runs_the_same_queries_with_three_times_the_scorecards(team, count_queries):
    skills = [team.skill("One"), team.skill("Two")]
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    report_filter = team.report_filter()

    def build(times):
        for _ in range(times):
            application = team.application()
            team.panel(
                application, {ada: dict.fromkeys(skills, 4), grace: dict.fromkeys(skills, 2)}
            )
            team.decide(application, DecisionOutcome.REJECT)
        db.session.flush()

    build(1)
    with count_queries() as small:
        calibration_report(db.session, report_filter)
    build(2)
    with count_queries() as large:
        result = calibration_report(db.session, report_filter)
    assert small.count == large.count == 2
    assert result.interviewers[0].leniency.n == 6


def test_the_chart_shows_a_dot_with_its_interval_only_from_enough_ratings(team):
    skill = team.skill("System design")
    ada, grace, linus = (team.interviewer(n) for n in ("Ada", "Grace", "Linus"))
    for mine, theirs in [(4, 3), (3, 2)] * 5:
        team.panel(team.application(), {ada: {skill: mine}, grace: {skill: theirs}})
    team.panel(team.application(), {linus: {skill: 4}, grace: {skill: 2}})
    result = calibration_report(db.session, team.report_filter())

    chart = leniency_chart(result)

    rows = {mark.row.label: mark.row for mark in chart.marks}
    assert (rows["Ada"].value, rows["Ada"].low, rows["Ada"].high) == (1.0, 1.0, 1.0)
    assert rows["Ada"].flag == "warn" and rows["Ada"].note == "n = 10"
    assert rows["Linus"].value is None and rows["Linus"].note == "n = 1"
    assert rows["Grace"].value == pytest.approx(-12 / 11)
    assert chart.summary == (
        "Ada rates higher and Grace rates lower than the rest of their panels "
        "(95 % interval excludes 0)."
    )


def test_an_interviewer_who_rated_a_skill_in_two_stages_is_compared_once_at_their_mean(team):
    skill = team.skill("Communication")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    application = team.application()
    team.panel(application, {ada: {skill: 4}, grace: {skill: 2}}, "screen")
    team.panel(application, {ada: {skill: 2}}, "final")

    found = people(team)

    assert (found["Ada"].leniency.n, found["Ada"].leniency.mean) == (1, 1.0)
    assert (found["Grace"].leniency.n, found["Grace"].leniency.mean) == (1, -1.0)
    assert found["Ada"].scorecards == 2
