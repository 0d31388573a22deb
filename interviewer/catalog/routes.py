"""Skill catalogue and levels."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from interviewer.auth.permissions import manager_required
from interviewer.catalog.models import Level, Skill
from interviewer.db import in_team
from interviewer.extensions import db

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.route("/")
@manager_required
def index():
    skills = db.session.scalars(
        in_team(Skill, current_user.team_id).order_by(Skill.kind, Skill.category, Skill.name)
    ).all()
    levels = db.session.scalars(in_team(Level, current_user.team_id).order_by(Level.position)).all()
    return render_template("catalog/index.html", skills=skills, levels=levels)
