"""The debrief of an application and the recorded decision."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from interviewer.auth.permissions import manager_required
from interviewer.candidates import pipeline
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.models import Application
from interviewer.candidates.pipeline import MoveError
from interviewer.candidates.services import ApplicationError
from interviewer.catalog.models import PROFICIENCY_LABELS
from interviewer.emails import moves
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.mail.settings import default_sender
from interviewer.scheduling import closing
from interviewer.scorecards import bp, decisions, reconsider
from interviewer.scorecards.debrief import APPLICATION_LOAD, Debrief, build_debrief
from interviewer.scorecards.forms import ConsiderForm, DecisionForm
from interviewer.scorecards.independence import may_see_others
from interviewer.scorecards.models import RATING_LABELS, DecisionOutcome


def decision_form(application: Application) -> DecisionForm:
    form = DecisionForm()
    reasons = pipeline.reject_reasons(application.team_id)
    form.reason.choices = [SelectChoice("", "Choose a reason…")] + [
        SelectChoice(reason, reason) for reason in reasons
    ]
    return form


def _decision_email(application: Application, form: DecisionForm | None) -> dict:
    """The email the chosen outcome sends, for this candidate and reason (none chosen yet:
    none), and the addresses the form's script previews each outcome's email at."""
    if form is None:
        return {}
    urls = {
        outcome.value: url_for(
            "emails.move_preview", application_id=application.id, kind=moves.MOVE_EMAILS[move].value
        )
        for outcome, move in decisions.OUTCOME_MOVES.items()
        if move in moves.MOVE_EMAILS
    }
    email = None
    if form.outcome.data in urls:
        move = decisions.OUTCOME_MOVES[DecisionOutcome(form.outcome.data)]
        email = moves.email_for_move(db.session, application, move, reason=form.reason.data or "")
        form.prefill_email(email.subject, email.body)
    return {"email": email, "email_urls": urls}


def render_debrief(
    application: Application,
    form: DecisionForm | None,
    confirm: bool = False,
    debrief: Debrief | None = None,
    consider_form: ConsiderForm | None = None,
):
    debrief = debrief or build_debrief(db.session, application)
    return render_template(
        "scorecards/debrief.html",
        debrief=debrief,
        form=form,
        confirm=confirm,
        options=decisions.outcome_options(application) if form is not None else {},
        upcoming=closing.upcoming_interviews(db.session, application) if form is not None else [],
        cancel_note="Only for a rejection.",
        proficiency_labels=PROFICIENCY_LABELS,
        recommendation_labels=RATING_LABELS,
        carried=reconsider.carried_over(db.session, application),
        considered_since=reconsider.considered_since(db.session, application)
        if form is not None
        else [],
        consider=_consider(application, debrief, consider_form) if form is not None else None,
        **_decision_email(application, form),
    )


def _consider(application: Application, debrief: Debrief, form: ConsiderForm | None) -> dict | None:
    """The "consider for another job" offer when the level fit is below the job's level."""
    level = reconsider.met_below(debrief.level_fit)
    if level is None:
        return None
    jobs = reconsider.other_jobs(db.session, application, level)
    form = form or ConsiderForm(
        reason=f"Meets {level} in the {application.job.title} interviews "
        f"(level {debrief.level.name})."
    )
    form.job.choices = [(job.id, job.title) for job in jobs]
    return {"level": level, "jobs": jobs, "form": form}


@bp.route("/applications/<int:application_id>/debrief")
@login_required
@kept
def debrief(application_id: int):
    """Every rating per skill and stage against the level's bar, and the decision form.

    An interviewer opens it only once their own scorecards for the application are in.
    """
    application = get_application_or_404(application_id, *APPLICATION_LOAD)
    if not current_user.is_manager and not may_see_others(db.session, current_user, application.id):
        return render_template("scorecards/debrief_locked.html"), 403
    form = decision_form(application) if current_user.is_manager else None
    return render_debrief(application, form)


@bp.route("/applications/<int:application_id>/decisions", methods=["POST"])
@manager_required
def decide(application_id: int):
    """Record a decision and move the application; missing scorecards need a confirmation."""
    application = get_application_or_404(application_id, *APPLICATION_LOAD)
    form = decision_form(application)
    confirm = form.confirm_missing.data
    if not form.preview_email.data and form.validate_on_submit():
        try:
            decisions.record_decision(
                db.session, application, current_user, **_decision_values(form)
            )
        except decisions.MissingScorecards:
            confirm = True
        except MoveError as error:
            form.outcome.errors.append(str(error))
        else:
            message = _after_decision(application, form)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("scorecards.debrief", application_id=application.id))
    return render_debrief(application, form, confirm=confirm)


@bp.route("/applications/<int:application_id>/consider", methods=["POST"])
@manager_required
def consider(application_id: int):
    """Put the candidate in an open job of the level they meet, carrying the scorecards so far
    over as read-only evidence."""
    application = get_application_or_404(application_id, *APPLICATION_LOAD)
    debrief = build_debrief(db.session, application)
    form = ConsiderForm()
    offer = _consider(application, debrief, form)
    if offer is None:
        flash("The candidate meets this job's level: there is no other level to consider.", "info")
        return redirect(url_for("scorecards.debrief", application_id=application.id))
    if form.validate_on_submit():
        job = next(job for job in offer["jobs"] if job.id == form.job.data)
        try:
            considered = reconsider.consider_for(
                db.session, application, job, form.reason.data.strip(), current_user
            )
        except ApplicationError as error:
            form.job.errors.append(str(error))
        else:
            db.session.commit()
            flash(_considered_message(considered, debrief), "success")
            return redirect(url_for("scorecards.debrief", application_id=considered.id))
    return render_debrief(
        application, decision_form(application), debrief=debrief, consider_form=form
    )


def _considered_message(considered: Application, debrief: Debrief) -> str:
    count = len(debrief.scorecards)
    return (
        f"Now considered for {considered.job.title} at {considered.current_stage.name}; the "
        f"{count} scorecard{'s' if count != 1 else ''} from {debrief.application.job.title} "
        "show on its debrief as read-only evidence."
    )


def _after_decision(application: Application, form: DecisionForm) -> str:
    """Settle the remaining interviews and send the candidate's email as chosen; return the
    one-line result."""
    settled = _settle_interviews(application, form)
    move = decisions.OUTCOME_MOVES[DecisionOutcome(form.outcome.data)]
    sent = moves.send_move_email(
        db.session,
        application,
        move,
        form.chosen_email_action(),
        subject=form.email_subject.data or "",
        body=form.email_body.data or "",
    )
    parts = [
        f"Decision recorded: {form.outcome.data}.",
        pipeline.summary(application),
        settled,
        sent,
    ]
    return " ".join(part for part in parts if part)


def _settle_interviews(application: Application, form: DecisionForm) -> str:
    """A rejection cancels the remaining interviews when the box is ticked."""
    if form.outcome.data != DecisionOutcome.REJECT.value:
        return ""
    return closing.settle_interviews(
        db.session,
        application,
        form.cancel_interviews.data,
        actor=current_user,
        sender=default_sender(current_app.config),
    )


def _decision_values(form: DecisionForm) -> dict:
    return {
        "outcome": form.outcome.data,
        "rationale": form.rationale.data,
        "reason": form.reason.data or None,
        "confirm_missing": form.confirm_missing.data,
    }
