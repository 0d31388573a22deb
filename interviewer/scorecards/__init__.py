"""Scorecards, ratings, debrief and decisions."""

from flask import Blueprint

# Importing the feature connects its answers to the signals of the features below it, so they
# are connected wherever the feature is used: the app, its commands and the tests.
from interviewer.scorecards import interview_links, usage  # noqa: F401

bp = Blueprint("scorecards", __name__)
