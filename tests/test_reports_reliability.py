"""Reliability: Krippendorff's alpha of the submitted ratings per skill and per stage type."""

from datetime import timedelta

import pytest

from interviewer.extensions import db
from interviewer.reports.alpha import alpha, coincidences
from interviewer.reports.reliability import (
    MIN_PAIRABLE,
    Agreement,
    agreement_chart,
    agreement_summary,
    reliability_csv,
    reliability_report,
)
from tests import factories
from tests.ratings_support import NOW, Ratings

# Krippendorff (2011), section A: two observers, ten units, values 0/1 (here ratings 1/2).
# Alpha is 0.095 whatever the metric, since with two values every metric is the same.
BINARY = [(1, 2), (2, 2), (1, 2), (1, 1), (1, 1), (1, 2), (1, 1), (1, 1), (2, 1), (1, 1)]


def by_name(agreements):
    return {agreement.name: agreement for agreement in agreements}


@pytest.fixture
def team(db):
    return Ratings()


def rate_pairs(team, skill, pairs, stage="live_coding", panel=None):
    first, second = panel or (team.interviewer("Ada"), team.interviewer("Grace"))
    for one, other in pairs:
        team.panel(team.application(), {first: {skill: one}, second: {skill: other}}, stage)
    return first, second


def test_alpha_of_a_skill_matches_the_papers_binary_example(team):
    skill = team.skill("API design")
    rate_pairs(team, skill, BINARY)

    result = reliability_report(db.session, team.report_filter())

    api = by_name(result.skills)["API design"]
    assert round(api.alpha, 3) == 0.095
    assert (api.pairable, api.units) == (20, 10)
    assert api.mark == "unreliable" and api.flag == "bad"
    assert "rubric anchors" in api.advice
    assert [(a.name, round(a.alpha, 3), a.pairable) for a in result.stages] == [
        ("Live coding", 0.095, 20)
    ]


def test_the_sql_coincidences_equal_the_python_ones_with_three_raters_and_gaps(team):
    skill, other = team.skill("Testing"), team.skill("Other")
    ada, grace, linus = (team.interviewer(n) for n in ("Ada", "Grace", "Linus"))
    units = [(4, 4, 3), (2, 2, None), (3, 1, 2), (1, 1, 1), (4, 3, None), (2, 3, 2), (4, 4, 4)]
    units += [(3, 3, 2), (2, 1, None), (4, 4, 3)]
    for scores in units:
        ratings = dict(zip((ada, grace, linus), scores, strict=True))
        # "Not assessed" on Testing; a scorecard is submitted with at least one rating.
        team.panel(team.application(), {u: {skill: s, other: 3} for u, s in ratings.items()})

    testing = by_name(reliability_report(db.session, team.report_filter()).skills)["Testing"]

    assert testing.pairable == 27  # 7 units of three values and 3 of two
    assert testing.alpha == pytest.approx(alpha(coincidences(units), "ordinal"))
    assert testing.mark in ("tentative", "reliable", "unreliable")


def test_not_assessed_drafts_and_single_ratings_are_not_pairable(team):
    skill, other = team.skill("Security"), team.skill("Other")
    ada, grace, linus = (team.interviewer(n) for n in ("Ada", "Grace", "Linus"))
    pairs = [(4, 4), (3, 3), (2, 2), (1, 1)] * 2 + [(4, 3), (2, 1)]
    rate_pairs(team, skill, pairs, panel=(ada, grace))
    before = by_name(reliability_report(db.session, team.report_filter()).skills)["Security"]
    # A third panel member's draft, a "not assessed", and an application rated once.
    application = team.application()
    interview = team.interview(application, [ada, grace, linus])
    team.score(interview, ada, {skill: 1})
    team.score(interview, grace, {skill: None, other: 2})
    team.score(interview, linus, {skill: 4}, submit=False)

    after = by_name(reliability_report(db.session, team.report_filter()).skills)["Security"]

    assert (after.pairable, after.units) == (before.pairable, before.units) == (20, 10)
    assert after.alpha == pytest.approx(before.alpha)
    assert after.alpha == pytest.approx(alpha(coincidences(pairs), "ordinal"))


def test_an_amended_scorecard_counts_once_at_its_latest_rating(team):
    skill = team.skill("Caching")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    pairs = [(4, 4), (3, 3), (2, 2), (1, 1)] * 2 + [(4, 3)]
    rate_pairs(team, skill, pairs, panel=(ada, grace))
    interview = team.interview(team.application(), [ada, grace])
    first = team.score(interview, ada, {skill: 1})
    team.score(interview, grace, {skill: 4})
    team.amend(first, {skill: 4})

    caching = by_name(reliability_report(db.session, team.report_filter()).skills)["Caching"]

    assert caching.pairable == 20
    assert caching.alpha == pytest.approx(alpha(coincidences([*pairs, (4, 4)]), "ordinal"))


