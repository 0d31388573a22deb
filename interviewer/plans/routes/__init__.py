"""The planner's views, one module per part: jobs and postings, plan stages, kits."""

from interviewer.plans.routes import jobs, kits, plan_copies, settings, stages  # noqa: F401
