"""Writing, submitting and amending a scorecard, and reading colleagues' scorecards.

Independence: these pages show another interviewer's scorecard only to managers, or to an
interviewer for whom ``independence.may_see_others`` holds for the application.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from interviewer.candidates import blind
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.models import Application
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.models import Job
from interviewer.scheduling.access import get_interview_or_404
from interviewer.scheduling.models import Interview
from interviewer.scheduling.services import on_panel
from interviewer.scorecards import bp, errors, forms, queries, services
from interviewer.scorecards.access import get_scorecard_or_404
from interviewer.scorecards.independence import may_see_others
from interviewer.scorecards.models import (
    RATING_LABELS,
    Rating,
    Scorecard,
    ScorecardRevision,
    ScorecardState,
)
from interviewer.timezones import localtime


@bp.context_processor
def _rating_labels() -> dict:
    return {"rating_labels": RATING_LABELS}


#: What the scorecard pages read of their interview.
INTERVIEW_LOAD = (
    selectinload(Interview.application).selectinload(Application.candidate),
    selectinload(Interview.application).options(*blind.STAGE_LOAD),
    selectinload(Interview.application).selectinload(Application.job).selectinload(Job.level),
    selectinload(Interview.plan_stage),
    selectinload(Interview.kit_version),
    selectinload(Interview.panel),
)


def _own_interview(interview_id: int) -> Interview:
    """The interview, for a member of its panel; a manager elsewhere is sent to the
    application's scorecards, anyone else gets 403."""
    interview = get_interview_or_404(interview_id, *INTERVIEW_LOAD, need="view")
    if not on_panel(interview, current_user):
        # Seeing it without sitting on its panel: a manager.
        abort(redirect(_colleagues_url(interview)))
    return interview


def _colleagues_url(interview: Interview) -> str:
    return url_for(
        "scorecards.application_scorecards",
        application_id=interview.application_id,
        _anchor=f"interview-{interview.id}",
    )


def _render(template: str, interview: Interview, entries, **context):
    return render_template(
        f"scorecards/{template}",
        interview=interview,
        application=interview.application,
        entries=entries,
        **context,
    )


def _scorecard_or_notice(interview: Interview, entries):
    """The user's scorecard of ``interview``, or the page that says why it cannot be written."""
    try:
        return services.scorecard_for(db.session, interview, current_user, utcnow()), None
    except errors.ScorecardError as refusal:
        if request.method == "POST":
            flash(str(refusal), "warning")
            return None, redirect(url_for("scorecards.scorecard", interview_id=interview.id))
        return None, _render("scorecard_kit.html", interview, entries, refusal=refusal)


@bp.route("/interviews/<int:interview_id>/scorecard", methods=["GET", "POST"])
@login_required
def scorecard(interview_id: int):
    """The kit and the signed-in panel member's scorecard: a form while it is a draft,
    read-only once submitted."""
    interview = _own_interview(interview_id)
    entries = services.kit_entries(db.session, interview)
    card, notice = _scorecard_or_notice(interview, entries)
    if notice is not None:
        return notice
    if card.state == ScorecardState.SUBMITTED and request.method == "GET":
        return _render(
            "scorecard_submitted.html",
            interview,
            entries,
            card=card,
            colleagues_open=may_see_others(db.session, current_user, interview.application_id),
        )
    form = forms.scorecard_form(entries)
    if request.method == "GET":
        form.fill(services.current_input(card), card.lock_version or 0)
    elif form.validate_on_submit():
        return _save(interview, entries, card, form)
    return _render("scorecard.html", interview, entries, card=card, form=form)


def _save(interview: Interview, entries, card: Scorecard, form: forms.ScorecardForm):
    submitting = bool(form.submit_scorecard.data)
    save = services.submit if submitting else services.save_draft
    try:
        save(
            db.session,
            card,
            form.to_input(),
            entries=entries,
            expected_lock=form.expected_lock,
            actor=current_user,
            now=utcnow(),
        )
    except errors.IncompleteScorecard as refusal:
        form.add_errors(refusal.errors)
        return _render("scorecard.html", interview, entries, card=card, form=form)
    except (errors.StaleScorecard, errors.ScorecardLocked):
        db.session.rollback()
        return _conflict("scorecard.html", interview, entries, form)
    db.session.commit()
    if not submitting:
        flash(f"Draft saved at {localtime(card.updated_at, fmt='%H:%M')}.", "success")
        return redirect(url_for("scorecards.scorecard", interview_id=interview.id))
    flash("Scorecard submitted. It is locked now; amend it if something needs to change.")
    if may_see_others(db.session, current_user, interview.application_id):
        return redirect(_colleagues_url(interview))
    return redirect(url_for("scorecards.scorecard", interview_id=interview.id))


