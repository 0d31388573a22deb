"""Skills, levels and the competency matrix."""

from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/catalog")
