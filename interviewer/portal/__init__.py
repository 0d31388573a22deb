"""The candidate's face: a private link to their timeline, no account needed."""

from flask import Blueprint

# Importing the portal connects its answer to candidates' question for a private link's address.
from interviewer.portal import links  # noqa: F401

bp = Blueprint("portal", __name__)
