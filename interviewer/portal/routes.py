"""The candidate portal at ``/portal/<token>``."""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/portal")
