"""Scheduling interviews, availability, and calendar files."""

from flask import Blueprint

bp = Blueprint("scheduling", __name__)
