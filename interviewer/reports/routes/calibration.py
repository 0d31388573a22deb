"""The calibration report: each interviewer's recommendations, leniency and agreement."""

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.reports import bp
from interviewer.reports import calibration as computed
from interviewer.reports.exports import csv_response
from interviewer.reports.views import csv_filename, render_report, report_filter


@bp.route("/calibration")
@manager_required
def calibration():
    """Who rates above or below their panels, and how often their recommendation held."""
    result = computed.calibration_report(db.session, report_filter())
    return render_report(
        "reports/calibration.html",
        result=result,
        leniency_chart=computed.leniency_chart(result),
        shown=computed.shown,
        min_compared=computed.MIN_COMPARED,
        recommendations=computed.RECOMMENDATIONS,
    )


@bp.route("/calibration.csv", endpoint="calibration_csv")
@manager_required
def calibration_download():
    """The calibration report as a CSV file."""
    current = report_filter()
    header, rows = computed.calibration_csv(computed.calibration_report(db.session, current))
    return csv_response(csv_filename("calibration", current), header, rows)
