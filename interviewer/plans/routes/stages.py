"""The interview plan of a job: stages, their order, focus skills and coverage."""

from interviewer.plans.routes import bp  # noqa: F401
