"""The interviewer load report: interviews per interviewer per week against their weekly
limit, and who carries the most.

It counts the interviews *held* in the range (not cancelled), once for each panel member,
in ISO weeks (Monday to Sunday, UTC) that ``reports.seats`` stores on each panel seat. The mean is
over every week the range touches, quiet weeks included (a first or last week cut by the
range counts as a whole week); one query, whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.reports.charts import Chart, Row, bar_chart
from interviewer.reports.filters import ReportFilter
from interviewer.reports.models import PanelSeat


@dataclass(frozen=True)
class InterviewerLoad:
    """One interviewer's interviews in the range."""

    user_id: int
    name: str
    #: ``User.weekly_interview_limit``; ``None``: no limit set.
    limit: int | None
    total: int
    #: The most interviews in one week, and the Monday of the first such week.
    busiest: int
    busiest_week: date
    #: Weeks with more interviews than ``limit``.
    weeks_over: int
    #: Weeks the range touches, which the mean divides by.
    weeks: int

    @property
    def mean(self) -> float:
        return self.total / self.weeks

    @property
    def flag(self) -> str:
        """ "bad" when the mean week is over the limit, "warn" when some week is."""
        if self.limit is None:
            return ""
        if self.mean > self.limit:
            return "bad"
        return "warn" if self.weeks_over else ""


@dataclass(frozen=True)
class LoadReport:
    report_filter: ReportFilter
    weeks: int
    #: Who carries the most first.
    interviewers: list[InterviewerLoad]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.interviewers)


def weeks_in_range(start: date, end: date) -> int:
    """How many ISO weeks (Monday to Sunday) the days ``start``..``end`` touch."""
    first = start - timedelta(days=start.weekday())
    last = end - timedelta(days=end.weekday())
    return (last - first).days // 7 + 1


def load_report(session: Session, report_filter: ReportFilter) -> LoadReport:
    """The load report for ``report_filter``, heaviest first."""
    # The seats of the interviews held (``PanelSeat``: the panels of the interviews not
    # cancelled, with their week), read from one index, by panel member and week.
    held = [
        PanelSeat.team_id == report_filter.team_id,
        PanelSeat.starts_at >= report_filter.start_at,
        PanelSeat.starts_at < report_filter.end_at,
    ]
    if report_filter.job_id is not None or report_filter.level_id is not None:
        held.append(
            PanelSeat.application_id.in_(
                report_filter.of_jobs(
                    select(Application.id).where(Application.team_id == report_filter.team_id),
                    Application.job_id,
                )
            )
        )
    weekly = (
        select(
            PanelSeat.interviewer_id.label("user_id"),
            PanelSeat.week.label("week"),
            func.count().label("interviews"),
            func.max(func.count()).over(partition_by=PanelSeat.interviewer_id).label("busiest"),
        )
        .where(*held)
        .group_by(PanelSeat.interviewer_id, PanelSeat.week)
        .subquery("weekly")
    )
    limit = User.weekly_interview_limit
    statement = (
        select(
            User.id,
            User.name,
            limit,
            func.sum(weekly.c.interviews),
            func.max(weekly.c.busiest),
            func.min(case((weekly.c.interviews == weekly.c.busiest, weekly.c.week))),
            func.sum(case((weekly.c.interviews > limit, 1), else_=0)),
        )
        .join(weekly, weekly.c.user_id == User.id)
        .group_by(User.id, User.name, limit)
    )
    weeks = weeks_in_range(report_filter.start, report_filter.end)
    rows = [
        InterviewerLoad(
            user_id=user_id,
            name=name,
            limit=user_limit,
            total=int(total),
            busiest=int(busiest),
            busiest_week=_as_date(busiest_week),
            weeks_over=int(over or 0),
            weeks=weeks,
        )
        for user_id, name, user_limit, total, busiest, busiest_week, over in session.execute(
            statement
        )
    ]
    rows.sort(key=lambda row: (-row.total, -row.busiest, row.name.lower(), row.user_id))
    return LoadReport(report_filter, weeks, rows)


def load_chart(report: LoadReport) -> Chart:
    """Interviews per week per interviewer: the mean week as the bar, the weekly limit as
    the tick; over the limit on average is "bad", in some week "warn"."""
    rows = [
        Row(
            row.name,
            round(row.mean, 1),
            tick=row.limit,
            note=f"busiest {row.busiest} · {row.total} in all",
            flag=row.flag,
        )
        for row in report.interviewers
    ]
    if report.interviewers:
        top = report.interviewers[0]
        over = sum(1 for row in report.interviewers if row.weeks_over)
        summary = (
            f"{top.name} carries the most: {top.total} of {report.total} interviews, "
            f"{top.mean:.1f} a week on average; {over} of {len(rows)} interviewers went over "
            "their weekly limit in some week."
        )
    else:
        summary = "No interviews were held in the range."
    return bar_chart("Interviews per week", summary, rows, unit="a week", tick_label="weekly limit")


def _as_date(value) -> date:
    # ``min`` over the week column loses its type on SQLite, which hands back the text.
    return value if isinstance(value, date) else date.fromisoformat(value)


def load_csv(report: LoadReport) -> tuple[list[str], list[list]]:
    """One row per interviewer, heaviest first."""
    header = [
        "interviewer",
        "interviews",
        "weeks",
        "mean_per_week",
        "busiest_week_interviews",
        "busiest_week_starts",
        "weekly_limit",
        "weeks_over_limit",
    ]
    rows = [
        [
            row.name,
            row.total,
            row.weeks,
            round(row.mean, 2),
            row.busiest,
            row.busiest_week.isoformat(),
            row.limit,
            row.weeks_over,
        ]
        for row in report.interviewers
    ]
    return header, rows
