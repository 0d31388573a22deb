"""The fairness report: pass-through per stage by self-identified group and the adverse
impact ratio, only for groups of five or more, only for admins, never per person."""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from interviewer.auth.models import Role
from interviewer.candidates import pipeline, services
from interviewer.candidates.models import StageVisit
from interviewer.candidates.self_identification import QUESTIONS, record_answers
from interviewer.reports.fairness import _counts, _groups, fairness_csv, fairness_report
from interviewer.reports.filters import ReportFilter
from interviewer.reports.funnel import funnel_report
from tests import factories

NOW = datetime.now(UTC)


def make_job(team, stages=("Screen", "Technical", "Final"), title=None):
    job = factories.JobFactory(team=team, **({"title": title} if title else {}))
    keys = {"Screen": "screen", "Technical": "live_coding", "Final": "final"}
    for position, name in enumerate(stages, start=1):
        stage_type = factories.StageTypeFactory(team=team, key=keys[name], name=name)
        factories.PlanStageFactory(
            team=team, job=job, position=position, name=name, stage_type=stage_type
        )
    return job


PEOPLE = itertools.count(1)


def apply(db, job, answers=None, moves=()):
    """One application to ``job`` with ``answers`` (a dict, or ``None``: none given), then
    ``moves`` made in turn; returns it."""
    n = next(PEOPLE)
    candidate = factories.CandidateFactory(
        team=job.team, name=f"Person {n}", email=f"person{n}@example.org"
    )
    application = services.apply_to_job(db.session, candidate, job, actor=None)
    if answers:
        record_answers(db.session, application, answers)
    for move in moves:
        reason = {"reject": "Position filled", "withdraw": "Process too long"}.get(move)
        pipeline.move(db.session, application, move, None, reason=reason)
    return application


def group(answer, went_on, rejected, job, db, question="gender"):
    for _ in range(went_on):
        apply(db, job, {question: answer}, ["advance"])
    for _ in range(rejected):
        apply(db, job, {question: answer}, ["reject"])


@pytest.fixture
def team(db):
    team = factories.TeamFactory(self_identification_questions="gender,veteran")
    return team


@pytest.fixture
def known(db, team):
    """Screen: 10 women (4 go on), 10 men (8 go on), 4 non-binary (all go on), 6 prefer
    not to say (3 go on), 3 who answered nothing (1 goes on)."""
    job = make_job(team)
    group("Woman", 4, 6, job, db)
    group("Man", 8, 2, job, db)
    group("Non-binary", 4, 0, job, db)
    group("Prefer not to say", 3, 3, job, db)
    for moves in (["advance"], ["withdraw"], []):
        apply(db, job, None, moves)
    return job


def this_filter(team, **kwargs):
    today = date.today()
    return ReportFilter(team_id=team.id, start=today - timedelta(days=180), end=today, **kwargs)


def by_answer(stage):
    return {row.answer: row for row in stage.groups}


def test_ratio_is_the_groups_rate_over_the_highest_and_under_four_fifths_is_flagged(
    db, team, known
):
    result = fairness_report(db.session, this_filter(team))

    assert [stage.name for stage in result.stages] == ["Screen", "Technical", "Final"]
    screen = by_answer(result.stages[0])
    assert (screen["Woman"].reached, screen["Woman"].went_on) == (10, 4)
    assert screen["Woman"].rate == pytest.approx(0.4)
    assert screen["Woman"].ratio == pytest.approx(0.5)
    assert screen["Woman"].flagged
    assert (screen["Man"].reached, screen["Man"].went_on, screen["Man"].ratio) == (10, 8, 1.0)
    assert not screen["Man"].flagged
    assert result.stages[0].flagged
    assert result.flagged_stages == [result.stages[0]]
    assert result.stages[0].findings() == [
        "Woman: 4 of 10 went on (40%), 0.50 of the rate of Man (8 of 10, 80%)."
    ]


def test_exactly_four_fifths_is_not_flagged_and_just_under_never_reads_as_080():
    gender = QUESTIONS["gender"]
    at_the_line = {row.answer: row for row in _groups(gender, {"Woman": (10, 4), "Man": (10, 5)})}
    under = {row.answer: row for row in _groups(gender, {"Woman": (44, 23), "Man": (67, 44)})}

    assert at_the_line["Woman"].ratio == pytest.approx(0.8)
    assert (at_the_line["Woman"].ratio_text, at_the_line["Woman"].flagged) == ("0.80", False)
    assert under["Woman"].ratio == pytest.approx(23 / 44 / (44 / 67))
    assert (under["Woman"].ratio_text, under["Woman"].flagged) == ("0.79", True)


