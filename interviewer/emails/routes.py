"""The team's email texts, as admins and hiring managers edit them, and the preview of the
email a move would send a candidate (fetched by the move and decision forms)."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import manager_required
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.models import Application
from interviewer.emails import bp, services
from interviewer.emails.access import get_email_template_or_404, get_kind_or_404
from interviewer.emails.forms import EmailTemplateForm
from interviewer.emails.kinds import KINDS, Kind
from interviewer.emails.models import CandidateEmailKind, EmailTemplate
from interviewer.emails.moves import MOVE_EMAILS, email_for_move
from interviewer.emails.rendering import Rendered
from interviewer.extensions import db
from interviewer.plans.models import Job


@bp.route("/team/emails/")
@manager_required
def index():
    """Every kind of candidate email (and each rejection reason), edited or the default."""
    texts = services.team_texts(
        db.session, current_user.team_id, selectinload(EmailTemplate.updated_by)
    )
    return render_template(
        "emails/index.html",
        kinds=KINDS.values(),
        texts=texts,
        reasons={k: services.reasons_of(k, current_user.team_id) for k in CandidateEmailKind},
        reset_form=EmptyForm(),
    )


def _preview(spec: Kind, form: EmailTemplateForm) -> Rendered | None:
    """The form's text on the demo values; ``None`` (and messages on the form) when it fails."""
    found = services.problems(spec.kind, form.subject.data or "", form.body.data or "")
    for field, message in found.items():
        getattr(form, field).errors = [*getattr(form, field).errors, message]
    if found:
        return None
    return services.render_text(spec.kind, form.subject.data, form.body.data, spec.demo_values())


@bp.route("/team/emails/<kind>", methods=["GET", "POST"])
@manager_required
def edit(kind: str):
    """Edit the team's text of one kind (``?reason=``: a rejection reason's own text)."""
    reason = request.args.get("reason", "")
    spec = get_kind_or_404(kind, reason)
    row = services.edited_text(db.session, current_user.team_id, spec.kind, reason)
    subject, body = services.current_text(db.session, current_user.team_id, spec.kind, reason)
    form = EmailTemplateForm(data={"subject": subject, "body": body})
    preview = None
    if form.validate_on_submit() or not form.is_submitted():
        preview = _preview(spec, form)
        if preview is not None and form.save.data:
            services.save_text(
                db.session, current_user.team_id, spec.kind, reason,
                subject=form.subject.data, body=form.body.data, actor=current_user,
            )  # fmt: skip
            db.session.commit()
            flash(f"Saved the {_title(spec, reason)} email.", "success")
            return redirect(url_for("emails.index"))
    return render_template(
        "emails/edit.html", spec=spec, reason=reason, row=row, form=form, preview=preview,
        title=_title(spec, reason), reset_form=EmptyForm(),
    )  # fmt: skip


def _title(spec: Kind, reason: str) -> str:
    return f"{spec.label}: {reason}" if reason else spec.label


@bp.route("/team/emails/texts/<int:email_template_id>/reset", methods=["POST"])
@manager_required
def reset(email_template_id: int):
    """Drop the team's text: the built-in default applies again."""
    row = get_email_template_or_404(email_template_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    title = _title(KINDS[row.kind], row.reason)
    services.reset_text(db.session, row, actor=current_user)
    db.session.commit()
    flash(f"The {title} email is back to its default text.", "success")
    return redirect(url_for("emails.index"))


#: The kind of email each previewable move sends, the other way round.
_MOVES = {kind: move for move, kind in MOVE_EMAILS.items()}


@bp.route("/candidates/applications/<int:application_id>/emails/<kind>")
@manager_required
def move_preview(application_id: int, kind: str):
    """The email a move would send this candidate now (``?reason=``), as JSON for the form."""
    application = get_application_or_404(
        application_id,
        selectinload(Application.candidate),
        selectinload(Application.job).selectinload(Job.stages),
    )
    move = _MOVES.get(CandidateEmailKind(kind) if kind in set(CandidateEmailKind) else None)
    if move is None:
        abort(404)
    email = email_for_move(db.session, application, move, reason=request.args.get("reason", ""))
    return jsonify(subject=email.subject, body=email.body)