def _conflict(template: str, interview: Interview, entries, form: forms.ScorecardForm):
    """Re-show the form with the user's input after another save got in first.

    The form takes the stored ``lock_version``, so saving again is a deliberate overwrite.
    """
    card = services.find_scorecard(db.session, interview, current_user)
    form.lock_version.data = str(card.lock_version if card else 0)
    changed_at = localtime(card.updated_at if card else utcnow(), fmt="%H:%M")
    locked = card is not None and card.state == ScorecardState.SUBMITTED
    if locked and template == "scorecard.html":
        message = (
            f"This scorecard was submitted at {changed_at} in another tab and is locked now; "
            "your text is kept below: amend the scorecard to add what is missing."
        )
    else:
        message = (
            f"This scorecard was changed in another tab or by another save at {changed_at}; "
            "your text is kept below: review and save again."
        )
    form.form_errors.append(message)
    return _render(template, interview, entries, card=card, form=form, locked=locked)


@bp.route("/interviews/<int:interview_id>/scorecard/amend", methods=["GET", "POST"])
@login_required
def amend(interview_id: int):
    """Change a submitted scorecard as a new version, with the reason for the change."""
    interview = _own_interview(interview_id)
    entries = services.kit_entries(db.session, interview)
    card, notice = _scorecard_or_notice(interview, entries)
    if notice is not None:
        return notice
    if card.state != ScorecardState.SUBMITTED:
        flash("This scorecard is still a draft: change it here and submit it.", "info")
        return redirect(url_for("scorecards.scorecard", interview_id=interview.id))
    form = forms.scorecard_form(entries, forms.AmendForm)
    if request.method == "GET":
        form.fill(services.current_input(card), card.lock_version)
    elif form.validate_on_submit():
        return _save_amendment(interview, entries, card, form)
    return _render("scorecard_amend.html", interview, entries, card=card, form=form)


def _save_amendment(interview: Interview, entries, card: Scorecard, form: forms.AmendForm):
    """Save the posted amendment; an incomplete one comes back with what it lacks."""
    try:
        services.amend(
            db.session,
            card,
            form.to_input(),
            form.reason.data,
            entries=entries,
            expected_lock=form.expected_lock,
            actor=current_user,
            now=utcnow(),
        )
    except errors.IncompleteScorecard as refusal:
        form.add_errors(refusal.errors)
        return _render("scorecard_amend.html", interview, entries, card=card, form=form)
    except errors.StaleScorecard:
        db.session.rollback()
        return _conflict("scorecard_amend.html", interview, entries, form)
    db.session.commit()
    flash(f"Amendment saved as version {card.version}.", "success")
    return redirect(url_for("scorecards.scorecard", interview_id=interview.id))


def _card_options():
    return (
        selectinload(Scorecard.interviewer),
        selectinload(Scorecard.ratings).selectinload(Rating.skill),
        selectinload(Scorecard.revisions).selectinload(ScorecardRevision.author),
    )


@bp.route("/scorecards/<int:scorecard_id>")
@login_required
def show(scorecard_id: int):
    """One scorecard, read-only, with its history: for managers, its author, and colleagues
    who have submitted their own."""
    card = get_scorecard_or_404(
        scorecard_id,
        *_card_options(),
        selectinload(Scorecard.interview).selectinload(Interview.plan_stage),
        selectinload(Scorecard.application).selectinload(Application.candidate),
        selectinload(Scorecard.application).selectinload(Application.job),
        # The candidate's label depends on the stage under blind review.
        selectinload(Scorecard.application).options(*blind.STAGE_LOAD),
    )
    if card.interviewer_id == current_user.id:
        return redirect(url_for("scorecards.scorecard", interview_id=card.interview_id))
    if not current_user.is_manager and not (
        card.state == ScorecardState.SUBMITTED
        and may_see_others(db.session, current_user, card.application_id)
    ):
        return _wait_page(card.application)
    return render_template("scorecards/scorecard_show.html", card=card)


def _wait_page(application: Application):
    """403 for an interviewer who has not submitted yet, linking their own scorecards."""
    pending = queries.interviews_owed_by(
        db.session, current_user, application.id, options=(selectinload(Interview.plan_stage),)
    )
    return render_template(
        "scorecards/scorecard_wait.html", application=application, pending=pending, now=utcnow()
    ), 403


@bp.route("/applications/<int:application_id>/scorecards")
@login_required
def application_scorecards(application_id: int):
    """Every submitted scorecard of an application, interview by interview."""
    application = get_application_or_404(
        application_id,
        selectinload(Application.candidate),
        selectinload(Application.job).selectinload(Job.level),
    )
    if not may_see_others(db.session, current_user, application.id):
        return _wait_page(application)
    seats = queries.panel_seats(
        db.session, current_user.team_id, application.id, card_options=_card_options()
    )
    return render_template(
        "scorecards/scorecard_colleagues.html",
        application=application,
        interviews=seats,
        now=utcnow(),
    )
