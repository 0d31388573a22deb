"""The interviewer load report on hand-built calendars: interviews per interviewer per ISO
week against their weekly limit, heaviest first."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from interviewer.reports.filters import ReportFilter
from interviewer.reports.load import load_csv, load_report, weeks_in_range
from interviewer.scheduling.models import InterviewStatus
from tests import factories

#: Four whole ISO weeks: Monday 2 March to Sunday 29 March 2026.
START, END = date(2026, 3, 2), date(2026, 3, 29)
WEEK1, WEEK2, WEEK3 = (datetime(2026, 3, 2, 10, tzinfo=UTC) + timedelta(weeks=n) for n in range(3))


def held(team, at, *panel, status=InterviewStatus.SCHEDULED, **kw):
    """An hour-long interview of ``team`` at ``at`` with ``panel``."""
    booked = factories.InterviewFactory(
        team=team, starts_at=at, ends_at=at + timedelta(hours=1), status=status, **kw
    )
    for user in panel:
        factories.PanelMemberFactory(team=team, interview=booked, user=user)
    return booked


def rows(db, team, **filters):
    report = load_report(db.session, ReportFilter(team.id, START, END, **filters))
    return report, {row.name: row for row in report.interviewers}


def test_each_interviewer_has_a_total_a_mean_week_and_a_busiest_week_against_the_limit(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="Ada", weekly_interview_limit=2)
    bo = factories.UserFactory(team=team, name="Bo", weekly_interview_limit=None)
    for day in range(3):
        held(team, WEEK1 + timedelta(days=day), ada)
    held(team, WEEK2, ada, bo)
    for hour in range(4):
        held(team, WEEK3 + timedelta(hours=2 * hour), bo)

    report, found = rows(db, team)

    assert report.weeks == 4
    assert [row.name for row in report.interviewers] == ["Bo", "Ada"], "the most first"
    ada_row = found["Ada"]
    assert (ada_row.total, ada_row.busiest, ada_row.busiest_week) == (4, 3, date(2026, 3, 2))
    assert ada_row.weeks_over == 1
    assert ada_row.mean == pytest.approx(1.0)
    assert ada_row.flag == "warn", "one week over the limit, the mean within it"
    bo_row = found["Bo"]
    assert (bo_row.total, bo_row.busiest, bo_row.busiest_week) == (5, 4, date(2026, 3, 16))
    assert (bo_row.weeks_over, bo_row.limit, bo_row.flag) == (0, None, "")
    assert report.total == 9


def test_a_mean_over_the_limit_is_bad(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="Ada", weekly_interview_limit=1)
    for week in range(4):
        for hour in (0, 2):
            held(team, WEEK1 + timedelta(weeks=week, hours=hour), ada)

    _, found = rows(db, team)

    assert (found["Ada"].mean, found["Ada"].weeks_over, found["Ada"].flag) == (2.0, 4, "bad")


def test_weeks_run_monday_to_sunday_in_utc(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="Ada")
    held(team, datetime(2026, 3, 15, 22, 30, tzinfo=UTC), ada)  # Sunday night
    held(team, datetime(2026, 3, 9, 0, 0, tzinfo=UTC), ada)  # Monday midnight
    held(team, datetime(2026, 3, 16, 0, 30, tzinfo=UTC), ada)  # the next Monday

    _, found = rows(db, team)

    assert (found["Ada"].busiest, found["Ada"].busiest_week) == (2, date(2026, 3, 9))


def test_cancelled_interviews_other_jobs_and_other_teams_are_not_counted(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="Ada")
    job = factories.JobFactory(team=team)
    application = factories.ApplicationFactory(team=team, job=job)
    held(team, WEEK1, ada, application=application)
    held(team, WEEK2, ada, application=application, status=InterviewStatus.CANCELLED)
    held(team, WEEK3, ada)  # another job
    held(team, datetime(2026, 2, 27, tzinfo=UTC), ada, application=application)  # before
    stranger = factories.TeamFactory()
    held(stranger, WEEK1, factories.UserFactory(team=stranger, name="Cy"))

    report, found = rows(db, team, job_id=job.id)

    assert list(found) == ["Ada"]
    assert found["Ada"].total == 1


def test_a_panel_of_two_counts_for_both(db):
    team = factories.TeamFactory()
    ada, bo = (factories.UserFactory(team=team, name=name) for name in ("Ada", "Bo"))
    held(team, WEEK1, ada, bo)

    report, found = rows(db, team)

    assert (found["Ada"].total, found["Bo"].total, report.total) == (1, 1, 2)


def test_no_interviews_gives_no_rows(db):
    report, found = rows(db, factories.TeamFactory())

    assert found == {}
    assert report.total == 0


@pytest.mark.parametrize(
    ("start", "end", "weeks"),
    [
        (date(2026, 3, 2), date(2026, 3, 8), 1),  # Monday to Sunday
        (date(2026, 3, 8), date(2026, 3, 9), 2),  # Sunday to Monday
        (date(2026, 3, 4), date(2026, 3, 4), 1),
        (date(2026, 3, 2), date(2026, 3, 29), 4),
        (date(2025, 12, 29), date(2026, 1, 4), 1),  # across a new year
    ],
)
def test_weeks_in_range_counts_the_iso_weeks_the_days_touch(start, end, weeks):
    assert weeks_in_range(start, end) == weeks


def test_the_load_report_runs_the_same_statements_with_three_times_the_data(db, count_queries):
    team = factories.TeamFactory()
    people = [factories.UserFactory(team=team, weekly_interview_limit=3) for _ in range(3)]

    def build(copies):
        for index in range(copies):
            held(team, WEEK1 + timedelta(days=index, hours=index), *people[: 1 + index % 3])

    def statements():
        with count_queries() as counter:
            load_report(db.session, ReportFilter(team.id, START, END))
        return counter.count

    build(3)
    small = statements()
    build(6)
    assert statements() == small


def test_the_csv_has_a_row_per_interviewer_heaviest_first(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="=Ada", weekly_interview_limit=2)
    for day in range(3):
        held(team, WEEK1 + timedelta(days=day), ada)

    header, table = load_csv(load_report(db.session, ReportFilter(team.id, START, END)))

    assert header[0] == "interviewer"
    assert table == [["=Ada", 3, 4, 0.75, 3, "2026-03-02", 2, 1]]
