"""The speed report's page and CSV."""

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.reports import bp
from interviewer.reports.speed import (
    duration,
    speed_csv,
    speed_report,
    stage_chart,
    turnaround_chart,
)
from interviewer.reports.views import render_report, report_download, report_filter


@bp.route("/speed")
@manager_required
@kept(per="day")
def speed():
    """Time in stage, to a decision and a hire, scorecard turnaround and lead time."""
    current = report_filter()
    result = speed_report(db.session, current)
    return render_report(
        "reports/speed.html",
        result=result,
        stage_chart=stage_chart(result),
        turnaround_chart=turnaround_chart(result),
        duration=duration,
        range_note=_range_note(current),
    )


@bp.route("/speed.csv", endpoint="speed_csv")
@manager_required
def speed_download():
    """The speed report as a CSV: one row per figure."""
    return report_download("speed", speed_report, speed_csv)


def _range_note(current) -> str:
    start, end = (f"{day.day} {day:%b %Y}" for day in (current.start, current.end))
    return (
        f"Time in stage, to a decision and to a hire count the applications received from "
        f"{start} to {end}; scorecard turnaround and lead time count the interviews held "
        "then (days in UTC)."
    )
