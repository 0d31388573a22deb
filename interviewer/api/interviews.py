"""Interviews: read, schedule, reschedule and cancel, with the schedule page's rules and
messages (``interviewer.scheduling.services``), and the slots that page suggests."""

from __future__ import annotations

import re

from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from interviewer.api import resource_blueprint, schemas
from interviewer.api.auth import token_required
from interviewer.api.idempotency import idempotent
from interviewer.api.pagination import page
from interviewer.api.problems import abort_problem
from interviewer.api.tokens import WRITE
from interviewer.auth.models import User
from interviewer.auth.permissions import MANAGERS
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.models import Application
from interviewer.db import in_team, utcnow
from interviewer.extensions import db
from interviewer.pagination import Order
from interviewer.plans.access import get_stage_or_404
from interviewer.plans.models import PlanStage
from interviewer.scheduling import emails, services, slots
from interviewer.scheduling.access import get_interview_or_404
from interviewer.scheduling.availability import AvailabilityError, timezone_names
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember

bp = resource_blueprint(
    "Interviews",
    __name__,
    "Interviews of applications: booked, moved and cancelled with the same conflict rules "
    "and messages as the scheduling pages.",
)
#: The schedule form's fields, as the API names them.
FIELDS = {"starts_on": "starts_at", "start_time": "starts_at", "timezone": "timezone"}
#: What an interview's answer reads: its stage and its panel's people.
INTERVIEW_LOAD = (
    selectinload(Interview.plan_stage),
    selectinload(Interview.panel).selectinload(PanelMember.user),
)
INTERVIEW_ORDER = Order(Interview.starts_at, Interview.id)


class PersonSchema(Schema):
    user_id = fields.Integer(required=True, attribute="id")
    name = fields.String(required=True)


class InterviewSchema(Schema):
    id = fields.Integer(required=True)
    application_id = fields.Integer(required=True)
    stage_id = fields.Integer(required=True, attribute="plan_stage_id")
    stage_name = fields.Function(lambda i: i.plan_stage.name, required=True)
    starts_at = schemas.UtcDateTime(required=True)
    ends_at = schemas.UtcDateTime(required=True)
    timezone = fields.String(
        required=True, metadata={"description": "The zone the interview was booked in."}
    )
    location = fields.String(required=True)
    video_url = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "'scheduled' or 'cancelled'."})
    cancel_reason = fields.String(required=True)
    panel = fields.List(fields.Nested(PersonSchema), required=True, attribute="interviewers")
    created_at = schemas.UtcDateTime(required=True)
    updated_at = schemas.UtcDateTime(required=True)


class InterviewArgs(schemas.PageArgs):
    application = schemas.row_id(load_default=None, metadata={"description": "An application id."})
    interviewer = schemas.row_id(load_default=None, metadata={"description": "A user id."})
    start = schemas.UtcDateTime(load_default=None, data_key="from")
    end = schemas.UtcDateTime(load_default=None, data_key="to")


def _zone(value: str | None) -> None:
    if value is not None and value not in timezone_names():
        raise ValidationError("Choose the time zone.")


def _link(value: str) -> None:
    """A video link as the form takes it: empty, or a full link of at most 500 characters."""
    if value.strip() and not _URL.match(value.strip()):
        raise ValidationError("Enter a full link (https://...).")
    if len(value) > 500:
        raise ValidationError("Longer than maximum length 500.")


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class BookingSchema(Schema):
    """What the schedule form asks. Fields the page requires are checked with its messages
    after the interview is loaded, so another team's id is a 404 whatever the body."""

    starts_at = schemas.UtcDateTime(load_default=None, metadata={"description": "Required."})
    panel = fields.List(
        schemas.row_id(),
        load_default=list,
        metadata={"description": "The interviewers' user ids; the stage says how many."},
    )
    timezone = fields.String(
        load_default=None,
        validate=_zone,
        metadata={"description": "Shown to viewers without a zone; default the token's person's."},
    )
    location = fields.String(load_default="", validate=validate.Length(max=200))
    video_url = fields.String(load_default="", validate=_link)


class ScheduleSchema(BookingSchema):
    application_id = schemas.row_id(required=True)
    stage_id = schemas.row_id(required=True, metadata={"description": "A stage of the job's plan."})


class RescheduleSchema(BookingSchema):
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class CancelSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class SlotSchema(Schema):
    starts_at = schemas.UtcDateTime(required=True)
    ends_at = schemas.UtcDateTime(required=True)
    panel = fields.List(fields.Nested(PersonSchema), required=True)
    load = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Interviews each panel member has that week, by user id."},
    )


class SuggestionsSchema(Schema):
    slots = fields.List(fields.Nested(SlotSchema), required=True)
    blocked = fields.String(
        allow_none=True, required=True, metadata={"description": "Why nothing can be offered."}
    )
    candidate_windows = fields.List(
        fields.List(schemas.UtcDateTime()),
        required=True,
        attribute="windows",
        metadata={"description": "The candidate's proposed windows the slots keep inside."},
    )


@bp.get("/interviews")
@bp.arguments(InterviewArgs, location="query", as_kwargs=False)
@bp.response(200, schemas.page_schema(InterviewSchema, "InterviewPage"))
@token_required()
def list_interviews(args):
    """The team's interviews by start (managers), or those whose panel the caller sits on
    (interviewers, as on My interviews)."""
    statement = in_team(Interview, current_user.team_id)
    if not current_user.is_manager:
        statement = statement.where(Interview.id.in_(_seats_of(current_user.id)))
    if args["application"] is not None:
        statement = statement.where(Interview.application_id == args["application"])
    if args["interviewer"] is not None:
        statement = statement.where(Interview.id.in_(_seats_of(args["interviewer"])))
    if args["start"] is not None:
        statement = statement.where(Interview.starts_at >= args["start"])
    if args["end"] is not None:
        statement = statement.where(Interview.starts_at < args["end"])
    return page(statement, INTERVIEW_ORDER, args, load=INTERVIEW_LOAD)


