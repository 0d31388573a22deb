"""The public face of a team: its open jobs' postings, no sign-in needed."""

from flask import Blueprint

bp = Blueprint("careers", __name__, url_prefix="/careers")
