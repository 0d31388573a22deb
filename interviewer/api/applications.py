"""Applications: a candidate in a job, listed with filters, applied, moved along the plan.

Applying is the candidate page's "apply to job" (``services.apply_to_job``); a move is the
board's (``pipeline.move`` with the page's move form): the same moves, reasons, refusals,
and what follows it there: a rejection or withdrawal cancels the interviews still to come
unless asked not to, and the candidate's email goes when asked (``email``). Nothing of
an application is edited otherwise on the pages, so there is no PATCH. For managers only,
as the board and the candidate page are; they see the candidate's name there, blind review
or not (it hides names from interviewers, who have no access here).
"""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import selectinload

from interviewer.api import schemas
from interviewer.api.auth import token_required
from interviewer.api.candidates import bp
from interviewer.api.form_input import check, posted
from interviewer.api.hiring_schemas import Derived
from interviewer.api.idempotency import idempotent
from interviewer.api.pagination import page
from interviewer.api.problems import abort_problem
from interviewer.api.schemas import row_id
from interviewer.api.tokens import WRITE
from interviewer.auth.permissions import MANAGERS
from interviewer.candidates import forms, pipeline, services
from interviewer.candidates.access import get_application_or_404, get_candidate_or_404
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.db import in_team
from interviewer.emails import moves
from interviewer.extensions import db
from interviewer.mail.settings import default_sender
from interviewer.pagination import Order
from interviewer.plans.access import get_job_or_404
from interviewer.plans.models import Job
from interviewer.scheduling import closing

#: Applications page by their last change, so ``updated_since`` reads on from a sync.
APPLICATION_ORDER = Order(Application.updated_at, Application.id)
#: What a list's rows read.
LIST_LOAD = (selectinload(Application.candidate), selectinload(Application.current_stage))
#: What one application's answer reads, its possible moves included.
DETAIL_LOAD = (
    selectinload(Application.candidate).selectinload(Candidate.applications),
    selectinload(Application.job).selectinload(Job.stages),
    selectinload(Application.current_stage),
)


class MoveOptionSchema(Schema):
    move = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "What the board's button says."})
    needs_reason = fields.Boolean(required=True)
    reasons = fields.List(
        fields.String(),
        required=True,
        allow_none=True,
        metadata={"description": "The reasons to choose from; null: free text."},
    )


class ApplicationSchema(Schema):
    id = fields.Integer(required=True)
    candidate_id = fields.Integer(required=True)
    candidate_name = fields.String(required=True, attribute="candidate.name")
    job_id = fields.Integer(required=True)
    current_stage_id = fields.Integer(required=True, allow_none=True)
    current_stage_name = fields.Method(
        "_stage_name", required=True, allow_none=True, metadata={"type": "string"}
    )
    status = fields.String(required=True)
    exit_reason = fields.String(required=True, allow_none=True)
    exit_note = fields.Method("_exit_note", required=True, metadata={"type": "string"})
    stage_entered_at = schemas.UtcDateTime(required=True)
    closed_at = schemas.UtcDateTime(required=True, allow_none=True)
    created_at = schemas.UtcDateTime(required=True)
    updated_at = schemas.UtcDateTime(required=True)

    def _stage_name(self, application: Application) -> str | None:
        return application.current_stage.name if application.current_stage else None

    def _exit_note(self, application: Application) -> str:
        # Free text someone typed about the person: erased with their identity.
        return "" if application.candidate.is_erased else application.exit_note


class ApplicationDetailSchema(ApplicationSchema):
    moves = Derived(
        MoveOptionSchema,
        lambda application: pipeline.available_moves(application, list(application.job.stages)),
        many=True,
        required=True,
        metadata={"description": "The moves it can make now, in the board's order."},
    )


class ApplicationListArgs(schemas.PageArgs):
    job = row_id(load_default=None, metadata={"description": "A job's id."})
    stage = row_id(load_default=None, metadata={"description": "A plan stage's id."})
    status = fields.String(
        load_default=None, validate=validate.OneOf([s.value for s in ApplicationStatus])
    )
    updated_since = schemas.UtcDateTime(
        load_default=None, metadata={"description": "Changed at or after this time."}
    )


class ApplyInput(Schema):
    candidate_id = row_id(required=True)
    job_id = row_id(required=True)


