"""Interviews, availability, conflicts and calendar files."""

from flask import Blueprint

# Importing the feature connects its answers to the signals of the features below it, so they
# are connected wherever the feature is used: the app, its commands and the tests.
# The pools' tables sit beside the feature's models; ``training`` and ``offer_closing`` answer the
# booking signals.
from interviewer.scheduling import offer_closing, pool_models, training, usage  # noqa: F401

bp = Blueprint("scheduling", __name__)
