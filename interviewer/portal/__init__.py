"""The candidate's face: a private link to their timeline, no account needed."""

from flask import Blueprint

from interviewer import page_cache

# Importing the portal connects its answer to candidates' question for a private link's address.
from interviewer.portal import links  # noqa: F401

bp = Blueprint("portal", __name__)
bp.record_once(lambda state: page_cache.init_app(state.app))
