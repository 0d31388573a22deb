"""The interviewer load report's page and CSV."""

from interviewer.auth.models import Role
from interviewer.auth.permissions import role_required
from interviewer.extensions import db
from interviewer.reports import bp
from interviewer.reports.exports import csv_response
from interviewer.reports.load import load_chart, load_csv, load_report
from interviewer.reports.views import csv_filename, render_report, report_filter


@bp.route("/load")
@role_required(Role.ADMIN, Role.HIRING_MANAGER)
def load():
    """Interviews per interviewer per week against their weekly limit."""
    result = load_report(db.session, report_filter())
    return render_report("reports/load.html", result=result, load_chart=load_chart(result))


@bp.route("/load.csv", endpoint="load_csv")
@role_required(Role.ADMIN, Role.HIRING_MANAGER)
def load_download():
    """The load report as a CSV: one row per interviewer."""
    current = report_filter()
    header, rows = load_csv(load_report(db.session, current))
    return csv_response(csv_filename("load", current), header, rows)
