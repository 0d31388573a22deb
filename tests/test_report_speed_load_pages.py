"""The speed and interviewer load pages and CSVs as a manager uses them: figures with their
n, "n too small", the filters, the charts, who may open them, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from interviewer.auth.models import Role
from interviewer.candidates import pipeline, services
from interviewer.scheduling.models import InterviewStatus
from interviewer.scorecards.models import ScorecardState
from tests import factories
from tests.test_report_speed import interview, scorecard

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RANGE = {"from": "2026-03-01", "to": "2026-05-31"}
URLS = ("/reports/speed", "/reports/speed.csv", "/reports/load", "/reports/load.csv")


def plan(team, names=("Screen", "Live coding")):
    job = factories.JobFactory(team=team, title="Senior Backend Developer")
    for position, name in enumerate(names, start=1):
        kind = factories.StageTypeFactory(team=team, key=name.lower().replace(" ", "_"), name=name)
        factories.PlanStageFactory(
            team=team, job=job, position=position, name=name, stage_type=kind
        )
    return job


def stay(db, job, days, received=T0):
    """An application received at ``received`` that spent ``days`` in the first stage."""
    candidate = factories.CandidateFactory(team=job.team)
    application = services.apply_to_job(db.session, candidate, job, actor=None, now=received)
    application.created_at = received
    pipeline.move(db.session, application, "advance", None, now=received + timedelta(days=days))
    return application


def held(team, ends, *panel, created=None, status=InterviewStatus.SCHEDULED):
    """An interview booked three days ahead unless ``created`` says when."""
    return interview(
        team, ends=ends, panel=panel, created=created or ends - timedelta(days=3), status=status
    )


def submitted(team, booked, user, hours, state=ScorecardState.SUBMITTED):
    return scorecard(team, booked, user, timedelta(hours=hours), state)


def table_row(html, table_id, header):
    """The cells of the row of ``table_id`` headed ``header``, as text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0].startswith(header):
            return cells
    raise AssertionError(f"no row {header!r} in {table_id}")


def read_csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("url", URLS)
def test_interviewers_are_refused_the_speed_and_load_reports(client, auth, url):
    auth.login(Role.INTERVIEWER)

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HIRING_MANAGER])
@pytest.mark.parametrize("url", URLS)
def test_managers_and_admins_open_them(client, auth, url, role):
    auth.login(role)

    assert client.get(url).status_code == 200


