"""The planner's views, one module per part: jobs and postings, plan stages, kits."""

from flask import Blueprint

bp = Blueprint("plans", __name__)

from interviewer.plans.routes import jobs, kits, plan_copies, settings, stages  # noqa: E402, F401