def test_the_groups_add_up_to_the_funnel(db, team, known):
    job = make_job(team, stages=("Screen", "Technical"), title="Second job")
    for answer, moves in (("Man", ["advance", "offer"]), (None, ["advance", "reject"])):
        apply(db, job, {"gender": answer} if answer else None, moves)
    for report_filter in (this_filter(team), this_filter(team, job_id=known.id)):
        counts = _counts(db.session, report_filter, QUESTIONS["gender"])
        summed = {
            key: tuple(map(sum, zip(*by_answer.values(), strict=True)))
            for key, by_answer in counts.items()
        }
        funnel = {
            stage.key: (stage.reached, stage.went_on)
            for stage in funnel_report(db.session, report_filter).stages
            if stage.reached
        }
        assert summed == funnel


def test_groups_under_five_get_no_numbers_and_the_unsaid_are_counted_not_compared(db, team, known):
    screen = by_answer(fairness_report(db.session, this_filter(team)).stages[0])

    for small in ("Non-binary", "Another gender", "Not answered"):
        row = screen[small]
        assert row.suppressed
        assert (row.reached, row.went_on, row.rate, row.ratio) == (None, None, None, None)
    prefer = screen["Prefer not to say"]
    assert not prefer.compared
    assert (prefer.reached, prefer.went_on, prefer.rate, prefer.ratio) == (6, 3, None, None)
    assert list(screen) == [
        "Woman",
        "Man",
        "Non-binary",
        "Another gender",
        "Prefer not to say",
        "Not answered",
    ]


def test_a_stage_with_one_group_large_enough_compares_nothing(db, team, known):
    technical = by_answer(fairness_report(db.session, this_filter(team)).stages[1])

    assert technical["Man"].reached == 8
    assert technical["Man"].ratio is None
    assert technical["Woman"].suppressed
    assert not any(row.flagged for row in technical.values())


def test_an_offer_counts_as_going_on_and_so_does_reaching_a_later_stage(db, team):
    job = make_job(team, stages=("Screen", "Final"))
    for _ in range(5):
        apply(db, job, {"gender": "Woman"}, ["advance", "offer"])
    for _ in range(5):
        apply(db, job, {"gender": "Man"}, ["advance", "reject"])
    # A stay with no recorded ending, followed by one at a later stage: it went on.
    odd = apply(db, job, {"gender": "Man"})
    db.session.add(
        StageVisit(
            team_id=team.id,
            application=odd,
            job_id=job.id,
            plan_stage=job.stages[1],
            entered_at=NOW,
        )
    )
    db.session.flush()

    screen, final = (
        by_answer(stage) for stage in fairness_report(db.session, this_filter(team)).stages
    )

    assert (screen["Man"].reached, screen["Man"].went_on) == (6, 6)
    assert (final["Woman"].reached, final["Woman"].went_on, final["Woman"].rate) == (5, 5, 1)
    assert (final["Man"].reached, final["Man"].went_on, final["Man"].ratio) == (6, 0, 0)
    assert final["Man"].flagged


def test_another_question_is_chosen_by_its_key_and_an_unknown_one_falls_back(db, team):
    job = make_job(team, stages=("Screen",))
    for _ in range(5):
        apply(db, job, {"veteran": "I am a veteran", "gender": "Woman"}, ["offer"])

    veteran = fairness_report(db.session, this_filter(team), question="veteran")
    fallback = fairness_report(db.session, this_filter(team), question="ethnicity")

    assert veteran.question.key == "veteran"
    assert by_answer(veteran.stages[0])["I am a veteran"].reached == 5
    assert fallback.question.key == "gender"
    assert by_answer(fallback.stages[0])["Woman"].reached == 5


def test_across_jobs_the_stages_group_by_type_and_another_team_is_not_counted(db, team):
    first, second = make_job(team, stages=("Screen",)), make_job(team, stages=("Screen",))
    other_team = factories.TeamFactory(self_identification_questions="gender")
    elsewhere = make_job(other_team, stages=("Screen",))
    for job in (first, second, elsewhere):
        for _ in range(3):
            apply(db, job, {"gender": "Woman"}, ["offer"])

    all_jobs = fairness_report(db.session, this_filter(team))
    one_job = fairness_report(db.session, this_filter(team, job_id=first.id))

    assert by_answer(all_jobs.stages[0])["Woman"].reached == 6
    assert by_answer(one_job.stages[0])["Woman"].suppressed


