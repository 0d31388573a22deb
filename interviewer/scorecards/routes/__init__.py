"""Scorecard writing, the debrief and decisions."""

from flask import Blueprint

bp = Blueprint("scorecards", __name__)

from interviewer.scorecards.routes import debrief, scorecard  # noqa: E402, F401
