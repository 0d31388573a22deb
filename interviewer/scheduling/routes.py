"""Scheduling interviews, availability, and calendar files."""

from __future__ import annotations

from datetime import datetime

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
from interviewer.plans.access import get_stage_or_404
from interviewer.plans.models import PlanStage
from interviewer.scheduling import bp, emails, services, signals, slots
from interviewer.scheduling.access import get_interview_or_404
from interviewer.scheduling.availability import (
    AvailabilityError,
    local_to_utc,
    timezone_names,
    zone,
    zone_label,
)
from interviewer.scheduling.forms import (
    PANEL_ZONE,
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


def _team_users() -> list[User]:
    """Everyone in the team who can sit on a panel, by name."""
    return db.session.scalars(
        in_team(User, current_user.team_id).where(User.active.is_(True)).order_by(User.name)
    ).all()


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


def _booking_request(form: ScheduleForm, users: list[User]) -> dict | None:
    """What the POST asks to book: a picked slot, or the typed date and panel.

    ``None`` when the typed form does not validate (its errors are on its fields).
    """
    if not request.form.get("slot"):
        if not form.validate_on_submit():
            return None
        panel = _chosen(users, form.panel.data)
        tz = form.zone_for(panel, current_user.timezone)
        return {
            "starts_at": _starts_at(form, tz),
            "panel": panel,
            "location": form.location.data or "",
            "video_url": form.video_url.data or "",
            "timezone": tz,
        }
    slot_form = BookSlotForm()
    try:
        if not slot_form.validate():
            raise ValueError(slot_form.errors)
        starts_at, ids = slots.parse_slot(slot_form.slot.data)
    except ValueError:
        raise services.SchedulingError("That slot could not be read; pick it again.") from None
    panel = _chosen(users, ids)
    tz = form.zone_for(panel, current_user.timezone)
    return {
        "starts_at": starts_at,
        "panel": panel,
        "location": slot_form.location.data or "",
        "video_url": slot_form.video_url.data or "",
        "timezone": tz if tz in timezone_names() else current_user.timezone,
    }


@bp.route(
    "/applications/<int:application_id>/stages/<int:stage_id>/schedule", methods=["GET", "POST"]
)
@manager_required
def schedule(application_id: int, stage_id: int):
    """Book a stage by hand or pick one of the suggested slots."""
    application = get_application_or_404(
        application_id, selectinload(Application.candidate), selectinload(Application.job)
    )
    stage = get_stage_or_404(stage_id, selectinload(PlanStage.kit_versions), job=application.job)
    users = _team_users()
    form = _with_panel_choices(ScheduleForm(), users)
    if request.method == "GET":
        form.timezone.data = PANEL_ZONE
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
    )


def _book(form: ScheduleForm, users: list[User], application: Application, stage: PlanStage, now):
    """Book what the POST asks for and go to the interview; ``None`` when the form does not
    validate or the booking is refused (the reason is on the form)."""
    try:
        booking = _booking_request(form, users)
        if booking is None:
            return None
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
    interview = _changeable(interview_id)
    users = _team_users()
    form = _with_panel_choices(RescheduleForm(), users)
    if request.method == "GET":
        _fill(form, interview)
    if form.validate_on_submit() and (moved := _move(form, users, interview)):
        return moved
    return render_template(
        "scheduling/reschedule.html", form=form, interview=interview, users=users
    )


def _fill(form: RescheduleForm, interview: Interview) -> None:
    """Start the form from the interview's booking, in the zone it was booked in."""
    local = interview.starts_at.astimezone(zone(interview.timezone))
    form.starts_on.data, form.start_time.data = local.date(), local.time()
    form.timezone.data = interview.timezone
    form.location.data, form.video_url.data = interview.location, interview.video_url
    form.panel.data = [member.user_id for member in interview.panel]


def _move(form: RescheduleForm, users: list[User], interview: Interview):
    """Move the interview as the valid form says and go to it; ``None`` when the move is
    refused (the reason is on the form)."""
    previous = emails.PreviousBooking.of(interview)
    panel = _chosen(users, form.panel.data)
    tz = form.zone_for(panel, interview.timezone)
    try:
        services.reschedule_interview(
            db.session,
            interview,
            _starts_at(form, tz),
            panel,
            reason=form.reason.data,
            location=form.location.data or "",
            video_url=form.video_url.data or "",
            actor=current_user,
            now=utcnow(),
            timezone=tz,
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
)