def test_a_team_that_asks_no_questions_gets_no_report(db):
    team = factories.TeamFactory(self_identification_questions="")
    apply(db, make_job(team, stages=("Screen",)))

    result = fairness_report(db.session, this_filter(team))

    assert not result.asked
    assert result.stages == []


def test_the_csv_rows_hide_small_groups_the_same_way(db, team, known):
    header, rows = fairness_csv(fairness_report(db.session, this_filter(team)))

    screen = {row[2]: row for row in rows if row[1] == "Screen"}
    assert header[4:] == [
        "Reached",
        "Went on",
        "Pass-through rate",
        "Adverse impact ratio",
        "Under four-fifths",
    ]
    assert screen["Woman"] == ["Gender", "Screen", "Woman", "yes", 10, 4, 0.4, 0.5, "yes"]
    assert screen["Man"] == ["Gender", "Screen", "Man", "yes", 10, 8, 0.8, 1.0, ""]
    suppressed = ["Gender", "Screen", "Non-binary", "yes", "fewer than 5", "", "", "", ""]
    assert screen["Non-binary"] == suppressed
    assert screen["Prefer not to say"][3:6] == ["no", 6, 3]


# -- the pages ----------------------------------------------------------------------------


def sign_in(auth, team, role=Role.ADMIN):
    return auth.login(role, team=team)


def test_admins_see_the_flag_the_counts_and_the_rule_but_no_one_person(
    client, auth, db, team, known
):
    sign_in(auth, team)

    page = client.get("/reports/fairness").get_data(as_text=True)

    assert "four-fifths" in page
    assert "not proof" in page
    assert "Woman: 4 of 10 went on (40%), 0.50 of the rate of Man" in page
    assert "fewer than 5" in page
    assert "Across jobs, stages are grouped by their type" in page
    assert "Person " not in page
    assert not re.search(r"/(applications|candidates)/\d", page)


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_no_one_below_admin_sees_the_page_or_the_csv(client, auth, team, role):
    sign_in(auth, team, role)

    assert client.get("/reports/fairness").status_code == 403
    assert client.get("/reports/fairness.csv").status_code == 403


def test_a_team_without_questions_is_told_where_to_ask_them(client, auth, db):
    team = factories.TeamFactory(self_identification_questions="")
    sign_in(auth, team)

    page = client.get("/reports/fairness").get_data(as_text=True)

    assert "asks no self-identification questions" in page
    assert 'href="/team/careers"' in page


def test_the_csv_download_suppresses_small_groups_and_has_each_question(
    client, auth, db, team, known
):
    sign_in(auth, team)

    response = client.get("/reports/fairness.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    screen = {row[2]: row for row in rows[1:] if row[1] == "Screen"}
    assert screen["Woman"][4:9] == ["10", "4", "0.4", "0.5", "yes"]
    assert screen["Non-binary"][4:] == ["fewer than 5", "", "", "", ""]
    assert "Person" not in response.get_data(as_text=True)
    assert {row[0] for row in rows[1:]} == {"Gender", "Veteran status"}
    one = client.get("/reports/fairness.csv?question=veteran").get_data(as_text=True)
    assert {row[0] for row in list(csv.reader(io.StringIO(one)))[1:]} == {"Veteran status"}


def test_the_question_is_picked_on_the_page(client, auth, db, team):
    job = make_job(team, stages=("Screen",))
    for _ in range(5):
        apply(db, job, {"veteran": "I am a veteran"}, ["offer"])
    sign_in(auth, team)

    page = client.get(f"/reports/fairness?question=veteran&job={job.id}").get_data(as_text=True)

    assert "I am a veteran" in page
    assert "Across jobs" not in page


def test_the_page_runs_as_many_queries_with_three_times_the_people(
    client, auth, db, team, count_queries
):
    job = make_job(team)
    sign_in(auth, team)

    def add(times):
        for _ in range(times):
            group("Woman", 2, 1, job, db)
            group("Man", 1, 1, job, db)

    add(2)
    with count_queries() as small:
        assert client.get("/reports/fairness").status_code == 200
    add(4)
    with count_queries() as large:
        assert client.get("/reports/fairness").status_code == 200

    assert large.count == small.count


def test_another_teams_job_in_the_filter_is_not_found(client, auth, db, team):
    theirs = make_job(factories.TeamFactory(self_identification_questions="gender"))
    sign_in(auth, team)

    assert client.get(f"/reports/fairness?job={theirs.id}").status_code == 404
    assert client.get(f"/reports/fairness.csv?job={theirs.id}").status_code == 404
