"""The funnel report: its page and its CSV."""

from flask import Response

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.reports import bp
from interviewer.reports.funnel import (
    MIN_RATE_N,
    funnel_chart,
    funnel_csv,
    funnel_report,
    percent,
)
from interviewer.reports.views import render_report, report_download, report_filter


@bp.route("/funnel")
@manager_required
@kept(per="day")
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
    return report_download("funnel", funnel_report, funnel_csv)
