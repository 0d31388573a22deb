"""The admin's view of the outbox: the queued and sent emails, and each one as sent."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from interviewer.auth.permissions import admin_required
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.mail import bp
from interviewer.mail.access import get_outbox_email_or_404
from interviewer.mail.outbox import FILTERS, team_outbox
from interviewer.mail.settings import smtp_configured


@bp.route("/admin/outbox")
@admin_required
def outbox_index():
    """The team's queued and sent emails, newest first, waiting ones by default."""
    show = request.args.get("show", "pending")
    if show not in FILTERS:
        show = "pending"
    page = db.paginate(
        team_outbox(current_user.team_id, show),
        page=request.args.get("page", 1, type=bounded_int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "mail/outbox.html", page=page, show=show, filters=FILTERS, smtp=smtp_configured()
    )


@bp.route("/admin/outbox/<int:email_id>")
@admin_required
def outbox_email(email_id: int):
    """One email as it will be (or was) sent, with its calendar file."""
    email = get_outbox_email_or_404(email_id)
    return render_template("mail/outbox_email.html", email=email)
