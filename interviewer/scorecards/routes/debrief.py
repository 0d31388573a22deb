"""The debrief of an application and the recorded decision."""

from interviewer.scorecards.routes import bp  # noqa: F401
