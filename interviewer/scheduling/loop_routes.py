"""Schedule the rest: whole loops proposed for an application's remaining stages, one booked
with one click (all interviews or none)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from interviewer.auth.permissions import manager_required
from interviewer.auth.sign_in import safe_target
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.models import Application
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.models import Job
from interviewer.scheduling import autoloop, bp, emails, loops, services
from interviewer.scheduling.conflicts import moment
from interviewer.scheduling.loop_forms import BookLoopForm, LoopChoiceForm
from interviewer.timezones import timezone_names

#: What the page reads of the application: the candidate, the job and its plan.
LOOP_PAGE = (
    selectinload(Application.candidate),
    selectinload(Application.job).selectinload(Job.stages),
    selectinload(Application.current_stage),
)


@bp.route("/applications/<int:application_id>/loop", methods=["GET", "POST"])
@manager_required
def loop(application_id: int):
    """The three best loops for the ticked remaining stages, in the chosen zone; a POST
    books one option's interviews at once (when it is no longer free: fresh options)."""
    application = get_application_or_404(application_id, *LOOP_PAGE)
    if request.method == "POST":
        return _book(application)
    return _render(application, LoopChoiceForm(request.args))


def _book(application: Application):
    form = BookLoopForm()
    choice = LoopChoiceForm(
        MultiDict(
            [("stage", part) for part in (form.stages.data or "").split(",") if part]
            + [("zone", form.zone.data or "")]
        )
    )
    unreadable = "That loop could not be read; choose one again."
    if not form.validate_on_submit():
        return _render(application, choice, unreadable)
    try:
        items = autoloop.read_option(db.session, application, form.loop.data)
        booked = loops.book_loop(db.session, application, items, actor=current_user, now=utcnow())
    except ValueError:
        db.session.rollback()
        return _render(application, choice, unreadable)
    except services.SchedulingError as error:
        db.session.rollback()
        return _render(application, choice, _taken(error))
    for interview in booked:
        emails.queue_booking_email(db.session, interview, emails.EmailKind.SCHEDULED)
    db.session.commit()
    flash(_booked(application, booked), "success")
    return redirect(safe_target(form.back.data))


def _taken(error: services.SchedulingError) -> str:
    return (
        f"That loop cannot be booked any more, so nothing was booked: {error} "
        "Here are fresh options."
    )


def _booked(application: Application, booked) -> str:
    first, last = booked[0], booked[-1]
    when = services.span(first.starts_at, first.ends_at, current_user.timezone)
    return (
        f"{len(booked)} interview{'s' if len(booked) != 1 else ''} booked for "
        f"{application.candidate.name}, from {when} to "
        f"{moment(last.ends_at, current_user.timezone)}; invitations are on their way."
    )


def _chosen(application: Application, choice: LoopChoiceForm):
    """The remaining stages, the ticked ones (all on a first visit) and the zone to show."""
    remaining = autoloop.remaining_stages(db.session, application)
    choice.stage.choices = [(stage.id, stage.name) for stage in remaining]
    if not choice.zone.raw_data:  # a first visit: every stage ticked
        choice.stage.data = [stage.id for stage in remaining]
    if choice.zone.data not in timezone_names():
        choice.zone.data = current_user.timezone
    ticked = [stage for stage in remaining if stage.id in (choice.stage.data or [])]
    return remaining, ticked, choice.zone.data


def _render(application: Application, choice: LoopChoiceForm, error: str | None = None):
    remaining, ticked, zone = _chosen(application, choice)
    proposal = autoloop.plan_loops(db.session, application, ticked, utcnow(), tz=zone)
    return render_template(
        "scheduling/loop.html",
        application=application,
        choice=choice,
        remaining=remaining,
        ticked=ticked,
        zone=zone,
        proposal=proposal,
        candidate_zone=autoloop.candidate_zone(application),
        option_value=autoloop.option_value,
        book_form=BookLoopForm(),
        error=error,
    )
