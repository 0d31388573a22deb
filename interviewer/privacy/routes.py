"""The candidate data pages, for admins: a candidate's export and erasure, and the team's
retention period with what it will anonymise next."""

from __future__ import annotations

import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from interviewer import audit
from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import admin_required
from interviewer.candidates.access import get_candidate_or_404
from interviewer.candidates.models import Application, Candidate
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.privacy import bp, erasure, export, retention
from interviewer.privacy.forms import EraseForm, RetentionForm

#: What the erasure page reads of the candidate: each application with its job.
WITH_JOBS = (selectinload(Candidate.applications).selectinload(Application.job),)


@bp.route("/candidates/<int:candidate_id>/export", methods=["POST"])
@admin_required
def export_candidate(candidate_id: int):
    """Download everything the team holds about the candidate, as a ZIP."""
    candidate = get_candidate_or_404(candidate_id)
    if not EmptyForm().validate_on_submit():
        flash("The export was not started; try again.", "danger")
        return redirect(url_for("dashboard.candidate", candidate_id=candidate.id))
    data = export.export_zip(db.session, candidate)
    export.record_export(db.session, candidate, current_user._get_current_object())
    db.session.commit()
    response = send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"candidate-{candidate.id}-data.zip",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/candidates/<int:candidate_id>/erase", methods=["GET", "POST"])
@admin_required
def erase_candidate(candidate_id: int):
    """Say what erasing the candidate removes and keeps; erase once their name is typed."""
    candidate = get_candidate_or_404(candidate_id, *WITH_JOBS)
    form = EraseForm()
    if candidate.is_erased:
        flash(f"{candidate.name}'s data was erased already.", "info")
        return redirect(url_for("dashboard.candidate", candidate_id=candidate.id))
    if form.validate_on_submit() and form.confirms(candidate.name):
        try:
            erasure.erase_candidate(db.session, candidate, actor=current_user._get_current_object())
        except erasure.ErasureError as error:
            form.confirmation.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Erased the candidate's data: they are now {candidate.name}.", "success")
            return redirect(url_for("dashboard.candidate", candidate_id=candidate.id))
    plan = erasure.erasure_plan(db.session, candidate)
    return render_template("privacy/erase.html", candidate=candidate, form=form, plan=plan)


@bp.route("/team/data", methods=["GET", "POST"])
@admin_required
def team_data():
    """The team's retention period, and who the daily run anonymises in the next week."""
    team = current_user.team
    form = RetentionForm(data={"retention_months": team.retention_months})
    if form.validate_on_submit():
        before, team.retention_months = team.retention_months, form.retention_months.data
        audit.record(
            db.session,
            team_id=team.id,
            actor=current_user._get_current_object(),
            action="team.retention_changed",
            subject=team,
            months_before=before,
            months=team.retention_months,
        )
        db.session.commit()
        flash(f"Candidate data is now kept {team.retention_months} months.", "success")
        return redirect(url_for("privacy.team_data"))
    now = utcnow()
    page = db.paginate(
        retention.preview(team, now),
        page=request.args.get("page", 1, type=bounded_int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    lines = retention.upcoming(db.session, list(page.items), team.retention_months, now)
    return render_template("privacy/team_data.html", form=form, page=page, lines=lines)
