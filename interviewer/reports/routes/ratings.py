"""The raw export of submitted ratings, for analysis elsewhere."""

from flask import stream_with_context

from interviewer.auth.permissions import manager_required
from interviewer.extensions import db
from interviewer.reports import bp
from interviewer.reports.exports import csv_response
from interviewer.reports.ratings import HEADER, ratings_rows
from interviewer.reports.views import csv_filename, report_filter


@bp.route("/ratings.csv", endpoint="ratings_csv")
@manager_required
def ratings_download():
    """Every submitted rating of the applications in the filter, streamed as it is read."""
    current = report_filter()
    rows = stream_with_context(ratings_rows(db.session, current))
    return csv_response(csv_filename("ratings", current), HEADER, rows)
