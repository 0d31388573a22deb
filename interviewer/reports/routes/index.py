"""The reports' index: each report the user may open, with a line on what it shows."""

from flask import render_template

from interviewer.auth.permissions import manager_required
from interviewer.reports import bp
from interviewer.reports.views import visible_reports


@bp.route("/")
@manager_required
def index():
    """The reports the signed-in manager or admin may open."""
    return render_template("reports/index.html", reports=visible_reports())
