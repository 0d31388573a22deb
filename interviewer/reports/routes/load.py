"""The interviewer load report's page and CSV."""

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.reports import bp
from interviewer.reports.load import load_chart, load_csv, load_report
from interviewer.reports.views import render_report, report_download, report_filter


@bp.route("/load")
@manager_required
@kept(per="day")
def load():
    """Interviews per interviewer per week against their weekly limit."""
    result = load_report(db.session, report_filter())
    return render_report("reports/load.html", result=result, load_chart=load_chart(result))


@bp.route("/load.csv", endpoint="load_csv")
@manager_required
def load_download():
    """The load report as a CSV: one row per interviewer."""
    return report_download("load", load_report, load_csv)
