"""The managers' face of numbers: funnel, speed, load, calibration, reliability and
fairness reports over the team's hiring, each a page with its chart, table and CSV."""

from flask import Blueprint

from interviewer import page_cache

# Connects the receivers that keep the running sums, the panel seats and the funnel's rows
# right as scorecards, interviews, stays and decisions are written.
from interviewer.reports import summaries  # noqa: F401

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.record_once(lambda state: page_cache.init_app(state.app))
