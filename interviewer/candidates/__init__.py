"""Candidates, applications and their moves along the interview plan."""

# Importing the feature connects its answers to the signals of the features below it, so they
# are connected wherever the feature is used: the app, its commands and the tests.
from interviewer.candidates import applicant_data, usage  # noqa: F401
