"""The staff's face: each role's home page, the pipeline board and the candidate pages."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)
