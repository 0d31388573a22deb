"""What every report stands on: the filter's range and narrowing, stages across jobs, the
CSV export's escaping, the charts' geometry and markup, and the tabs."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import render_template_string

from interviewer.auth.models import Role
from interviewer.reports import catalogue
from interviewer.reports.charts import Row, bar_chart, dot_chart
from interviewer.reports.exports import csv_response, safe_cell
from interviewer.reports.filters import ReportFilter, default_range
from interviewer.reports.stages import stage_key, stage_names
from interviewer.scheduling.models import InterviewStatus
from tests import factories

MACRO = '{% from "reports/_charts.html" import chart %}{{ chart(c) }}'


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_the_range_runs_from_the_first_day_to_the_end_of_the_last():
    report_filter = ReportFilter(1, date(2026, 3, 1), date(2026, 3, 31))

    assert report_filter.start_at == datetime(2026, 3, 1, tzinfo=UTC)
    assert report_filter.end_at == datetime(2026, 4, 1, tzinfo=UTC)
    assert default_range(date(2026, 12, 2)) == (date(2026, 6, 6), date(2026, 12, 2))


def test_applications_are_those_of_the_team_received_in_the_range(db):
    team = factories.TeamFactory()
    job = factories.JobFactory(team=team)
    other_level = factories.JobFactory(team=team, level=factories.LevelFactory(team=team))
    made = {
        name: factories.ApplicationFactory(team=team, job=on_job, created_at=when)
        for name, on_job, when in [
            ("first moment", job, at(1)),
            ("last moment", job, at(31, 23, 59)),
            ("before", job, at(1) - timedelta(seconds=1)),
            ("after", job, datetime(2026, 4, 1, tzinfo=UTC)),
            ("other level", other_level, at(10)),
        ]
    }
    factories.ApplicationFactory(created_at=at(10))  # another team's
    db.session.flush()

    def received(**narrowing):
        report_filter = ReportFilter(team.id, date(2026, 3, 1), date(2026, 3, 31), **narrowing)
        ids = set(db.session.scalars(report_filter.applications()))
        return {name for name, application in made.items() if application.id in ids}

    assert received() == {"first moment", "last moment", "other level"}
    assert received(job_id=job.id) == {"first moment", "last moment"}
    assert received(level_id=other_level.level_id) == {"other level"}
    assert received(job_id=job.id, level_id=other_level.level_id) == set()


def test_interviews_are_those_held_in_the_range_and_not_cancelled(db):
    team = factories.TeamFactory()
    job = factories.JobFactory(team=team)
    application = factories.ApplicationFactory(team=team, job=job, created_at=at(1) - timedelta(90))
    made = {
        name: factories.InterviewFactory(
            team=team, application=application, starts_at=when, status=status
        )
        for name, when, status in [
            ("held", at(5, 10), InterviewStatus.SCHEDULED),
            ("cancelled", at(5, 12), InterviewStatus.CANCELLED),
            ("next month", datetime(2026, 4, 1, 9, tzinfo=UTC), InterviewStatus.SCHEDULED),
        ]
    }
    factories.InterviewFactory(starts_at=at(5, 10))  # another team's
    db.session.flush()

    def held(**narrowing):
        report_filter = ReportFilter(team.id, date(2026, 3, 1), date(2026, 3, 31), **narrowing)
        ids = set(db.session.scalars(report_filter.interviews()))
        return {name for name, interview in made.items() if interview.id in ids}

    assert held() == {"held"}
    assert held(job_id=job.id) == {"held"}
    assert held(job_id=job.id + 1000) == set()
    assert held(level_id=job.level_id) == {"held"}


def test_one_job_groups_by_its_stages_and_all_jobs_by_stage_type(db):
    team = factories.TeamFactory()
    screen = factories.StageTypeFactory(team=team, key="screen")
    coding = factories.StageTypeFactory(team=team, key="live_coding")
    final = factories.StageTypeFactory(team=team, key="final")
    first = factories.JobFactory(team=team)
    second = factories.JobFactory(team=team, level=factories.LevelFactory(team=team))
    for job, stages in [
        (first, [("Phone screen", screen), ("Pairing", coding), ("Last chat", final)]),
        (second, [("Intro", screen), ("Final round", final)]),
    ]:
        for position, (name, stage_type) in enumerate(stages, start=1):
            factories.PlanStageFactory(
                team=team, job=job, position=position, name=name, stage_type=stage_type
            )
    db.session.flush()
    one_job = ReportFilter(team.id, date(2026, 3, 1), date(2026, 3, 31), job_id=second.id)
    all_jobs = ReportFilter(team.id, date(2026, 3, 1), date(2026, 3, 31))
    one_level = ReportFilter(team.id, date(2026, 3, 1), date(2026, 3, 31), level_id=second.level_id)

    assert [name for _, name in stage_names(db.session, one_job)] == ["Intro", "Final round"]
    assert stage_names(db.session, all_jobs) == [
        (screen.id, "Screen"),
        (coding.id, "Live coding"),
        (final.id, "Final"),
    ]
    assert [name for _, name in stage_names(db.session, one_level)] == ["Screen", "Final"]
    assert stage_key(one_job).key == "id"
    assert stage_key(all_jobs).key == "stage_type_id"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("Plain text", "Plain text"),
        (-3, -3),
        (2.5, 2.5),
        (None, ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_escaped_and_numbers_stay_numbers(value, cell):
    assert safe_cell(value) == cell


def test_a_csv_response_is_a_streamed_attachment(app):
    with app.test_request_context():
        response = csv_response("x.csv", ["Name", "n"], iter([["=1+1", -4], ["Ada", 3]]))

    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.csv"'
    text = "".join(response.response)
    assert list(csv.reader(io.StringIO(text))) == [["Name", "n"], ["'=1+1", "-4"], ["Ada", "3"]]


def draw(app, chart) -> str:
    with app.test_request_context():
        return render_template_string(MACRO, c=chart)


def test_a_bar_chart_scales_its_bars_and_writes_a_missing_value_as_too_small(app):
    chart = bar_chart(
        "Days in stage",
        "Screen takes longest.",
        [
            Row("Screen", 10, tick=20, note="n = 42"),
            Row("Pairing", 5, note="n = 12"),
            Row("Final", None, note="n = 2"),
        ],
        unit="days",
        tick_label="90th percentile",
    )

    assert [mark.x for mark in chart.marks] == [210, 105, None]
    assert chart.marks[0].tick_x == 420
    svg = draw(app, chart)
    assert '<svg class="chart-svg" role="img" viewBox="0 0 420 ' in svg
    assert 'width="100%"' in svg
    assert '<title id="chart-days-in-stage-title">Days in stage</title>' in svg
    assert '<desc id="chart-days-in-stage-desc">Screen takes longest.</desc>' in svg
    assert "10 days" in svg and "n = 42" in svg
    assert svg.count(">n too small<") == 1
    assert svg.count('class="chart-bar"') == 2
    assert "90th percentile" in svg
    assert 'figcaption class="chart-summary">Screen takes longest.<' in svg
    assert not re.search(r"style=|<style", svg)


def test_a_bar_chart_may_be_given_its_scale(app):
    chart = bar_chart("Rates", "", [Row("A", 50), Row("B", 100)], unit="%", max_value=100)

    assert [mark.x for mark in chart.marks] == [210, 420]
    assert chart.marks[1].value_inside
    assert "100%" in draw(app, chart)


def test_a_dot_chart_draws_whiskers_a_zero_line_and_labelled_references(app):
    leniency = dot_chart(
        "Leniency",
        "Sam rates half a point above the panel.",
        [
            Row("Sam", 0.5, low=0.2, high=0.8, flag="warn"),
            Row("Kim", -2.0, low=-3.0, high=-1.0),
            Row("Lee", None, note="n = 1"),
        ],
        domain=(-1, 1),
    )
    alpha = dot_chart(
        "Alpha",
        "",
        [Row("API design", 0.9, flag="good")],
        domain=(0, 1),
        references=[(0.667, "0.667"), (0.8, "0.800")],
    )

    sam, kim, lee = leniency.marks
    assert (sam.x, sam.low_x, sam.high_x) == pytest.approx((307.0, 248.8, 365.2))
    # Beyond the domain, a dot sits at its end.
    assert (kim.x, kim.low_x, kim.high_x) == (16, 16, 16)
    assert lee.x is None
    assert [(line.kind, line.x) for line in leniency.lines] == [("zero", 210.0)]
    assert [(line.x, line.label) for line in alpha.lines] == [
        (pytest.approx(274.796), "0.667"),
        (pytest.approx(326.4), "0.800"),
    ]
    svg = draw(app, leniency)
    # The figure's class is not a mark's (``chart-dot`` would stroke every text in white).
    assert '<figure class="chart chart-kind-dot">' in svg
    assert 'class="chart-line chart-line-zero"' in svg
    assert 'class="chart-row chart-row-warn"' in svg
    assert svg.count('class="chart-whisker"') == 2
    assert ">n too small<" in svg
    assert ">-1<" in svg and ">0<" in svg and ">1<" in svg
    references = draw(app, alpha)
    assert ">0.667</text>" in references and ">0.800</text>" in references
    assert "chart-line-zero" not in references
    assert not re.search(r"style=|<style", svg + references)


def test_the_catalogue_lists_all_seven_reports_and_tabs_show_those_that_exist(
    app, client, auth, db
):
    assert [link.label for link in catalogue.REPORTS] == [
        "Funnel",
        "Speed",
        "Interviewer load",
        "Calibration",
        "Reliability",
        "Fairness",
        "Ratings export",
    ]
    assert catalogue.report_for("reports.funnel_csv").label == "Funnel"
    assert catalogue.report_for("reports.ratings_csv").is_download
    manager = auth.login(Role.HIRING_MANAGER)

    html = client.get("/reports/funnel").get_data(as_text=True)

    tab_bar = html.split('aria-label="Reports"', 1)[1].split("</nav>", 1)[0]
    tabs = re.findall(r'<a class="nav-link[^"]*"[^>]*href="(/reports/[^"?]*)', tab_bar)
    expected = [
        url
        for link in catalogue.REPORTS
        if link.endpoint in app.view_functions and Role.HIRING_MANAGER in link.roles
        for url in [app.url_map.bind("").build(link.endpoint)]
    ]
    assert tabs == expected
    assert "/reports/fairness" not in tabs
    assert manager.role is Role.HIRING_MANAGER


def test_the_index_lists_each_report_with_a_line(client, auth):
    auth.login(Role.ADMIN)

    html = client.get("/reports/").get_data(as_text=True)

    assert '<a class="fw-semibold" href="/reports/funnel">Funnel</a>' in html
    assert "How many applications reached each stage" in html


def test_the_filter_form_offers_only_the_teams_jobs_and_levels(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    ours = factories.JobFactory(team=manager.team, title="Our job")
    factories.JobFactory(title="Their job")
    db.session.flush()

    html = client.get(f"/reports/funnel?job={ours.id}").get_data(as_text=True)

    assert '<label class="form-label small mb-1" for="job">Job</label>' in html
    assert f'<option selected value="{ours.id}">Our job</option>' in html
    assert "Their job" not in html
    assert 'name="from"' in html and 'name="to"' in html
    assert ">Apply filters</button>" in html
    assert f">{ours.level.name}</option>" in html


def test_a_bar_chart_without_ticks_has_no_legend_for_them(app):
    chart = bar_chart(
        "Interviews per week", "", [Row("Sam", 3), Row("Kim", 2)], tick_label="weekly limit"
    )

    assert "weekly limit" not in draw(app, chart)
