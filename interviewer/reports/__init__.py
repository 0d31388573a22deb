"""The managers' face of numbers: funnel, speed, load, calibration, reliability and
fairness reports over the team's hiring, each a page with its chart, table and CSV."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