def test_few_pairable_values_say_n_too_small_and_no_variation_says_so(team):
    small, flat = team.skill("Small"), team.skill("Flat")
    rate_pairs(team, small, [(4, 1), (1, 4), (3, 3)])
    rate_pairs(team, flat, [(3, 3)] * 10)

    result = by_name(reliability_report(db.session, team.report_filter()).skills)
    header, rows = reliability_csv(reliability_report(db.session, team.report_filter()))

    assert result["Small"].pairable == 6 < MIN_PAIRABLE
    assert result["Small"].mark == "n too small" and result["Small"].flag == ""
    assert result["Flat"].alpha is None and result["Flat"].mark == "no variation"
    assert header[:3] == ["grouping", "name", "alpha_ordinal"]
    assert ["skill", "Small", "", 6, 3, "n too small"] in rows


def test_per_stage_units_are_the_skill_within_the_stage_type(team):
    skill = team.skill("Problem solving")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    agree = [(4, 4), (3, 3), (2, 2), (1, 1)] * 3
    disagree = [(4, 1), (1, 4), (2, 3), (3, 2), (4, 2), (1, 3)] * 2
    for (a1, g1), (a2, g2) in zip(agree, disagree, strict=True):
        application = team.application()
        team.panel(application, {ada: {skill: a1}, grace: {skill: g1}}, "screen")
        team.panel(application, {ada: {skill: a2}, grace: {skill: g2}}, "final")

    result = reliability_report(db.session, team.report_filter())

    stages = by_name(result.stages)
    assert stages["Screen"].alpha == pytest.approx(1.0) and stages["Screen"].mark == "reliable"
    assert stages["Final"].alpha == pytest.approx(alpha(coincidences(disagree), "ordinal"))
    assert stages["Final"].mark == "unreliable"
    # Per skill, one application's four ratings form one unit.
    units = [(a1, g1, a2, g2) for (a1, g1), (a2, g2) in zip(agree, disagree, strict=True)]
    solving = by_name(result.skills)["Problem solving"]
    assert (solving.pairable, solving.units) == (48, 12)
    assert solving.alpha == pytest.approx(alpha(coincidences(units), "ordinal"))


def test_the_filter_keeps_the_range_the_job_and_the_team(team):
    skill = team.skill("Databases")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    rate_pairs(team, skill, [(4, 4)] * 10 + [(1, 2)], panel=(ada, grace))
    old = team.application(received=NOW - timedelta(days=400))
    team.panel(old, {ada: {skill: 1}, grace: {skill: 4}})
    elsewhere = factories.JobFactory(team=team.team, level=team.job.level)
    team.panel(team.application(job=elsewhere), {ada: {skill: 4}, grace: {skill: 1}})
    stranger = Ratings()
    stranger_skill = stranger.skill("Databases")
    rate_pairs(stranger, stranger_skill, [(1, 4)] * 12)

    everything = by_name(reliability_report(db.session, team.report_filter()).skills)
    one_job = by_name(reliability_report(db.session, team.report_filter(job_id=team.job.id)).skills)

    assert everything["Databases"].units == 12
    assert one_job["Databases"].units == 11
    assert one_job["Databases"].alpha == pytest.approx(
        alpha(coincidences([(4, 4)] * 10 + [(1, 2)]), "ordinal")
    )


def test_the_report_runs_the_same_queries_with_three_times_the_ratings(team, count_queries):
    skills = [team.skill("One"), team.skill("Two")]

    def build(times):
        for _ in range(times):
            for skill in skills:
                rate_pairs(team, skill, [(4, 3), (2, 2)])

    report_filter = team.report_filter()
    build(1)
    db.session.flush()
    with count_queries() as small:
        reliability_report(db.session, report_filter)
    build(2)
    db.session.flush()
    with count_queries() as large:
        result = reliability_report(db.session, report_filter)
    assert small.count == large.count == 1
    assert by_name(result.skills)["One"].units == 6


def test_the_chart_draws_a_dot_per_skill_against_the_two_lines(team):
    api, small = team.skill("API design"), team.skill("Small")
    rate_pairs(team, api, BINARY)
    rate_pairs(team, small, [(4, 4)])
    result = reliability_report(db.session, team.report_filter())

    chart = agreement_chart("Agreement per skill", result.skills)

    assert [line.label for line in chart.lines if line.label] == ["tentative .667", "reliable .800"]
    rows = {mark.row.label: mark.row for mark in chart.marks}
    assert rows["API design"].value == pytest.approx(2 / 21)  # 0.095
    assert (rows["API design"].flag, rows["API design"].note) == ("bad", "n = 20")
    assert rows["Small"].value is None and rows["Small"].note == "n = 2"
    assert chart.summary == (
        "Of 2: 1 unreliable, 1 n too small; interviewers disagree most on API design."
    )
    assert agreement_summary([]).startswith("No application in the range")


@pytest.mark.parametrize(
    ("value", "mark"),
    [(0.79951, "reliable"), (0.7994, "tentative"), (0.66651, "tentative"), (0.6664, "unreliable")],
)
def test_the_mark_follows_alpha_as_printed_to_three_decimals(value, mark):
    assert Agreement(1, "Skill", value, pairable=40, units=20).mark == mark
