"""Candidates and their applications."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from interviewer.auth.permissions import manager_required
from interviewer.candidates.models import Application, Candidate
from interviewer.db import get_in_team_or_404, in_team
from interviewer.extensions import db
from interviewer.plans.models import Job

bp = Blueprint("candidates", __name__, url_prefix="/candidates")


@bp.route("/")
@manager_required
def index():
    query = request.args.get("q", "").strip()
    statement = in_team(Candidate, current_user.team_id).options(
        selectinload(Candidate.applications).selectinload(Application.job),
        selectinload(Candidate.applications).selectinload(Application.current_stage),
    )
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(Candidate.name.ilike(pattern), Candidate.email.ilike(pattern))
        )
    page = db.paginate(
        statement.order_by(Candidate.name),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("candidates/index.html", page=page, query=query)


@bp.route("/<int:candidate_id>")
@manager_required
def show(candidate_id: int):
    candidate = get_in_team_or_404(
        Candidate,
        candidate_id,
        selectinload(Candidate.applications).selectinload(Application.job).selectinload(Job.level),
        selectinload(Candidate.applications).selectinload(Application.current_stage),
    )
    return render_template("candidates/show.html", candidate=candidate)