def test_the_speed_page_shows_time_in_stage_with_n_and_too_small_figures(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job = plan(manager.team)
    for days in (4, 1, 10, 3, 2):
        stay(db, job, days)

    html = client.get("/reports/speed", query_string=RANGE).get_data(as_text=True)

    assert table_row(html, "stage-table", "Screen") == [
        "Screen",
        "5",
        "3.0 days",
        "7.6 days",
        "0",
    ]
    # Five are still in Live coding: open stays, not counted.
    assert table_row(html, "stage-table", "Live coding") == [
        "Live coding",
        "0",
        "n too small",
        "n too small",
        "5",
    ]
    assert '<svg class="chart-svg" role="img"' in html
    assert '<title id="chart-time-in-each-stage-title">Time in each stage</title>' in html
    assert "Applications stay longest in Screen: a median of 3.0 days (n = 5)." in html
    assert "applications received from 1 Mar 2026 to 31 May 2026" in html
    assert "Across jobs, stages are grouped by their type" in html
    one_job = client.get("/reports/speed", query_string={**RANGE, "job": job.id})
    assert "Across jobs" not in one_job.get_data(as_text=True)


def test_three_stays_are_too_few_to_show(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job = plan(manager.team)
    for days in (1, 2, 10):
        stay(db, job, days)

    html = client.get("/reports/speed", query_string=RANGE).get_data(as_text=True)

    assert table_row(html, "stage-table", "Screen") == [
        "Screen",
        "3",
        "n too small",
        "n too small",
        "0",
    ]


def test_the_date_range_counts_applications_received_in_it(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job = plan(manager.team)
    stay(db, job, 1)
    stay(db, job, 5, received=datetime(2026, 6, 10, tzinfo=UTC))

    html = client.get(
        "/reports/speed", query_string={"from": "2026-06-01", "to": "2026-06-30"}
    ).get_data(as_text=True)

    assert table_row(html, "stage-table", "Screen")[:2] == ["Screen", "1"]


def test_another_teams_job_in_the_filter_is_not_found(client, auth, db):
    auth.login(Role.HIRING_MANAGER)
    theirs = plan(factories.TeamFactory())

    for url in URLS:
        assert client.get(url, query_string={"job": theirs.id}).status_code == 404


def test_turnaround_per_interviewer_with_the_share_within_24_hours(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    team = manager.team
    ada = factories.UserFactory(team=team, name="Ada Lovelace")
    bo = factories.UserFactory(team=team, name="Bo Kim")
    for index, hours in enumerate((1, 3, 23, 25, 30)):
        booked = held(team, T0 + timedelta(days=index), ada, bo)
        submitted(team, booked, ada, hours)
    submitted(team, booked, bo, 0, state=ScorecardState.DRAFT)
    cancelled = held(team, T0, ada, status=InterviewStatus.CANCELLED)
    submitted(team, cancelled, ada, 300)

    html = client.get("/reports/speed", query_string=RANGE).get_data(as_text=True)

    assert table_row(html, "turnaround-table", "Ada") == [
        "Ada Lovelace",
        "5",
        "23 h",
        "60%",
        "0",
    ]
    assert table_row(html, "turnaround-table", "Bo") == [
        "Bo Kim",
        "0",
        "n too small",
        "n too small",
        "5",
    ]
    assert "60% within 24 h · n = 5" in html
    # Lead time: every interview booked three days ahead; the cancelled one is not held.
    assert table_row(html, "totals-table", "Booked") == [
        "Booked → held scheduling lead time of the interviews held",
        "5",
        "3.0 days",
        "3.0 days",
    ]


def test_the_speed_csv_downloads_every_figure_in_hours(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job = plan(manager.team)
    for days in (4, 1, 10, 3, 2):
        stay(db, job, days)

    response = client.get("/reports/speed.csv", query_string=RANGE)

    assert response.mimetype == "text/csv"
    assert (
        'filename="speed-2026-03-01-to-2026-05-31.csv"' in response.headers["Content-Disposition"]
    )
    rows = read_csv(response)
    assert rows[0][:5] == ["measure", "group", "n", "median_hours", "p90_hours"]
    assert rows[1] == ["time in stage", "Screen", "5", "72.0", "182.4", "", "0"]


def test_the_load_page_ranks_interviewers_and_flags_weeks_over_the_limit(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    team = manager.team
    ada = factories.UserFactory(team=team, name="Ada Lovelace", weekly_interview_limit=2)
    bo = factories.UserFactory(team=team, name="Bo Kim", weekly_interview_limit=3)
    for day in range(3):
        held(team, T0 + timedelta(days=day, hours=1), ada)
    held(team, T0 + timedelta(days=7, hours=1), bo, status=InterviewStatus.CANCELLED)
    held(team, T0 + timedelta(days=7, hours=1), bo)
    query = {"from": "2026-03-02", "to": "2026-03-29"}

    html = client.get("/reports/load", query_string=query).get_data(as_text=True)

    assert table_row(html, "load-table", "Ada") == [
        "Ada Lovelace",
        "3",
        "0.8",
        "3 from 2 Mar",
        "2",
        "1",
    ]
    assert table_row(html, "load-table", "Bo")[:2] == ["Bo Kim", "1"]
    assert html.index("Ada Lovelace") < html.index("Bo Kim"), "the most first"
    assert re.search(r'<g class="chart-row chart-row-warn">\s*<text[^>]*>Ada Lovelace', html)
    assert "Counts the interviews held from 2 Mar 2026 to 29 Mar 2026" in html
    assert "4 weeks the range touches" in html


def test_the_load_csv_escapes_names_a_spreadsheet_would_run(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    held(manager.team, T0, factories.UserFactory(team=manager.team, name="=HYPERLINK(1)"))

    rows = read_csv(client.get("/reports/load.csv", query_string=RANGE))

    assert rows[0][0] == "interviewer"
    assert rows[1][:2] == ["'=HYPERLINK(1)", "1"]


@pytest.mark.parametrize("url", URLS)
def test_each_page_runs_the_same_statements_with_three_times_the_data(
    client, auth, db, count_queries, url
):
    manager = auth.login(Role.HIRING_MANAGER)
    team = manager.team
    job = plan(team)
    people = [factories.UserFactory(team=team, weekly_interview_limit=2) for _ in range(3)]

    def build(copies):
        for index in range(copies):
            stay(db, job, index + 1, received=T0 + timedelta(hours=index))
            booked = held(team, T0 + timedelta(days=index), *people[: 1 + index % 3])
            submitted(team, booked, people[0], index + 1)
        db.session.flush()

    def statements():
        with count_queries() as counter:
            assert client.get(url, query_string=RANGE).status_code == 200
        return counter.count

    build(3)
    small = statements()
    build(6)
    assert statements() == small
