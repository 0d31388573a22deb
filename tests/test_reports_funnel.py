"""The funnel report: who reached each stage, went on, left there and why, got an offer and
was hired; counted by hand on a pipeline built through the services, as managers drive it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from interviewer.auth.models import Role
from interviewer.candidates import pipeline, services
from interviewer.candidates.models import StageVisit
from interviewer.privacy.erasure import erase_candidate
from interviewer.reports.filters import ReportFilter
from interviewer.reports.funnel import funnel_report
from interviewer.scorecards.models import DecisionOutcome
from tests import factories

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RANGE = "from=2026-03-01&to=2026-03-31"
SKILLS_BELOW = "Skills below the level's bar"

#: Each application's moves after applying, at one a day: (move, reason).
JOURNEYS = {
    "a1": [("reject", SKILLS_BELOW)],
    "a2": [("reject", SKILLS_BELOW)],
    "a3": [("withdraw", "Process too long")],
    "a4": [("advance", None), ("reject", "Experience does not match the role")],
    "a5": [("advance", None), ("withdraw", "Accepted another offer")],
    "a6": [("advance", None), ("advance", None), ("reject", "Position filled")],
    "a7": [("advance", None), ("advance", None), ("offer", None), ("hire", None)],
    "a8": [("advance", None), ("advance", None), ("offer", None)],
    # An offer, then withdrawn: an offer made, not accepted, and no exit at a stage.
    "a9": [("advance", None), ("advance", None), ("offer", None), ("withdraw", "Personal reasons")],
    "a10": [],
    # Rejected, reopened and moved on: it reached the second stage and has not left.
    "a11": [("reject", "Other"), ("reopen", None), ("advance", None)],
}

#: By hand: (stage, reached, went on, rejected, withdrew).
EXPECTED_STAGES = [
    ("Screen", 11, 7, 2, 1),
    ("Technical", 7, 4, 1, 1),
    ("Final", 4, 3, 1, 0),
]
EXPECTED_EXITS = [
    ("Screen", "rejected", SKILLS_BELOW, 2),
    ("Screen", "withdrew", "Process too long", 1),
    ("Technical", "rejected", "Experience does not match the role", 1),
    ("Technical", "withdrew", "Accepted another offer", 1),
    ("Final", "rejected", "Position filled", 1),
]


def plan(team, title, level=None, names=("Screen", "Technical", "Final")):
    job = factories.JobFactory(team=team, title=title, **({"level": level} if level else {}))
    keys = ("screen", "live_coding", "final")
    for position, (name, key) in enumerate(zip(names, keys, strict=True), start=1):
        stage_type = factories.StageTypeFactory(team=team, key=key)
        factories.PlanStageFactory(
            team=team, job=job, position=position, name=name, stage_type=stage_type
        )
    return job


def apply(db, job, moves, *, on=DAY, name="Ada Lovelace"):
    candidate = factories.CandidateFactory(team=job.team, name=name)
    application = services.apply_to_job(db.session, candidate, job, actor=None, now=on)
    application.created_at = on
    for day, (move, reason) in enumerate(moves, start=1):
        pipeline.move(db.session, application, move, None, reason=reason, now=on + timedelta(day))
    return application


def build(db, job, *, copies=1):
    applications = {}
    for copy in range(copies):
        for name, moves in JOURNEYS.items():
            applications[f"{name}-{copy}"] = apply(db, job, moves, name=f"Candidate {name}")
    db.session.flush()
    return applications


@pytest.fixture
def manager(auth):
    return auth.login(Role.HIRING_MANAGER)


@pytest.fixture
def job(db, manager):
    return plan(manager.team, "Senior Backend Developer")


def figures(result):
    return [(s.name, s.reached, s.went_on, s.rejected, s.withdrew) for s in result.stages]


def exits(result):
    return [(e.stage, e.left_by, e.reason, e.applications) for e in result.exits]


def test_the_funnel_counts_each_stage_its_exits_and_the_offers(db, manager, job):
    build(db, job)

    result = funnel_report(
        db.session, ReportFilter(manager.team_id, date(2026, 3, 1), date(2026, 3, 31), job.id)
    )

    assert result.received == 11
    assert figures(result) == EXPECTED_STAGES
    assert exits(result) == EXPECTED_EXITS
    assert (result.offers, result.hired) == (3, 1)
    assert [round(s.pass_through, 1) for s in result.stages] == [63.6, 57.1, 75.0]


def test_a_decision_to_offer_counts_as_an_offer(db, manager, job):
    application = apply(db, job, [("advance", None), ("advance", None)])
    factories.DecisionFactory(
        team=manager.team, application=application, outcome=DecisionOutcome.OFFER
    )

    result = funnel_report(
        db.session, ReportFilter(manager.team_id, date(2026, 3, 1), date(2026, 3, 31), job.id)
    )

    assert (result.offers, result.hired) == (1, 0)
    assert [(s.reached, s.went_on) for s in result.stages] == [(1, 1), (1, 1), (1, 1)]


def test_erased_and_withdrawn_candidates_count_without_their_name(client, db, manager, job):
    applications = build(db, job)
    erase_candidate(db.session, applications["a3-0"].candidate, actor=manager)
    applications["a5-0"].candidate.name = "Grace Hopper"
    db.session.flush()

    html = client.get(f"/reports/funnel?job={job.id}&{RANGE}").get_data(as_text=True)

    result = funnel_report(
        db.session, ReportFilter(manager.team_id, date(2026, 3, 1), date(2026, 3, 31), job.id)
    )
    assert figures(result) == EXPECTED_STAGES
    assert "Grace Hopper" not in html
    assert "Candidate a" not in html


def test_the_page_draws_the_funnel_with_its_table_and_exits(client, db, manager, job):
    build(db, job)

    response = client.get(f"/reports/funnel?job={job.id}&{RANGE}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<svg class="chart-svg" role="img"' in html
    assert '<title id="chart-applications-reaching-each-stage-title">' in html
    assert "n = 11, 64 % went on" in html
    assert "n = 7, 57 % went on" in html
    # Three offers are too few for a rate; the table says so rather than print 33 %.
    assert "n = 3, too few for a rate" in html
    assert "Of 11 applications received, 4 reached Final, 3 got an offer and 1 was hired." in html
    assert "<td>Technical</td><td>Withdrew</td><td>Accepted another offer</td>" in html
    assert "Counts the applications received from 1 Mar 2026 to 31 Mar 2026" in html
    assert "Across jobs, stages are grouped by their type" not in html
    assert f'href="/reports/funnel.csv?from=2026-03-01&amp;to=2026-03-31&amp;job={job.id}"' in html


def test_all_jobs_group_their_stages_by_type(db, manager, job):
    other = plan(manager.team, "Platform Engineer", names=("Intro call", "Pairing", "Onsite"))
    build(db, job)
    apply(db, other, [("advance", None), ("advance", None)])

    result = funnel_report(
        db.session, ReportFilter(manager.team_id, date(2026, 3, 1), date(2026, 3, 31))
    )

    assert [s.name for s in result.stages] == ["Screen", "Live coding", "Final"]
    assert [(s.reached, s.went_on) for s in result.stages] == [(12, 8), (8, 5), (5, 3)]


def test_the_level_and_the_dates_narrow_the_applications(client, db, manager, job):
    other = plan(manager.team, "Junior Developer", level=factories.LevelFactory(team=manager.team))
    build(db, job)
    apply(db, other, [("advance", None)])
    apply(db, other, [], on=DAY + timedelta(days=40))
    apply(db, job, [], on=datetime(2026, 2, 28, 23, 59, tzinfo=UTC))
    apply(db, job, [], on=datetime(2026, 4, 1, 0, 0, tzinfo=UTC))

    by_level = funnel_report(
        db.session,
        ReportFilter(manager.team_id, date(2026, 3, 1), date(2026, 3, 31), level_id=other.level_id),
    )
    html = client.get(f"/reports/funnel?level={other.level_id}&{RANGE}").get_data(as_text=True)

    assert by_level.received == 1
    assert [(s.reached, s.went_on) for s in by_level.stages] == [(1, 1), (1, 0), (0, 0)]
    assert "n = 1, too few for a rate" in html
    assert "Across jobs, stages are grouped by their type" in html
    in_march = funnel_report(
        db.session, ReportFilter(manager.team_id, date(2026, 3, 1), date(2026, 3, 31), job.id)
    )
    assert in_march.received == 11


def test_another_teams_job_or_level_is_not_found(client, db, manager):
    other_job = plan(factories.TeamFactory(), "Their job")

    assert client.get(f"/reports/funnel?job={other_job.id}").status_code == 404
    assert client.get(f"/reports/funnel?level={other_job.level_id}").status_code == 404
    assert client.get(f"/reports/funnel.csv?job={other_job.id}").status_code == 404
    assert client.get("/reports/funnel?job=x").status_code == 404


def test_another_teams_applications_are_never_counted(db, manager, job):
    theirs = plan(factories.TeamFactory(), "Their job")
    build(db, theirs)
    apply(db, job, [])

    result = funnel_report(
        db.session, ReportFilter(manager.team_id, date(2026, 3, 1), date(2026, 3, 31))
    )

    assert result.received == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-02-30", "From: Not a valid date value."),
        ("from=2026-04-01&to=2026-03-01", "The start date is after the end date."),
        ("to=9999-12-31", "To: Enter a date between 1900 and 2199."),
    ],
)
def test_a_bad_range_says_so_and_shows_the_default_one(client, manager, job, query, message):
    response = client.get(f"/reports/funnel?{query}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "Showing the last 180 days instead." in html
    today = datetime.now(UTC).date()
    assert f'value="{today.isoformat()}"' in html
    assert f'value="{(today - timedelta(days=179)).isoformat()}"' in html


def test_the_csv_has_a_row_per_stage_and_per_exit_reason(client, db, manager, job):
    build(db, job)

    response = client.get(f"/reports/funnel.csv?job={job.id}&{RANGE}")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "funnel-2026-03-01-to-2026-03-31.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:6] == [
        "Stage",
        "Reached",
        "Went on",
        "Pass-through (%)",
        "Rejected",
        "Withdrew",
    ]
    assert rows[1][:6] == ["Screen", "11", "7", "63.6", "2", "1"]
    assert rows[4][:4] == ["Offer", "3", "1", "33.3"]
    assert rows[5][0] == "Screen" and rows[5][6:] == ["rejected", SKILLS_BELOW, "2"]
    assert len(rows) == 1 + 3 + 1 + 5


def test_the_csv_escapes_names_a_spreadsheet_would_run(client, db, manager):
    job = plan(manager.team, "Job", names=('=HYPERLINK("http://x")', "Technical", "Final"))
    application = apply(db, job, [("reject", "Other")])
    stay = db.session.query(StageVisit).filter_by(application_id=application.id).one()
    stay.reason = "@SUM(A1)"
    db.session.flush()

    text = client.get(f"/reports/funnel.csv?job={job.id}&{RANGE}").get_data(as_text=True)

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[-1][6:] == ["rejected", "'@SUM(A1)", "1"]


def test_interviewers_may_not_read_the_funnel(client, auth):
    auth.login(Role.INTERVIEWER)

    assert client.get("/reports/funnel").status_code == 403
    assert client.get("/reports/funnel.csv").status_code == 403
    assert client.get("/reports/").status_code == 403


def test_no_applications_in_the_range_says_what_to_do(client, db, manager, job):
    apply(db, job, [], on=DAY - timedelta(days=60))

    html = client.get(f"/reports/funnel?{RANGE}").get_data(as_text=True)

    assert "No applications in this range" in html
    assert "Choose earlier dates, all jobs or all levels" in html
    assert "<svg" not in html


def test_the_funnel_runs_the_same_queries_for_11_and_33_applications(
    client, db, manager, job, count_queries
):
    path = f"/reports/funnel?job={job.id}&{RANGE}"
    build(db, job)
    db.session.expunge_all()
    with count_queries() as few:
        client.get(path)
    build(db, job, copies=2)
    db.session.expunge_all()
    with count_queries() as many:
        html = client.get(path).get_data(as_text=True)

    assert "n = 33, 64 % went on" in html
    assert few.count == many.count
