"""The reliability report: Krippendorff's alpha per skill and per stage type."""

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.reports import bp
from interviewer.reports import reliability as computed
from interviewer.reports.views import render_report, report_download, report_filter


@bp.route("/reliability")
@manager_required
@kept(per="day")
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
    return report_download("reliability", computed.reliability_report, computed.reliability_csv)