class MoveInput(Schema):
    # Not ``required`` here: the application is found (or 404) before the body is judged.
    move = fields.String(
        load_default=None,
        validate=validate.OneOf([m.value for m in pipeline.Move]),
        metadata={"description": "Required: one of the application's 'moves'."},
    )
    reason = fields.String(
        load_default=None,
        metadata={"description": "Back: free text; reject and withdraw: one of the reasons."},
    )
    note = fields.String(load_default="")
    cancel_interviews = fields.Boolean(
        load_default=True,
        metadata={"description": "Reject, withdraw: cancel the interviews still to come."},
    )
    email = fields.String(
        load_default=moves.DONT_SEND,
        validate=validate.OneOf([moves.SEND, moves.EDIT, moves.DONT_SEND]),
        metadata={
            "description": "Advance, reject, withdraw: send the team's email, an edited "
            "one (email_subject, email_body) or none."
        },
    )
    email_subject = fields.String(load_default="")
    email_body = fields.String(load_default="")


@bp.get("/applications")
@bp.arguments(ApplicationListArgs, location="query", as_kwargs=False)
@bp.response(200, schemas.page_schema(ApplicationSchema, "ApplicationPage"))
@token_required(roles=MANAGERS)
def list_applications(args):
    """The team's applications, least recently changed first, narrowed by ``job``,
    ``stage``, ``status`` and ``updated_since``."""
    statement = in_team(Application, current_user.team_id)
    if args["job"] is not None:
        statement = statement.where(Application.job_id == args["job"])
    if args["stage"] is not None:
        statement = statement.where(Application.current_stage_id == args["stage"])
    if args["status"] is not None:
        statement = statement.where(Application.status == ApplicationStatus(args["status"]))
    if args["updated_since"] is not None:
        statement = statement.where(Application.updated_at >= args["updated_since"])
    return page(statement, APPLICATION_ORDER, args, load=LIST_LOAD)


@bp.get("/applications/<int:application_id>")
@bp.response(200, ApplicationDetailSchema)
@token_required(roles=MANAGERS)
def get_application(application_id: int):
    """One application, with the moves it can make now."""
    return get_application_or_404(application_id, *DETAIL_LOAD)


@bp.post("/applications")
@bp.arguments(ApplyInput)
@bp.response(201, ApplicationDetailSchema)
@idempotent
@token_required(WRITE, roles=MANAGERS)
def create_application(values):
    """Apply a candidate to a job: they start at the first stage of its plan."""
    candidate = get_candidate_or_404(
        values["candidate_id"],
        selectinload(Candidate.applications).selectinload(Application.current_stage),
    )
    job = get_job_or_404(values["job_id"], selectinload(Job.stages))
    try:
        application = services.apply_to_job(db.session, candidate, job, current_user)
    except services.ApplicationError as error:
        abort_problem(409, str(error), field="job_id")
    db.session.commit()
    return get_application_or_404(application.id, *DETAIL_LOAD)


@bp.post("/applications/<int:application_id>/moves")
@bp.arguments(MoveInput)
@bp.response(200, ApplicationDetailSchema)
@token_required(WRITE, roles=MANAGERS)
def move_application(values, application_id: int):
    """Move the application along the plan, as the board does; answers it as it now is."""
    application = get_application_or_404(application_id, *DETAIL_LOAD)
    if values["move"] is None:
        abort_problem(422, "Choose a move.", field="move")
    move = pipeline.Move(values["move"])
    # As the page does: first whether the move is possible now, then its form.
    try:
        pipeline.check_move(application, move, list(application.job.stages))
    except pipeline.MoveError as error:
        abort_problem(409, str(error), field="move")
    form = _move_form(application, move, values)
    try:
        closing.make_move(
            db.session,
            application,
            move,
            current_user,
            sender=default_sender(current_app.config),
            **form.choices(),
        )
    except pipeline.MoveError as error:
        abort_problem(422, str(error), field="reason")
    db.session.commit()
    return application


#: The API's names of the move form's fields.
MOVE_FORM_FIELDS = {
    "reason": "reason",
    "note": "note",
    "cancel_interviews": "cancel_interviews",
    "email": "email_action",
    "email_subject": "email_subject",
    "email_body": "email_body",
}


def _move_form(application: Application, move: pipeline.Move, values: dict):
    """The board's form for ``move``, filled with the request's values and checked."""
    data = {MOVE_FORM_FIELDS[name]: values[name] for name in MOVE_FORM_FIELDS}
    reasons = pipeline.reasons_for(move, application.team_id)
    form = forms.move_form(move, reasons, formdata=posted(data), meta={"csrf": False})
    check(form, {form_name: name for name, form_name in MOVE_FORM_FIELDS.items()})
    return form