def _seats_of(user_id: int):
    return select(PanelMember.interview_id).where(
        PanelMember.team_id == current_user.team_id, PanelMember.user_id == user_id
    )


@bp.get("/interviews/<int:interview_id>")
@bp.response(200, InterviewSchema)
@token_required()
def get_interview(interview_id: int):
    """One interview, for the team's managers and its panel."""
    return get_interview_or_404(interview_id, *INTERVIEW_LOAD, need="view")


@bp.post("/interviews")
@bp.arguments(ScheduleSchema)
@bp.response(201, InterviewSchema)
@idempotent
@token_required(WRITE, roles=MANAGERS)
def schedule_interview(data):
    """Book a stage of the application's plan; the stage gives the duration. The panel and
    the candidate are emailed the invitation with its calendar file, as from the page."""
    application = get_application_or_404(
        data["application_id"], selectinload(Application.candidate), selectinload(Application.job)
    )
    stage = get_stage_or_404(
        data["stage_id"], selectinload(PlanStage.kit_versions), job=application.job
    )
    starts_at, panel = _required(data)
    try:
        interview = services.schedule_interview(
            db.session,
            application,
            stage,
            starts_at,
            panel,
            location=data["location"],
            video_url=data["video_url"],
            actor=current_user,
            now=utcnow(),
            timezone=data["timezone"],
        )
        emails.queue_booking_email(db.session, interview, emails.EmailKind.SCHEDULED)
    except (services.SchedulingError, AvailabilityError) as error:
        _refuse(error)
    db.session.commit()
    return interview


@bp.post("/interviews/<int:interview_id>/reschedule")
@bp.arguments(RescheduleSchema)
@bp.response(200, InterviewSchema)
@token_required(WRITE, roles=MANAGERS)
def reschedule_interview(data, interview_id: int):
    """Move the interview (and change its panel) for a reason; calendars update the event."""
    interview = get_interview_or_404(interview_id, *INTERVIEW_LOAD, need="manage")
    if interview.status != InterviewStatus.SCHEDULED:
        abort_problem(409, "This interview is cancelled; schedule a new one instead.")
    starts_at, panel = _required(data)
    previous = emails.PreviousBooking.of(interview)
    try:
        services.reschedule_interview(
            db.session,
            interview,
            starts_at,
            panel,
            reason=data["reason"],
            location=data["location"],
            video_url=data["video_url"],
            actor=current_user,
            now=utcnow(),
            timezone=data["timezone"],
        )
    except (services.SchedulingError, AvailabilityError) as error:
        _refuse(error)
    emails.queue_booking_email(db.session, interview, emails.EmailKind.RESCHEDULED, previous)
    db.session.commit()
    return interview


@bp.post("/interviews/<int:interview_id>/cancel")
@bp.arguments(CancelSchema)
@bp.response(200, InterviewSchema)
@token_required(WRITE, roles=MANAGERS)
def cancel_interview(data, interview_id: int):
    """Cancel the interview for a reason; the panel and the candidate are told."""
    interview = get_interview_or_404(interview_id, *INTERVIEW_LOAD, need="manage")
    if interview.status != InterviewStatus.SCHEDULED:
        abort_problem(409, "This interview is cancelled; schedule a new one instead.")
    try:
        services.cancel_interview(db.session, interview, data["reason"], actor=current_user)
    except services.SchedulingError as error:
        _refuse(error)
    emails.queue_booking_email(db.session, interview, emails.EmailKind.CANCELLED)
    db.session.commit()
    return interview


@bp.get("/applications/<int:application_id>/stages/<int:stage_id>/slots")
@bp.response(200, SuggestionsSchema)
@token_required(roles=MANAGERS)
def list_slots(application_id: int, stage_id: int):
    """The free times the schedule page suggests for the stage, earliest first, each with
    the interviewers it would book."""
    application = get_application_or_404(
        application_id, selectinload(Application.candidate), selectinload(Application.job)
    )
    stage = get_stage_or_404(stage_id, job=application.job)
    pool = db.session.scalars(
        in_team(User, current_user.team_id).where(User.active.is_(True)).order_by(User.name)
    ).all()
    return slots.suggest_slots(
        db.session, application, stage, utcnow(), tz=current_user.timezone, pool=pool
    )


def _required(data: dict) -> tuple:
    """The start and the panel (the team's active people) the booking names, with the
    page's message for what is missing."""
    if data["starts_at"] is None:
        abort_problem(422, "Choose the date.", field="starts_at")
    ids = data["panel"]
    people = {
        user.id: user
        for user in db.session.scalars(
            in_team(User, current_user.team_id).where(User.id.in_(ids), User.active.is_(True))
        )
    }
    if any(i not in people for i in ids):
        abort_problem(422, "Choose the interviewers among the team's people.", field="panel")
    return data["starts_at"], [people[i] for i in ids]


def _refuse(error: services.SchedulingError | AvailabilityError):
    """The service's refusal as problem details: 409 for a clash, else 422."""
    db.session.rollback()
    status = 409 if isinstance(error, services.SchedulingConflict) else 422
    field = FIELDS.get(error.field, error.field) if error.field else None
    abort_problem(status, str(error), field=field)
