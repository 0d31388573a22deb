"""The manager's side of booking offers: times held for a candidate to book on the portal."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import manager_required
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.models import Application
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.access import get_stage_or_404
from interviewer.plans.models import Job, PlanStage
from interviewer.scheduling import autoloop, bp, offers, slots
from interviewer.scheduling.conflicts import SchedulingError, candidate_interviews, moment
from interviewer.scheduling.offer_forms import OfferTimesForm
from interviewer.scheduling.offers import MAX_OPTIONS

#: What the offer page reads of the application.
APPLICATION = (
    selectinload(Application.candidate),
    selectinload(Application.team),
    selectinload(Application.current_stage),
    selectinload(Application.job).selectinload(Job.stages),
)


def _load(application_id: int, stage_id: int) -> tuple[Application, PlanStage]:
    application = get_application_or_404(application_id, *APPLICATION)
    return application, get_stage_or_404(stage_id, job=application.job)


def _remaining(application: Application) -> list[PlanStage]:
    """The stages still to book: from the current one on, without an interview yet."""
    booked = {
        b.plan_stage_id
        for b in candidate_interviews(db.session, application.candidate_id)
        if b.application_id == application.id
    }
    current = application.current_stage.position if application.current_stage else 0
    stages = sorted(application.job.stages, key=lambda stage: stage.position)
    return [s for s in stages if s.position >= current and s.id not in booked]


def _page(application: Application, stage: PlanStage, form: OfferTimesForm, now: datetime):
    tz = current_user.timezone
    suggestions = slots.suggest_slots(db.session, application, stage, now, tz=tz)
    remaining = _remaining(application)
    loops = (
        autoloop.propose_loops(db.session, application, remaining, now, tz=tz)
        if len(remaining) > 1
        else []
    )
    latest = offers.latest_offer(db.session, application)
    return render_template(
        "scheduling/offer.html",
        application=application,
        stage=stage,
        form=form,
        suggestions=suggestions,
        slot_value=lambda slot: offers.encode([offers.slot_dict(stage, slot)]),
        loops=loops,
        loop_value=lambda option: offers.encode([offers.item_dict(i) for i in option.items]),
        latest=latest,
        latest_choices=_latest_choices(application, latest, now),
        now=now,
        max_options=MAX_OPTIONS,
        action_form=EmptyForm(formdata=None),
        item_end=offers.item_end,
        moment=moment,
    )


def _latest_choices(application, latest, now) -> list[offers.Choice]:
    """The open fixed offer's options as the candidate would see them now."""
    if latest is None or not latest.is_open(now) or latest.automatic_stage_id is not None:
        return []
    return offers.choices(db.session, application, latest, now, current_user.timezone)


@bp.route("/applications/<int:application_id>/stages/<int:stage_id>/offer", methods=["GET", "POST"])
@manager_required
def offer_times(application_id: int, stage_id: int):
    """Offer the candidate some of the suggested times (or whole loops) on the portal."""
    application, stage = _load(application_id, stage_id)
    form, now = OfferTimesForm(), utcnow()
    if form.validate_on_submit():
        try:
            options = _ticked(application, form.options.data or [], now)
            offers.make_offer(db.session, application, options, actor=current_user, now=now)
        except SchedulingError as error:
            db.session.rollback()
            form.options.errors = [*form.options.errors, str(error)]
        else:
            db.session.commit()
            return _offered(application, stage, f"{len(options)} time(s) offered")
    return _page(application, stage, form, now)


def _ticked(application: Application, values: list[str], now: datetime):
    """The ticked values as loop items, each read and checked against the application."""
    try:
        stored = [offers.decode(value) for value in values]
    except ValueError:
        raise SchedulingError("A ticked time could not be read; tick it again.") from None
    resolver = offers.Resolver(db.session, application, stored)
    options = [resolver.items(items) for items in stored]
    if any(items is None for items in options):
        raise SchedulingError("A ticked time names a stage or person no longer available.")
    if any(item.starts_at < now for items in options for item in items):
        raise SchedulingError("A ticked time has passed; tick a later one.")
    return options


def _offered(application: Application, stage: PlanStage, what: str):
    flash(
        f"{what} to {application.candidate.name} on the portal, held for "
        f"{application.team.booking_offer_hours} hours.",
        "success",
    )
    return redirect(url_for(".offer_times", application_id=application.id, stage_id=stage.id))


@bp.route(
    "/applications/<int:application_id>/stages/<int:stage_id>/offer/automatic", methods=["POST"]
)
@manager_required
def offer_automatically(application_id: int, stage_id: int):
    """Let the portal offer the stage's next free times, worked out each time it is opened."""
    application, stage = _load(application_id, stage_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        offers.make_offer(
            db.session, application, automatic_stage=stage, actor=current_user, now=utcnow()
        )
    except SchedulingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for(".offer_times", application_id=application_id, stage_id=stage_id))
    db.session.commit()
    return _offered(application, stage, f"The next free times for {stage.name} are offered")


@bp.route(
    "/applications/<int:application_id>/stages/<int:stage_id>/offer/withdraw", methods=["POST"]
)
@manager_required
def withdraw_offer(application_id: int, stage_id: int):
    """Stop offering the open offer's times on the portal."""
    application, stage = _load(application_id, stage_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    offer = offers.open_offer(db.session, application, utcnow())
    if offer is None:
        flash("There is no open offer to withdraw.", "info")
    else:
        offers.withdraw_offer(db.session, offer, actor=current_user)
        db.session.commit()
        flash("Offer withdrawn: the portal no longer shows its times.", "success")
    back = url_for(".offer_times", application_id=application.id, stage_id=stage.id)
    return redirect(back)
