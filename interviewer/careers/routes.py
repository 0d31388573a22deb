"""Public job postings at ``/careers/<team-slug>/<job-slug>``."""

from flask import Blueprint

bp = Blueprint("careers", __name__, url_prefix="/careers")
