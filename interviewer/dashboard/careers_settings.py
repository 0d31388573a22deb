"""The admin's careers page settings: the privacy notice candidates agree to and the
voluntary self-identification questions the apply form asks."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from interviewer.auth.permissions import admin_required
from interviewer.candidates.consent import standard_notice, update_careers_settings
from interviewer.candidates.self_identification import asked_questions
from interviewer.dashboard import bp
from interviewer.dashboard.settings_forms import CareersSettingsForm
from interviewer.extensions import db


@bp.route("/team/careers", methods=["GET", "POST"])
@admin_required
def careers_settings():
    """Edit the privacy notice and choose the self-identification questions."""
    team = current_user.team
    form = CareersSettingsForm(data=_saved(team))
    if form.validate_on_submit():
        changed = update_careers_settings(
            db.session,
            team,
            notice=form.privacy_notice.data or "",
            questions=form.self_identification.data or [],
            actor=current_user._get_current_object(),
        )
        db.session.commit()
        version = f" The privacy notice is now version {team.privacy_notice_version}."
        flash("Saved." + (version if changed else ""), "success")
        return redirect(url_for("dashboard.careers_settings"))
    return render_template(
        "dashboard/careers_settings.html",
        form=form,
        team=team,
        standard=standard_notice(team),
    )


def _saved(team) -> dict:
    return {
        "privacy_notice": team.privacy_notice,
        "self_identification": [question.key for question in asked_questions(team)],
    }
