"""The admin's candidate settings: the team's list of sources, and blind first review."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from interviewer import audit
from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import admin_required
from interviewer.candidates import sources as services
from interviewer.candidates.access import get_source_or_404
from interviewer.candidates.queries import source_counts
from interviewer.candidates.settings_forms import BlindReviewForm, MoveSourceForm, SourceForm
from interviewer.dashboard import bp
from interviewer.extensions import db


def _render_sources(form: SourceForm):
    rows = services.team_sources(db.session, current_user.team_id)
    return render_template(
        "dashboard/team/sources.html",
        sources=rows,
        counts=source_counts(db.session, current_user.team_id),
        form=form,
        move_form=MoveSourceForm(),
        is_protected=services.is_protected,
    )


@bp.route("/team/sources", methods=["GET", "POST"])
@admin_required
def sources():
    """The team's sources in order, with the form to add one."""
    form = SourceForm()
    if form.validate_on_submit():
        try:
            source = services.add_source(
                db.session, current_user.team_id, current_user, form.name.data
            )
        except services.SourceError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Added the source “{source.name}”.", "success")
            return redirect(url_for("dashboard.sources"))
    return _render_sources(form)


@bp.route("/team/sources/<int:source_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_source(source_id: int):
    """Rename a source; the candidates that carry it are renamed with it."""
    source = get_source_or_404(source_id)
    form = SourceForm(obj=source)
    if form.validate_on_submit():
        old = source.name
        try:
            renamed = services.rename_source(db.session, source, current_user, form.name.data)
        except services.SourceError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_renamed_message(old, source.name, renamed), "success")
            return redirect(url_for("dashboard.sources"))
    return render_template(
        "dashboard/team/source_form.html",
        source=source,
        form=form,
        protected=services.is_protected(source),
    )


def _renamed_message(old: str, new: str, renamed: int) -> str:
    if old == new:
        return f"“{new}” keeps its name."
    people = f"{renamed} candidate{'s' if renamed != 1 else ''}"
    return f"Renamed “{old}” to “{new}”, on {people} too."


@bp.route("/team/sources/<int:source_id>/archive", methods=["POST"])
@admin_required
def archive_source(source_id: int):
    """Stop offering a source; the candidates that have it keep it."""
    return _set_archived(get_source_or_404(source_id), True)


@bp.route("/team/sources/<int:source_id>/restore", methods=["POST"])
@admin_required
def restore_source(source_id: int):
    """Offer an archived source again."""
    return _set_archived(get_source_or_404(source_id), False)


def _set_archived(source, archived: bool):
    if EmptyForm().validate_on_submit():
        try:
            services.set_archived(db.session, source, current_user, archived)
        except services.SourceError as error:
            flash(str(error), "warning")
        else:
            db.session.commit()
            if archived:
                flash(f"Archived “{source.name}”: its candidates keep it.", "success")
            else:
                flash(f"“{source.name}” is offered again.", "success")
    return redirect(url_for("dashboard.sources"))


@bp.route("/team/sources/<int:source_id>/move", methods=["POST"])
@admin_required
def move_source(source_id: int):
    """Move a source one place up or down the list."""
    source = get_source_or_404(source_id)
    form = MoveSourceForm()
    if form.validate_on_submit() and services.move_source(db.session, source, form.direction.data):
        db.session.commit()
    return redirect(url_for("dashboard.sources", _anchor=f"source-{source.id}"))


@bp.route("/team/review", methods=["GET", "POST"])
@admin_required
def review_settings():
    """The team's review settings: blind first review of screen stages."""
    team = current_user.team
    form = BlindReviewForm()
    if not form.is_submitted():
        form.enabled.data = team.blind_first_review  # an unticked box sends nothing
    if form.validate_on_submit():
        if team.blind_first_review != form.enabled.data:
            team.blind_first_review = form.enabled.data
            audit.record(
                db.session,
                team_id=team.id,
                actor=current_user,
                action="team.blind_review_on" if form.enabled.data else "team.blind_review_off",
                subject=team,
            )
            db.session.commit()
        flash(_review_message(team.blind_first_review), "success")
        return redirect(url_for("dashboard.review_settings"))
    return render_template("dashboard/team/review.html", form=form)


def _review_message(blind: bool) -> str:
    if blind:
        return "Screens are reviewed blind: their interviewers see a pseudonym from now on."
    return "Screens are no longer reviewed blind: interviewers see candidates' names."
