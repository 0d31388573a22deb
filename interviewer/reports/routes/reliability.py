"""The reliability report: Krippendorff's alpha per skill and per stage type."""

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.reports import bp
from interviewer.reports import reliability as computed
from interviewer.reports.exports import csv_response
from interviewer.reports.views import csv_filename, render_report, report_filter


@bp.route("/reliability")
@manager_required
def reliability():
    """How far interviewers agree on each skill and in each stage type, and what to do."""
    result = computed.reliability_report(db.session, report_filter())
    return render_report(
        "reports/reliability.html",
        result=result,
        skills_chart=computed.agreement_chart("Agreement per skill", result.skills),
        stages_chart=computed.agreement_chart("Agreement per stage type", result.stages),
        min_pairable=computed.MIN_PAIRABLE,
    )


@bp.route("/reliability.csv", endpoint="reliability_csv")
@manager_required
def reliability_download():
    """The reliability report as a CSV file."""
    current = report_filter()
    header, rows = computed.reliability_csv(computed.reliability_report(db.session, current))
    return csv_response(csv_filename("reliability", current), header, rows)
