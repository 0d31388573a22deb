"""Decisions: the recorded end of a debrief, read as the debrief is and recorded by managers
through the debrief page's service (``interviewer.scorecards.decisions``)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import selectinload

from interviewer.api import resource_blueprint, schemas
from interviewer.api.auth import token_required
from interviewer.api.idempotency import idempotent
from interviewer.api.interviews import PersonSchema
from interviewer.api.problems import abort_problem
from interviewer.api.tokens import WRITE
from interviewer.auth.permissions import MANAGERS
from interviewer.candidates import pipeline
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.pipeline import MoveError
from interviewer.db import in_team
from interviewer.emails import moves
from interviewer.extensions import db
from interviewer.mail.settings import default_sender
from interviewer.scheduling import closing
from interviewer.scorecards import decisions
from interviewer.scorecards.debrief import APPLICATION_LOAD
from interviewer.scorecards.independence import may_see_others
from interviewer.scorecards.models import Decision, DecisionOutcome

bp = resource_blueprint(
    "Decisions",
    __name__,
    "The decision that ends an application's debrief, and the move it makes.",
)
#: The debrief's refusal to an interviewer whose own scorecards are not in yet.
LOCKED = "The debrief opens after your scorecard: submit yours from My interviews."
EMAIL_ACTIONS = ("send", "edit", "none")


class DecisionSchema(Schema):
    id = fields.Integer(required=True)
    application_id = fields.Integer(required=True)
    outcome = fields.String(required=True, metadata={"description": "advance, reject, offer, hire"})
    rationale = fields.String(required=True)
    decided_by = fields.Nested(PersonSchema, allow_none=True, required=True)
    created_at = schemas.UtcDateTime(required=True)


class RecordedSchema(DecisionSchema):
    summary = fields.String(
        required=True, metadata={"description": "What happened, as the page's message says it."}
    )


class DecideSchema(Schema):
    """The debrief's decision form. What it requires is checked with its messages once the
    application is loaded, so another team's id is a 404 whatever the body."""

    outcome = fields.String(
        load_default=None, validate=validate.OneOf([o.value for o in DecisionOutcome])
    )
    rationale = fields.String(load_default="", validate=validate.Length(max=5000))
    reason = fields.String(load_default=None, metadata={"description": "For a rejection."})
    confirm_missing = fields.Boolean(
        load_default=False, metadata={"description": "Decide without the missing scorecards."}
    )
    cancel_interviews = fields.Boolean(
        load_default=True, metadata={"description": "A rejection cancels those to come."}
    )
    email_action = fields.String(
        load_default="none",
        validate=validate.OneOf(EMAIL_ACTIONS),
        metadata={"description": "The candidate's email: the team's text, edited, or none."},
    )
    email_subject = fields.String(load_default="", validate=validate.Length(max=255))
    email_body = fields.String(load_default="", validate=validate.Length(max=20000))


@bp.route("/applications/<int:application_id>/decision", endpoint="decision")
class DecisionResource(MethodView):
    """One route for both methods: an id no row can have is then a 404 for either."""

    @bp.response(200, DecisionSchema)
    @token_required()
    def get(self, application_id: int):
        """The application's latest decision, for whoever may open its debrief."""
        return _read(application_id)

    @bp.arguments(DecideSchema)
    @bp.response(201, RecordedSchema)
    @idempotent
    @token_required(WRITE, roles=MANAGERS)
    def post(self, data, application_id: int):
        """Record the decision and make its move; missing scorecards need
        ``confirm_missing``."""
        return _record(data, application_id)


def _read(application_id: int):
    """The application's latest decision, for whoever may open its debrief."""
    application = get_application_or_404(application_id)
    if not may_see_others(db.session, current_user, application.id):
        abort_problem(403, LOCKED)
    decision = db.session.scalar(
        in_team(Decision, current_user.team_id)
        .where(Decision.application_id == application.id)
        .options(selectinload(Decision.decided_by))
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(1)
    )
    if decision is None:
        abort_problem(404, "No decision is recorded for this application yet.")
    return decision


def _record(data, application_id: int):
    """Record the decision and make its move; missing scorecards need ``confirm_missing``."""
    application = get_application_or_404(application_id, *APPLICATION_LOAD)
    _check_form(data, application.team_id)
    try:
        decision = decisions.record_decision(
            db.session,
            application,
            current_user,
            outcome=data["outcome"],
            rationale=data["rationale"],
            reason=data["reason"],
            confirm_missing=data["confirm_missing"],
        )
    except decisions.MissingScorecards as refusal:
        db.session.rollback()
        abort_problem(409, str(refusal), field="confirm_missing")
    except MoveError as refusal:
        db.session.rollback()
        abort_problem(409, str(refusal), field="outcome")
    except decisions.DecisionError as refusal:
        db.session.rollback()
        abort_problem(422, str(refusal), field="rationale")
    decision.summary = _after(application, data)
    db.session.commit()
    return decision


def _check_form(data: dict, team_id: int) -> None:
    """The decision form's own checks, with its messages."""
    if data["outcome"] is None:
        abort_problem(422, "Choose a decision.", field="outcome")
    if data["outcome"] == DecisionOutcome.REJECT.value:
        if not data["reason"]:
            abort_problem(422, "Choose a rejection reason.", field="reason")
        if data["reason"] not in pipeline.reject_reasons(team_id):
            abort_problem(422, "Not a valid choice.", field="reason")
    emailed = data["outcome"] in (DecisionOutcome.ADVANCE.value, DecisionOutcome.REJECT.value)
    edited = data["email_subject"].strip() and data["email_body"].strip()
    if emailed and data["email_action"] == "edit" and not edited:
        abort_problem(
            422,
            "Write the subject and the text, or choose to send the email as it is.",
            field="email_body",
        )


def _after(application, data: dict) -> str:
    """Settle the interviews to come and send the candidate's email, as the page does."""
    settled = ""
    if data["outcome"] == DecisionOutcome.REJECT.value:
        settled = closing.settle_interviews(
            db.session,
            application,
            data["cancel_interviews"],
            actor=current_user,
            sender=default_sender(current_app.config),
        )
    move = decisions.OUTCOME_MOVES[DecisionOutcome(data["outcome"])]
    sent = moves.send_move_email(
        db.session,
        application,
        move,
        data["email_action"],
        subject=data["email_subject"],
        body=data["email_body"],
    )
    parts = [f"Decision recorded: {data['outcome']}.", pipeline.summary(application), settled, sent]
    return " ".join(part for part in parts if part)
