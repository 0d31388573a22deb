"""Writing, submitting and amending a scorecard."""

from interviewer.scorecards.routes import bp  # noqa: F401
