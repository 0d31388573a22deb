"""The home page of each role."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from interviewer.auth.permissions import manager_required
from interviewer.dashboard import bp, links, services
from interviewer.db import in_team, utcnow
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.kept import kept
from interviewer.plans.models import Job, JobStatus, PlanStage


@bp.route("/")
@login_required
def home():
    if not current_user.is_manager:
        return redirect(url_for("dashboard.my_interviews"))
    return redirect(url_for("dashboard.overview"))


@bp.route("/dashboard")
@manager_required
@kept
def overview():
    """The team's jobs that are not closed, with candidates per stage, and overdue scorecards."""
    page = db.paginate(
        in_team(Job, current_user.team_id)
        .where(Job.status != JobStatus.CLOSED)
        .options(
            joinedload(Job.level),
            selectinload(Job.stages).joinedload(PlanStage.stage_type),
        )
        .order_by(Job.status.desc(), Job.title),
        page=request.args.get("page", 1, type=bounded_int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    counts = services.pipeline_counts(
        db.session, current_user.team_id, [job.id for job in page.items]
    )
    overdue, overdue_total = services.overdue_scorecards(db.session, current_user.team_id, utcnow())
    return render_template(
        "dashboard/overview.html",
        page=page,
        counts=counts,
        overdue=overdue,
        overdue_total=overdue_total,
        links=links.overview_links(),
    )


@bp.route("/my-interviews")
@login_required
@kept
def my_interviews():
    """The signed-in user's interviews: upcoming ones, overdue scorecards, then past ones,
    a page at a time (``before`` and ``overdue_before`` continue a list)."""
    before = services.Cursor.parse(request.args.get("before"))
    overdue_before = services.Cursor.parse(request.args.get("overdue_before"))
    show = "past" if before else "overdue" if overdue_before else "all"
    mine = services.my_interviews(
        db.session,
        current_user,
        utcnow(),
        per_page=current_app.config["PER_PAGE"],
        before=before,
        overdue_before=overdue_before,
        show=show,
    )
    return render_template(
        "dashboard/my_interviews.html", mine=mine, show=show, links=links.interview_links()
    )


from interviewer.dashboard import (  # noqa: E402, F401
    board,
    board_bulk,
    candidate_page,
    candidates,
    careers_settings,
    cv,
    team_settings,
)
