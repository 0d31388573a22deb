"""The running sums behind calibration and reliability (``reports.summaries``) against the
raw ratings they sum: submitted through the scorecard services, amended, and erased."""

import math
import random
from collections import defaultdict
from datetime import timedelta

import krippendorff
import numpy as np
import pytest
from sqlalchemy import select

from interviewer.candidates.models import ApplicationStatus
from interviewer.extensions import db
from interviewer.plans.models import PlanStage
from interviewer.privacy import erasure
from interviewer.reports import summaries
from interviewer.reports.calibration import calibration_report
from interviewer.reports.models import RaterSummary, RatingUnit
from interviewer.reports.reliability import reliability_report
from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import Rating, Scorecard, ScorecardState
from tests import factories
from tests.ratings_support import NOW, Ratings


@pytest.fixture
def team(db):
    return Ratings()


def random_history(team, rng):
    """A dozen applications, each with up to two interviews of one to three random raters,
    random scores (a fifth not assessed), some drafts and some amendments."""
    skills = [team.skill(f"Skill {i}") for i in range(3)]
    people = [team.interviewer(f"Rater {i}") for i in range(4)]
    submitted = []
    for _ in range(12):
        application = team.application()
        for stage in ("screen", "live_coding"):
            if rng.random() < 0.25:
                continue
            panel = rng.sample(people, rng.randint(1, 3))
            interview = team.interview(application, panel, stage)
            for user in panel:
                scores = {s: None if rng.random() < 0.2 else rng.randint(1, 4) for s in skills}
                scores[skills[0]] = scores[skills[0]] or rng.randint(1, 4)
                submit = rng.random() < 0.85
                card = team.score(interview, user, scores, rng.randint(1, 4), submit=submit)
                if submit:
                    submitted.append((card, scores))
    for card, scores in rng.sample(submitted, k=len(submitted) // 4):
        changed = {skill: rng.randint(1, 4) if score else None for skill, score in scores.items()}
        team.amend(card, changed, recommendation=card.recommendation % 4 + 1)
    db.session.flush()


def raw_ratings(team):
    """(application, interviewer, skill, stage type, score) of every submitted rating."""
    return db.session.execute(
        select(
            Scorecard.application_id,
            Scorecard.interviewer_id,
            Rating.skill_id,
            PlanStage.stage_type_id,
            Rating.score,
        )
        .join(Scorecard, Scorecard.id == Rating.scorecard_id)
        .join(Interview, Interview.id == Scorecard.interview_id)
        .join(PlanStage, PlanStage.id == Interview.plan_stage_id)
        .where(
            Scorecard.team_id == team.team.id,
            Scorecard.state == ScorecardState.SUBMITTED,
            Rating.score.is_not(None),
        )
    ).all()


def package_alpha(units: list[list[int]]) -> tuple[float | None, int]:
    """Ordinal alpha by the ``krippendorff`` package, and the pairable values."""
    pairable = [unit for unit in units if len(unit) >= 2]
    if not pairable:
        return None, 0
    width = max(len(unit) for unit in pairable)
    data = np.array([unit + [np.nan] * (width - len(unit)) for unit in pairable], dtype=float).T
    values = {v for unit in pairable for v in unit}
    n = sum(len(unit) for unit in pairable)
    if len(values) < 2:
        return None, n
    found = krippendorff.alpha(
        reliability_data=data, level_of_measurement="ordinal", value_domain=[1, 2, 3, 4]
    )
    return (None if math.isnan(found) else found), n


def raw_leniency(rows):
    """Per interviewer: the differences d of their mean rating of each (application,
    skill) from the mean of the other raters' ratings of it."""
    units = defaultdict(lambda: defaultdict(list))
    for application_id, user_id, skill_id, _stage, score in rows:
        units[application_id, skill_id][user_id].append(score)
    differences = defaultdict(list)
    for raters in units.values():
        for user_id, own in raters.items():
            others = [score for other, s in raters.items() if other != user_id for score in s]
            if others:
                differences[user_id].append(sum(own) / len(own) - sum(others) / len(others))
    return differences


def rows_of(team):
    units = db.session.execute(
        select(
            RatingUnit.application_id,
            RatingUnit.skill_id,
            RatingUnit.plan_stage_id,
            RatingUnit.n1,
            RatingUnit.n2,
            RatingUnit.n3,
            RatingUnit.n4,
        )
        .where(RatingUnit.team_id == team.team.id)
        .order_by(RatingUnit.application_id, RatingUnit.skill_id, RatingUnit.plan_stage_id)
    ).all()
    raters = db.session.execute(
        select(
            RaterSummary.application_id,
            RaterSummary.interviewer_id,
            RaterSummary.scorecards,
            RaterSummary.recommended_1,
            RaterSummary.recommended_2,
            RaterSummary.recommended_3,
            RaterSummary.recommended_4,
            RaterSummary.compared,
            RaterSummary.difference_sum,
            RaterSummary.difference_squares,
        )
        .where(RaterSummary.team_id == team.team.id)
        .order_by(RaterSummary.application_id, RaterSummary.interviewer_id)
    ).all()
    return [tuple(row) for row in units], [tuple(row) for row in raters]


@pytest.mark.parametrize("seed", range(3))
def test_the_reports_from_running_sums_equal_the_figures_of_the_raw_ratings(team, seed):
    random_history(team, random.Random(seed))
    rows = raw_ratings(team)

    reliability = reliability_report(db.session, team.report_filter())
    for grouping, found in (("skill", reliability.skills), ("stage", reliability.stages)):
        units = defaultdict(list)
        for application_id, _user, skill_id, stage_type_id, score in rows:
            key = skill_id if grouping == "skill" else stage_type_id
            units[key, application_id, skill_id].append(score)
        for agreement in found:
            theirs, pairable = package_alpha(
                [unit for (key, *_), unit in units.items() if key == agreement.key]
            )
            assert agreement.pairable == pairable
            if theirs is None:
                assert agreement.alpha is None
            else:
                assert agreement.alpha == pytest.approx(theirs, abs=1e-9)

    calibration = calibration_report(db.session, team.report_filter())
    differences = raw_leniency(rows)
    cards = db.session.scalars(
        select(Scorecard).where(
            Scorecard.team_id == team.team.id, Scorecard.state == ScorecardState.SUBMITTED
        )
    ).all()
    assert {p.user_id for p in calibration.interviewers} == {c.interviewer_id for c in cards}
    for person in calibration.interviewers:
        mine = differences.get(person.user_id, [])
        assert person.leniency.n == len(mine)
        if mine:
            assert person.leniency.mean == pytest.approx(sum(mine) / len(mine), abs=1e-9)
        if len(mine) >= 2:
            assert person.leniency.standard_error == pytest.approx(
                np.std(mine, ddof=1) / math.sqrt(len(mine)), abs=1e-9
            )
        own = [c.recommendation for c in cards if c.interviewer_id == person.user_id]
        assert person.scorecards == len(own)
        assert person.recommendations == {v: own.count(v) for v in (1, 2, 3, 4)}

    # What each submission and amendment left is what a rebuild from scratch gives.
    kept = rows_of(team)
    summaries.refresh(db.session, team.team.id)
    assert rows_of(team) == kept


def test_an_amendment_replaces_the_sums_of_the_version_it_amends(team):
    skill = team.skill("API design")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    application = team.application()
    interview = team.interview(application, [ada, grace])
    first = team.score(interview, ada, {skill: 4}, recommendation=4)
    team.score(interview, grace, {skill: 2}, recommendation=2)
    before = {p.name: p for p in calibration_report(db.session, team.report_filter()).interviewers}
    assert before["Ada"].leniency.mean == 2.0

    team.amend(first, {skill: 2}, recommendation=2)

    after = {p.name: p for p in calibration_report(db.session, team.report_filter()).interviewers}
    assert (after["Ada"].leniency.n, after["Ada"].leniency.mean) == (1, 0.0)
    assert after["Grace"].leniency.mean == 0.0
    assert after["Ada"].recommendations == {1: 0, 2: 1, 3: 0, 4: 0}
    units, _raters = rows_of(team)
    assert [unit[3:] for unit in units] == [(0, 2, 0, 0)]


def test_erasing_a_candidate_keeps_their_ratings_in_the_sums(team):
    skill = team.skill("API design")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    application = team.application()
    team.panel(application, {ada: {skill: 4}, grace: {skill: 1}})
    team.panel(team.application(), {ada: {skill: 3}, grace: {skill: 3}})
    application.status = ApplicationStatus.REJECTED
    application.closed_at = NOW - timedelta(days=1)
    db.session.flush()
    kept = rows_of(team)
    admin = factories.UserFactory(team=team.team, role="admin")

    assert erasure.erase_candidate(db.session, application.candidate, actor=admin)

    assert rows_of(team) == kept
    found = {p.name: p for p in calibration_report(db.session, team.report_filter()).interviewers}
    assert (found["Ada"].leniency.n, found["Ada"].leniency.mean) == (2, 1.5)
