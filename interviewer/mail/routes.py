"""The admin's view of the outbox: the waiting, failed and sent emails, each one as sent,
and the button that sends a failed one again."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from interviewer.auth.permissions import admin_required
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.mail import bp
from interviewer.mail.access import get_outbox_email_or_404
from interviewer.mail.forms import RetryEmailForm
from interviewer.mail.models import OutboxEmail
from interviewer.mail.outbox import (
    FILTERS,
    OutboxError,
    can_retry,
    outbox_counts,
    retry_email,
    team_outbox,
)
from interviewer.mail.settings import smtp_configured
from interviewer.pagination import Order, keyset_page


@bp.route("/admin/outbox")
@admin_required
def outbox_index():
    """The team's emails, newest first, waiting ones by default, with a count per filter."""
    show = request.args.get("show", "pending")
    if show not in FILTERS:
        show = "pending"
    page = keyset_page(
        db.session,
        team_outbox(current_user.team_id, show).order_by(None),
        Order(OutboxEmail.created_at, OutboxEmail.id, descending=True),
        per_page=current_app.config["PER_PAGE"],
        page=request.args.get("page", 1, type=bounded_int),
        after=request.args.get("after"),
        before=request.args.get("before"),
    )
    return render_template(
        "mail/outbox.html",
        page=page,
        show=show,
        filters=FILTERS,
        counts=outbox_counts(db.session, current_user.team_id),
        smtp=smtp_configured(),
        retry_form=RetryEmailForm(),
        can_retry=can_retry,
    )


@bp.route("/admin/outbox/<int:email_id>")
@admin_required
def outbox_email(email_id: int):
    """One email as it will be (or was) sent, with its calendar file."""
    email = get_outbox_email_or_404(email_id)
    return render_template(
        "mail/outbox_email.html", email=email, retry_form=RetryEmailForm(), can_retry=can_retry
    )


@bp.route("/admin/outbox/<int:email_id>/retry", methods=["POST"])
@admin_required
def retry(email_id: int):
    """Send a failed email again: it is due at once, with a fresh round of attempts.

    Back to the outbox's filter ``show`` when the button was on the list, else to the email.
    """
    email = get_outbox_email_or_404(email_id)
    if not RetryEmailForm().validate_on_submit():
        abort(400)
    try:
        retry_email(db.session, email, actor=current_user)
    except OutboxError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(f"The email to {email.to_email} will be sent on the next delivery run.", "success")
    show = request.args.get("show")
    if show in FILTERS:
        return redirect(url_for("mail.outbox_index", show=show))
    return redirect(url_for("mail.outbox_email", email_id=email.id))
