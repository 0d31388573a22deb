"""The pipeline board of a job: a column per plan stage, plus offer and hired."""

from interviewer.dashboard.routes import bp  # noqa: F401
