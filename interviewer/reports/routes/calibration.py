"""The calibration report: each interviewer's recommendations, leniency and agreement."""

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.reports import bp
from interviewer.reports import calibration as computed
from interviewer.reports.views import render_report, report_download, report_filter


@bp.route("/calibration")
@manager_required
@kept(per="day")
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
    return report_download("calibration", computed.calibration_report, computed.calibration_csv)
