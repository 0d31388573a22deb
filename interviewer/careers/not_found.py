"""The careers pages' own "not found": a posting that closed or never was, in the team's
brand when the team exists, with the way to its open positions."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from interviewer.auth.models import Team
from interviewer.careers import bp
from interviewer.extensions import db


@bp.errorhandler(404)
def not_found(_error):
    slug = (request.view_args or {}).get("team_slug")
    team = db.session.scalar(select(Team).where(Team.slug == slug)) if slug else None
    return render_template("careers/not_found.html", team=team), 404
