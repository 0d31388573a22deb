"""The audit log page: who did what in the team, and when."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from interviewer.accounts import audit_log, bp
from interviewer.audit.models import AuditEvent
from interviewer.auth.permissions import admin_required
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.pagination import Order, keyset_page


@bp.route("/team/audit", endpoint="audit_log")
@admin_required
def audit_log_page():
    """The team's events newest first, filtered by person, kind and days (the admin's zone)."""
    filters = audit_log.read_filters(request.args)
    page = keyset_page(
        db.session,
        audit_log.team_events(current_user.team_id, filters, current_user.timezone),
        Order(AuditEvent.created_at, AuditEvent.id, descending=True),
        per_page=current_app.config["PER_PAGE"],
        page=request.args.get("page", 1, type=bounded_int),
        after=request.args.get("after"),
        before=request.args.get("before"),
    )
    return render_template(
        "accounts/audit_log.html",
        page=page,
        filters=filters,
        people=audit_log.team_people(db.session, current_user.team_id),
        kinds=audit_log.KINDS,
        log=audit_log,
    )
