"""Jobs, postings, interview plans, plan stages, kits and coverage."""

from flask import Blueprint

# Importing the feature connects its answers to the signals of the features below it, so they
# are connected wherever the feature is used: the app, its commands and the tests.
from interviewer.plans import usage  # noqa: F401

bp = Blueprint("plans", __name__)
