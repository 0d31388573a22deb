"""The funnel report: its page and its CSV."""

from flask import Response

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.reports import bp
from interviewer.reports.exports import csv_response
from interviewer.reports.funnel import (
    MIN_RATE_N,
    funnel_chart,
    funnel_csv,
    funnel_report,
    percent,
)
from interviewer.reports.views import csv_filename, render_report, report_filter


@bp.route("/funnel")
@manager_required
def funnel():
    """How many applications reached each stage, went on, left there and why, got an offer."""
    result = funnel_report(db.session, report_filter())
    chart = funnel_chart(result) if result.received else None
    return render_report(
        "reports/funnel.html", result=result, chart=chart, percent=percent, min_rate_n=MIN_RATE_N
    )


@bp.route("/funnel.csv", endpoint="funnel_csv")
@manager_required
def funnel_csv_download() -> Response:
    """The funnel as a CSV: a row per stage, then a row per exit and reason."""
    current = report_filter()
    header, rows = funnel_csv(funnel_report(db.session, current))
    return csv_response(csv_filename("funnel", current), header, rows)
