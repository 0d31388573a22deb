"""Interviews, availability, conflicts and calendar files."""

from flask import Blueprint

# Importing the feature connects its answers to the signals of the features below it, so they
# are connected wherever the feature is used: the app, its commands and the tests.
from interviewer.scheduling import usage  # noqa: F401

# The pools' tables beside the feature's models, and their answers to the booking signals.
from interviewer.scheduling import pool_models, training  # noqa: E402, F401, I001

bp = Blueprint("scheduling", __name__)
