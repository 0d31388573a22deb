"""The managers' face of numbers: funnel, speed, load, calibration, reliability and
fairness reports over the team's hiring, each a page with its chart, table and CSV."""

from flask import Blueprint

# Connects the receiver that keeps the running sums right when a scorecard is submitted.
from interviewer.reports import summaries  # noqa: F401

bp = Blueprint("reports", __name__, url_prefix="/reports")
