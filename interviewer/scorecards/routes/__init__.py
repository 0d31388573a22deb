"""Scorecard writing, the debrief and decisions."""

from interviewer.scorecards.routes import debrief, scorecard  # noqa: F401
