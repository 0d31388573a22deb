"""The public face of a team: its open jobs' postings, no sign-in needed."""

from flask import Blueprint

from interviewer import page_cache

bp = Blueprint("careers", __name__, url_prefix="/careers")
bp.record_once(lambda state: page_cache.init_app(state.app))
