"""Scheduling interviews, availability, and calendar files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import User
from interviewer.auth.permissions import manager_required
from interviewer.candidates import blind
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.models import Application
from interviewer.db import in_team, utcnow
from interviewer.extensions import db
from interviewer.kept import kept
from interviewer.plans.access import get_stage_or_404
from interviewer.plans.models import PlanStage
from interviewer.scheduling import bp, comfort, emails, pools, services, signals, slots, training
from interviewer.scheduling.access import get_interview_or_404
from interviewer.scheduling.availability import (
    AvailabilityError,
    local_to_utc,
    zone,
    zone_label,
)
from interviewer.scheduling.forms import (
    BookSlotForm,
    CancelForm,
    RescheduleForm,
    ScheduleForm,
)
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.signals import values_from_signal


@bp.app_template_filter("zone_label")
def zone_label_filter(name: str | None) -> str:
    """``Europe/Berlin`` as "Berlin time"."""
    return zone_label(name)


@bp.app_template_filter("timespan")
def timespan_filter(start: datetime, end: datetime, tz: str | None = None) -> str:
    """``Tue 31 Mar, 14:00-15:00 (Berlin time)`` in ``tz`` (default: the viewer's zone)."""
    return services.span(start, end, tz or getattr(current_user, "timezone", None))


@bp.app_template_filter("interview_state")
def interview_state_filter(interview: Interview) -> str:
    """``cancelled``, ``past`` or ``upcoming``: what a list of interviews labels each with."""
    if interview.status == InterviewStatus.CANCELLED:
        return "cancelled"
    return "past" if interview.ends_at <= utcnow() else "upcoming"


def _panel_choices(stage: PlanStage, keep: Sequence[User] = ()) -> list[User]:
    """Who may be ticked for the stage's panel, by name: its qualified interviewers (the
    pool's, or everyone active without a pool), and ``keep``, the panel it already has."""
    users = pools.qualified_interviewers(db.session, stage)
    offered = {user.id for user in users}
    extra = [user for user in keep if user.id not in offered]
    return sorted([*users, *extra], key=lambda user: (user.name, user.id)) if extra else users


#: What the interview pages read: the candidate, the job, the stage, the kit and the panel.
INTERVIEW_PAGE = (
    selectinload(Interview.application).selectinload(Application.candidate),
    selectinload(Interview.application).options(*blind.STAGE_LOAD),
    selectinload(Interview.application).selectinload(Application.job),
    selectinload(Interview.plan_stage),
    selectinload(Interview.kit_version),
    selectinload(Interview.panel).selectinload(PanelMember.user),
)


def _add_error(form, error: services.SchedulingError | AvailabilityError) -> None:
    """Show ``error`` next to its field, or above the form when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _starts_at(form: ScheduleForm, tz: str):
    return local_to_utc(form.starts_on.data, form.start_time.data, tz)


def _with_panel_choices(form, users: list[User]):
    """``form`` offering ``users`` for its panel."""
    form.panel.choices = [SelectChoice(user.id, user.name) for user in users]
    return form


def _chosen(users: list[User], ids: list[int]) -> list[User]:
    by_id = {user.id: user for user in users}
    return [by_id[i] for i in ids if i in by_id]


def _booked(interview: Interview):
    flash(
        f"{interview.plan_stage.name} booked for {interview.application.candidate.name}: "
        f"{services.span(interview.starts_at, interview.ends_at, current_user.timezone)}.",
        "success",
    )
    return redirect(url_for("scheduling.interview", interview_id=interview.id))


def _typed_start(form: ScheduleForm) -> datetime | None:
    """The start the form's fields say, when they say one; for the candidate's clock."""
    if not (form.starts_on.data and form.start_time.data):
        return None
    try:
        return _starts_at(form, form.chosen_zone(current_user.timezone))
    except AvailabilityError:
        return None


def _candidate_clock(form: ScheduleForm, application: Application, stage: PlanStage) -> dict:
    """What the page says beside the time field, for the start the form's fields say."""
    tz = comfort.candidate_zone(application)
    typed = _typed_start(form) if tz else None
    return comfort.clock(application, typed, stage.duration_minutes)


def _needs_confirmation(
    form: ScheduleForm, application: Application, booking: dict, ends_at: datetime
) -> bool:
    """True (with the warning on the form) when the booking falls outside the candidate's
    hours and the manager has not confirmed this very start yet.

    A picked suggestion is copied into the typed fields, so that the confirmation books it
    like a typed time (and a changed time asks again).
    """
    starts_at = booking["starts_at"]
    confirmation = comfort.confirmation(application, starts_at, ends_at)
    if confirmation is None or form.confirmed(starts_at):
        return False
    if booking.get("slot"):
        local = starts_at.astimezone(zone(booking["timezone"]))
        form.starts_on.data, form.start_time.data = local.date(), local.time()
        form.starts_on.raw_data = form.start_time.raw_data = None  # show the data, not the POST
        form.timezone.data = booking["timezone"]
        form.panel.data = [user.id for user in booking["panel"]]
    form.confirm_hours.data = starts_at.isoformat()
    form.confirmation = confirmation
    return True


def _picked_slot() -> tuple[BookSlotForm, datetime, list[int]]:
    """The suggestion the POST picked, with the location and link typed beside it."""
    slot_form = BookSlotForm()
    try:
        if not slot_form.validate():
            raise ValueError(slot_form.errors)
        starts_at, ids = slots.parse_slot(slot_form.slot.data)
    except ValueError:
        raise services.SchedulingError("That slot could not be read; pick it again.") from None
    return slot_form, starts_at, ids


def _booking_request(form: ScheduleForm, users: list[User]) -> dict | None:
    """What the POST asks to book: a picked slot, or the typed date and panel.

    ``None`` when the typed form does not validate (its errors are on its fields). The zone
    is always the one chosen on the form (the manager's own unless changed).
    """
    if not request.form.get("slot") and not form.validate_on_submit():
        return None
    return _request(form, users)


def _request(form: ScheduleForm | RescheduleForm, users: list[User]) -> dict:
    """The booking a POST names, in the zone chosen on the form: its picked slot, or the
    typed date, time and panel."""
    tz = form.chosen_zone(current_user.timezone)
    if not request.form.get("slot"):
        return {
            "starts_at": _starts_at(form, tz),
            "panel": _chosen(users, form.panel.data),
            "location": form.location.data or "",
            "video_url": form.video_url.data or "",
            "timezone": tz,
        }
    slot_form, starts_at, ids = _picked_slot()
    return {
        "starts_at": starts_at,
        "panel": _chosen(users, ids),
        "location": slot_form.location.data or "",
        "video_url": slot_form.video_url.data or "",
        "timezone": tz,
        "slot": slot_form.slot.data,
    }


@bp.route(
    "/applications/<int:application_id>/stages/<int:stage_id>/schedule", methods=["GET", "POST"]
)
@manager_required
@kept
def schedule(application_id: int, stage_id: int):
    """Book a stage by hand or pick one of the suggested slots."""
    application = get_application_or_404(
        application_id, selectinload(Application.candidate), selectinload(Application.job)
    )
    stage = get_stage_or_404(stage_id, selectinload(PlanStage.kit_versions), job=application.job)
    users = _panel_choices(stage)
    form = _with_panel_choices(ScheduleForm(), users)
    if request.method == "GET":
        form.timezone.data = current_user.timezone
    now = utcnow()
    if request.method == "POST" and (booked := _book(form, users, application, stage, now)):
        return booked
    suggestions = slots.suggest_slots(
        db.session, application, stage, now, tz=current_user.timezone, pool=users
    )
    return render_template(
        "scheduling/schedule.html",
        form=form,
        application=application,
        stage=stage,
        users=users,
        suggestions=suggestions,
        slot_notes=comfort.slot_notes(application, suggestions.slots),
        clock=_candidate_clock(form, application, stage),
    )


def _book(form: ScheduleForm, users: list[User], application: Application, stage: PlanStage, now):
    """Book what the POST asks for and go to the interview; ``None`` when the form does not
    validate, the booking is refused (the reason is on the form) or it waits for the
    manager to confirm a time outside the candidate's hours."""
    try:
        booking = _booking_request(form, users)
        if booking is None:
            return None
        ends_at = booking["starts_at"] + timedelta(minutes=stage.duration_minutes)
        if _needs_confirmation(form, application, booking, ends_at):
            return None
        booking.pop("slot", None)
        interview = services.schedule_interview(
            db.session, application, stage, actor=current_user, now=now, **booking
        )
        emails.queue_booking_email(db.session, interview, emails.EmailKind.SCHEDULED)
        db.session.commit()
    except (services.SchedulingError, AvailabilityError) as error:
        db.session.rollback()
        _add_error(form, error)
        return None
    return _booked(interview)


@bp.route("/interviews/<int:interview_id>")
@login_required
def interview(interview_id: int):
    """One interview for its manager or panel, in the viewer's time zone."""
    interview = get_interview_or_404(interview_id, *INTERVIEW_PAGE, need="view")
    history = _history(interview) if current_user.is_manager else []
    can_change = (
        current_user.is_manager
        and interview.status == InterviewStatus.SCHEDULED
        and interview.ends_at > utcnow()
    )
    actions = values_from_signal(
        signals.interview_actions.send(interview, session=db.session, viewer=current_user)
    )
    return render_template(
        "scheduling/interview.html",
        interview=interview,
        history=history,
        can_change=can_change,
        actions=actions,
        zone=zone,
        trainees=training.interview_trainees(db.session, interview),
    )


def _history(interview: Interview) -> list[AuditEvent]:
    """What was done to ``interview``, newest first, for its managers."""
    return db.session.scalars(
        in_team(AuditEvent, current_user.team_id)
        .where(AuditEvent.subject_type == "interview", AuditEvent.subject_id == interview.id)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ).all()


def _changeable(interview_id: int) -> Interview:
    interview = get_interview_or_404(interview_id, *INTERVIEW_PAGE, need="manage")
    if interview.status != InterviewStatus.SCHEDULED:
        flash("This interview is cancelled; schedule a new one instead.", "warning")
        abort(redirect(url_for("scheduling.interview", interview_id=interview.id)))
    return interview


@bp.route("/interviews/<int:interview_id>/reschedule", methods=["GET", "POST"])
@manager_required
def reschedule(interview_id: int):
    """Move an interview by hand or to one of the suggested slots (its own time counts free)."""
    interview = _changeable(interview_id)
    users = _panel_choices(interview.plan_stage, interview.interviewers)
    form = _with_panel_choices(RescheduleForm(), users)
    if request.method == "GET":
        _fill(form, interview)
    elif (request.form.get("slot") or form.validate_on_submit()) and (
        moved := _move(form, users, interview)
    ):
        return moved
    application = interview.application
    suggestions = _move_suggestions(interview, users)
    return render_template(
        "scheduling/reschedule.html",
        form=form,
        interview=interview,
        users=users,
        suggestions=suggestions,
        slot_notes=comfort.slot_notes(application, suggestions.slots),
        clock=_candidate_clock(form, application, interview.plan_stage),
    )


def _move_suggestions(interview: Interview, users: list[User]) -> slots.Suggestions:
    """Free slots for the interview's stage, its own time counting as free."""
    return slots.suggest_slots(
        db.session,
        interview.application,
        interview.plan_stage,
        utcnow(),
        tz=current_user.timezone,
        pool=users,
        exclude_interview_id=interview.id,
    )


def _fill(form: RescheduleForm, interview: Interview) -> None:
    """Start the form from the interview's booking, in the manager's own zone."""
    local = interview.starts_at.astimezone(zone(current_user.timezone))
    form.starts_on.data, form.start_time.data = local.date(), local.time()
    form.timezone.data = current_user.timezone
    form.location.data, form.video_url.data = interview.location, interview.video_url
    form.panel.data = [member.user_id for member in interview.panel]


def _move(form: RescheduleForm, users: list[User], interview: Interview):
    """Move the interview as the POST says and go to it; ``None`` when the move is refused
    (the reason is on the form) or waits for a time outside the candidate's hours to be
    confirmed."""
    previous = emails.PreviousBooking.of(interview)
    try:
        move = _request(form, users)
        ends_at = move["starts_at"] + timedelta(minutes=interview.plan_stage.duration_minutes)
        if _needs_confirmation(form, interview.application, move, ends_at):
            return None
        move.pop("slot", None)
        services.reschedule_interview(
            db.session,
            interview,
            reason=form.reason.data or "",
            actor=current_user,
            now=utcnow(),
            **move,
        )
    except (services.SchedulingError, AvailabilityError) as error:
        db.session.rollback()
        _add_error(form, error)
        return None
    emails.queue_booking_email(db.session, interview, emails.EmailKind.RESCHEDULED, previous)
    db.session.commit()
    when = services.span(interview.starts_at, interview.ends_at, current_user.timezone)
    flash(f"Interview moved to {when}.", "success")
    return redirect(url_for("scheduling.interview", interview_id=interview.id))


@bp.route("/interviews/<int:interview_id>/cancel", methods=["GET", "POST"])
@manager_required
def cancel(interview_id: int):
    interview = _changeable(interview_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_interview(db.session, interview, form.reason.data, actor=current_user)
        except services.SchedulingError as error:
            db.session.rollback()
            _add_error(form, error)
        else:
            emails.queue_booking_email(db.session, interview, emails.EmailKind.CANCELLED)
            db.session.commit()
            flash("Interview cancelled.", "success")
            return redirect(url_for("scheduling.interview", interview_id=interview.id))
    return render_template("scheduling/cancel.html", form=form, interview=interview)


from interviewer.scheduling import (  # noqa: E402, F401
    availability_routes,
    calendar_routes,
    loop_routes,
    offer_routes,
    pool_routes,
)
