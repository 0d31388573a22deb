"""Reports: the figures of the report pages as JSON, with the same filters (job, level,
from, to) and the same readers (managers and admins; fairness: admins only).

Each report is computed by its page's code (``interviewer.reports``) and given as the rows
of its CSV download, one object per row keyed by column; a blank figure is ``null``. The
reports count submitted scorecards only, as on the pages.
"""

from __future__ import annotations

from flask import g
from marshmallow import Schema, fields

from interviewer.api import resource_blueprint, schemas
from interviewer.api.auth import token_required
from interviewer.api.problems import abort_problem
from interviewer.auth.models import Role
from interviewer.auth.permissions import MANAGERS
from interviewer.extensions import db
from interviewer.reports import calibration, fairness, funnel, load, reliability, speed
from interviewer.reports.views import report_filter

bp = resource_blueprint(
    "Reports",
    __name__,
    "The reports' figures: funnel, speed, load, calibration, reliability, fairness.",
)
#: Each report: how it is computed, how its rows are written, and who may read it.
REPORTS = {
    "funnel": (funnel.funnel_report, funnel.funnel_csv, MANAGERS),
    "speed": (speed.speed_report, speed.speed_csv, MANAGERS),
    "load": (load.load_report, load.load_csv, MANAGERS),
    "calibration": (calibration.calibration_report, calibration.calibration_csv, MANAGERS),
    "reliability": (reliability.reliability_report, reliability.reliability_csv, MANAGERS),
    "fairness": (fairness.fairness_report, fairness.fairness_csv, (Role.ADMIN,)),
}


class ReportArgs(Schema):
    job = schemas.row_id(load_default=None, metadata={"description": "A job id."})
    level = schemas.row_id(load_default=None, metadata={"description": "A level id."})
    start = fields.Date(load_default=None, data_key="from", metadata={"description": "Day, UTC."})
    end = fields.Date(load_default=None, data_key="to", metadata={"description": "Day, UTC."})
    question = fields.String(
        load_default=None, metadata={"description": "Fairness: the question's key."}
    )


class ReportSchema(Schema):
    report = fields.String(required=True)
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")
    job = fields.Integer(allow_none=True, required=True, attribute="job_id")
    level = fields.Integer(allow_none=True, required=True, attribute="level_id")
    columns = fields.List(fields.String(), required=True)
    rows = fields.List(
        fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True)), required=True
    )


def _report_view(name: str):
    """The view of report ``name``, for the roles that may read it."""
    compute, to_rows, roles = REPORTS[name]

    @bp.arguments(ReportArgs, location="query", as_kwargs=False)
    @bp.response(200, ReportSchema)
    @bp.doc(summary=f"The {name} report's figures")
    @token_required(roles=roles)
    def view(args):
        """The report's figures for the filters (default: the last 180 days, every job),
        as the rows of its CSV download."""
        current = report_filter()
        if g.report_messages:
            abort_problem(422, " ".join(g.report_messages[:-1]), field="from")
        extra = (args["question"],) if name == "fairness" else ()
        return _figures(name, current, *to_rows(compute(db.session, current, *extra)))

    view.__name__ = f"{name}_report"
    return view


for _name in REPORTS:
    bp.get(f"/reports/{_name}", endpoint=f"{_name}_report")(_report_view(_name))


def _figures(name: str, current, columns: list[str], rows: list[list]) -> dict:
    """The report's rows as objects keyed by column, a blank figure as ``null``."""
    return {
        "report": name,
        "start": current.start,
        "end": current.end,
        "job_id": current.job_id,
        "level_id": current.level_id,
        "columns": list(columns),
        "rows": [
            {
                column: (None if value == "" else value)
                for column, value in zip(columns, row, strict=False)
            }
            for row in rows
        ],
    }
