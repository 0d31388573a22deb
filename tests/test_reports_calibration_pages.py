"""The calibration and reliability pages, their CSV files and the raw ratings export, as a
manager reads them."""

import csv
import io
from datetime import timedelta

import pytest

from interviewer.auth.models import Role
from interviewer.extensions import db
from interviewer.scorecards.models import DecisionOutcome
from tests import factories
from tests.ratings_support import NOW, Ratings

PAGES = [
    "/reports/calibration",
    "/reports/calibration.csv",
    "/reports/reliability",
    "/reports/reliability.csv",
    "/reports/ratings.csv",
]


@pytest.fixture
def team(db):
    return Ratings()


def signed_in(auth, team, role=Role.HIRING_MANAGER):
    return auth.login(role, team=team.team)


def read_csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def lenient_and_disagreeing(team):
    """Ada rates one point above Grace on API design (12 applications); on Testing, Linus
    and Mary disagree by three points, one way and then the other."""
    api, testing = team.skill("API design"), team.skill("Testing")
    ada, grace = team.interviewer("Ada Lenient"), team.interviewer("Grace Steady")
    linus, mary = team.interviewer("Linus"), team.interviewer("Mary")
    for index in range(12):
        mine, theirs = (4, 3) if index % 2 else (3, 2)
        swing = (1, 4) if index % 2 else (4, 1)
        application = team.application()
        team.panel(
            application,
            {ada: {api: mine}, grace: {api: theirs}},
            recommendations={ada: 4, grace: 2},
        )
        team.panel(application, {linus: {testing: swing[0]}, mary: {testing: swing[1]}}, "final")
    return ada, grace


@pytest.mark.parametrize("path", PAGES)
def test_interviewers_may_not_open_the_reports(client, auth, team, path):
    signed_in(auth, team, Role.INTERVIEWER)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_another_teams_job_in_the_filter_is_not_found(client, auth, team, path):
    signed_in(auth, team)
    stranger = factories.JobFactory()
    assert client.get(path, query_string={"job": stranger.id}).status_code == 404


def test_the_calibration_page_marks_the_lenient_interviewer(client, auth, team):
    lenient_and_disagreeing(team)
    signed_in(auth, team, Role.ADMIN)

    page = client.get("/reports/calibration").get_data(as_text=True)

    assert "Leniency per interviewer" in page
    assert "Ada Lenient" in page
    assert 'badge text-bg-warning">lenient<' in page
    assert 'badge text-bg-warning">harsh<' in page
    # Ada: 12 compared ratings, each one point above Grace's; Linus: +3 and -3 in turn.
    assert "+1.00" in page and "+0.00" in page
    assert 'role="img"' in page and "<desc" in page
    assert "style=" not in page


def test_the_calibration_csv_has_one_row_per_interviewer(client, auth, team):
    lenient_and_disagreeing(team)
    signed_in(auth, team)

    rows = read_csv(client.get("/reports/calibration.csv"))

    assert rows[0][:2] == ["interviewer", "scorecards"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Ada Lenient"][1] == "12"
    assert by_name["Ada Lenient"][rows[0].index("leniency_mean")] == "1.0"
    assert by_name["Ada Lenient"][rows[0].index("leniency_n")] == "12"
    assert by_name["Ada Lenient"][rows[0].index("leniency_mark")] == "lenient"
    assert by_name["Linus"][rows[0].index("leniency_mark")] == ""
    assert by_name["Grace Steady"][rows[0].index("leniency_mark")] == "harsh"


def test_the_reliability_page_flags_the_skill_interviewers_disagree_on(client, auth, team):
    lenient_and_disagreeing(team)
    team.skill("Never rated")
    signed_in(auth, team)

    page = client.get("/reports/reliability").get_data(as_text=True)

    assert "Agreement per skill" in page and "Agreement per stage type" in page
    assert "Testing" in page and "unreliable" in page
    assert "rubric anchors" in page
    assert "Never rated" not in page
    rows = read_csv(client.get("/reports/reliability.csv"))
    by_name = {(row[0], row[1]): row for row in rows[1:]}
    assert float(by_name["skill", "Testing"][2]) < 0
    assert by_name["skill", "Testing"][3:] == ["24", "12", "unreliable"]


def test_a_small_sample_says_n_too_small_instead_of_a_number(client, auth, team):
    skill = team.skill("Security")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    team.panel(team.application(), {ada: {skill: 4}, grace: {skill: 1}})
    signed_in(auth, team)

    page = client.get("/reports/reliability").get_data(as_text=True)
    calibration = client.get("/reports/calibration").get_data(as_text=True)

    assert "n too small" in page and "-1.000" not in page
    assert "n too small" in calibration and "+3.00" not in calibration


def test_the_ratings_export_has_submitted_ratings_without_candidate_names(client, auth, team):
    api, testing = team.skill("API design"), team.skill("=Testing")
    ada, grace, linus = (team.interviewer(n) for n in ("Ada", "Grace", "Linus"))
    application = team.application()
    interview = team.interview(application, [ada, grace, linus])
    first = team.score(interview, ada, {api: 1, testing: None})
    team.amend(first, {api: 3, testing: None})
    team.score(interview, grace, {api: 2, testing: 4})
    team.score(interview, linus, {api: 4, testing: 4}, submit=False)
    old = team.application(received=NOW - timedelta(days=400))
    team.panel(old, {ada: {api: 1}})
    signed_in(auth, team)

    response = client.get("/reports/ratings.csv")
    rows = read_csv(response)

    assert "attachment" in response.headers["Content-Disposition"]
    assert rows[0] == [
        "application_id", "job", "stage", "skill", "interviewer", "rating", "submitted_at"
    ]  # fmt: skip
    body = [row[:6] for row in rows[1:]]
    job, stage = team.job.title, "Live coding"
    assert body == [
        [str(application.id), job, stage, "'=Testing", "Ada", ""],
        [str(application.id), job, stage, "'=Testing", "Grace", "4"],
        [str(application.id), job, stage, "API design", "Ada", "3"],
        [str(application.id), job, stage, "API design", "Grace", "2"],
    ]
    assert application.candidate.name not in response.get_data(as_text=True)
    assert all(row[6].startswith(str(NOW.year)) for row in rows[1:])


def test_the_ratings_export_follows_the_job_filter(client, auth, team):
    skill = team.skill("API design")
    ada = team.interviewer("Ada")
    elsewhere = factories.JobFactory(team=team.team, level=team.job.level)
    team.panel(team.application(), {ada: {skill: 3}})
    team.panel(team.application(job=elsewhere), {ada: {skill: 2}})
    signed_in(auth, team)

    every = read_csv(client.get("/reports/ratings.csv"))
    one = read_csv(client.get("/reports/ratings.csv", query_string={"job": elsewhere.id}))

    assert len(every) == 3
    assert [row[1] for row in one[1:]] == [elsewhere.title]


@pytest.mark.parametrize(
    "path", ["/reports/calibration", "/reports/reliability", "/reports/ratings.csv"]
)
def test_the_pages_run_the_same_queries_with_three_times_the_data(
    client, auth, team, count_queries, path
):
    skill = team.skill("API design")
    ada, grace = team.interviewer("Ada"), team.interviewer("Grace")
    signed_in(auth, team)

    def build(times):
        for _ in range(times):
            application = team.application()
            team.panel(application, {ada: {skill: 4}, grace: {skill: 2}})
            team.decide(application, DecisionOutcome.HIRE)
        db.session.flush()

    build(3)
    with count_queries() as small:
        assert client.get(path).status_code == 200
    build(6)
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert small.count == large.count
