"""The fairness report's page and CSV: admins only, and only in aggregate."""

from __future__ import annotations

from flask import request, url_for

from interviewer.auth.permissions import admin_required
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.reports import bp
from interviewer.reports.exports import csv_response
from interviewer.reports.fairness import (
    FOUR_FIFTHS_RULE,
    MIN_GROUP,
    TOO_FEW,
    fairness_csv,
    fairness_report,
    stage_chart,
)
from interviewer.reports.views import csv_filename, filter_args, render_report, report_filter


@bp.route("/fairness")
@admin_required
@kept(per="day")
def fairness():
    """Pass-through per stage by the answers to one self-identification question."""
    current = report_filter()
    result = fairness_report(db.session, current, request.args.get("question"))
    question_links = [
        (question, url_for(".fairness", question=question.key, **filter_args(current)))
        for question in result.questions
    ]
    return render_report(
        "reports/fairness.html",
        result=result,
        charts=[stage_chart(stage, n) for n, stage in enumerate(result.stages, start=1)],
        question_links=question_links,
        rule=FOUR_FIFTHS_RULE,
        min_group=MIN_GROUP,
        too_few=TOO_FEW,
    )


@bp.route("/fairness.csv", endpoint="fairness_csv")
@admin_required
def fairness_download():
    """The report as a CSV: for the question asked for, or for each the team asks."""
    current = report_filter()
    chosen = request.args.get("question")
    results = [fairness_report(db.session, current, chosen)]
    if chosen is None:
        others = results[0].questions[1:]
        results += [fairness_report(db.session, current, other.key) for other in others]
    header = fairness_csv(results[0])[0]
    rows = [row for result in results for row in fairness_csv(result)[1]]
    return csv_response(csv_filename("fairness", current), header, rows)
