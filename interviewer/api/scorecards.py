"""Scorecards: an interviewer's own (a draft saved with ``If-Match``, then submitted), and
colleagues' under the independence rule, exactly as the scorecard pages show them.

A scorecard's ``ETag`` is its version (``lock_version``, the check the form's saves carry):
a save or a submission without ``If-Match`` is 428, with a stale one 412, so two clients
never silently overwrite each other.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from interviewer.api import resource_blueprint, schemas
from interviewer.api.auth import token_required
from interviewer.api.idempotency import idempotent
from interviewer.api.interviews import PersonSchema
from interviewer.api.problems import abort_problem, problem
from interviewer.api.tokens import SCORECARDS_WRITE
from interviewer.candidates.access import get_application_or_404
from interviewer.db import in_team, utcnow
from interviewer.extensions import db
from interviewer.scheduling.access import get_interview_or_404
from interviewer.scheduling.models import Interview
from interviewer.scorecards import errors, services
from interviewer.scorecards.access import get_scorecard_or_404
from interviewer.scorecards.forms import MAX_TEXT
from interviewer.scorecards.independence import may_see_others
from interviewer.scorecards.models import RATING_LABELS, Rating, Scorecard, ScorecardState

bp = resource_blueprint(
    "Scorecards",
    __name__,
    "Scorecards: your own to draft and submit; colleagues' once yours for the application "
    "are in (managers: all of them).",
)
#: The independence rule's refusal, as the colleagues' scorecards page words it.
WAIT = "Submit your scorecard first: you will see your colleagues' scorecards once yours is in."
NOT_YOURS = "Only the interviewer who wrote a scorecard changes it."
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The scorecard's ETag, from its last GET or save.",
}
CARD_LOAD = (
    selectinload(Scorecard.interviewer),
    selectinload(Scorecard.ratings).selectinload(Rating.skill),
)
SCORE = validate.OneOf(list(RATING_LABELS), error="Choose a rating on the scale (1 to 4).")


class RatingSchema(Schema):
    skill_id = fields.Integer(required=True)
    skill_name = fields.Function(lambda r: r.skill.name, required=True)
    score = fields.Integer(
        allow_none=True, required=True, metadata={"description": "1-4; null: not assessed."}
    )
    evidence = fields.String(required=True)


class ScorecardSchema(Schema):
    id = fields.Integer(required=True)
    interview_id = fields.Integer(required=True)
    application_id = fields.Integer(required=True)
    interviewer = fields.Nested(PersonSchema, required=True)
    state = fields.String(required=True, metadata={"description": "'draft' or 'submitted'."})
    version = fields.Integer(required=True, metadata={"description": "Amendments add one."})
    key_takeaways = fields.String(required=True)
    recommendation = fields.Integer(allow_none=True, required=True)
    ratings = fields.List(fields.Nested(RatingSchema), required=True)
    submitted_at = schemas.UtcDateTime(allow_none=True, required=True)
    created_at = schemas.UtcDateTime(required=True)
    updated_at = schemas.UtcDateTime(required=True)


class RatingInputSchema(Schema):
    skill_id = fields.Integer(required=True)
    score = fields.Integer(load_default=None, allow_none=True, validate=SCORE)
    evidence = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))


class DraftSchema(Schema):
    """A draft's whole content: focus skills left out are "not assessed"."""

    ratings = fields.List(fields.Nested(RatingInputSchema), load_default=list)
    key_takeaways = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))
    recommendation = fields.Integer(load_default=None, allow_none=True, validate=SCORE)


def etag(card: Scorecard) -> str:
    """The scorecard's version as an entity tag."""
    return f'"{card.id}.{card.lock_version or 0}"'


def _answer(card: Scorecard, status: int = 200):
    return card, status, {"ETag": etag(card)}


@bp.post("/interviews/<int:interview_id>/scorecard")
@bp.response(201, ScorecardSchema)
@bp.alt_response(200, schema=ScorecardSchema, description="Your scorecard was already there.")
@idempotent
@token_required(SCORECARDS_WRITE)
def start_scorecard(interview_id: int):
    """Your scorecard of an interview you sit on: started as an empty draft, or the one you
    already have. Scorecards open once the interview has started."""
    interview = get_interview_or_404(interview_id, selectinload(Interview.panel), need="view")
    try:
        card = services.scorecard_for(db.session, interview, current_user, utcnow())
    except errors.ScorecardError as refusal:
        abort_problem(409 if isinstance(refusal, errors.NotOnPanel) else 422, str(refusal))
    if card.id is not None:
        return _answer(card)
    _save(card, services.save_draft, services.ScorecardInput(), expected=0)
    return _answer(card, 201)


@bp.get("/scorecards/<int:scorecard_id>")
@bp.response(200, ScorecardSchema)
@token_required()
def get_scorecard(scorecard_id: int):
    """One scorecard: your own, or a colleague's submitted one once yours for the
    application are in (managers: any)."""
    card = get_scorecard_or_404(scorecard_id, *CARD_LOAD)
    others = card.interviewer_id != current_user.id and not current_user.is_manager
    if others and (
        card.state != ScorecardState.SUBMITTED
        or not may_see_others(db.session, current_user, card.application_id)
    ):
        abort_problem(403, WAIT)
    return _answer(card)


@bp.put("/scorecards/<int:scorecard_id>")
@bp.arguments(DraftSchema)
@bp.response(200, ScorecardSchema)
@bp.doc(parameters=[IF_MATCH])
@token_required(SCORECARDS_WRITE)
def save_scorecard(data, scorecard_id: int):
    """Save your draft's whole content, complete or not."""
    card = _own(scorecard_id)
    _save(card, services.save_draft, _input(card, data), expected=_expected(card))
    return _answer(card)


@bp.post("/scorecards/<int:scorecard_id>/submit")
@bp.response(200, ScorecardSchema)
@bp.doc(parameters=[IF_MATCH])
@token_required(SCORECARDS_WRITE)
def submit_scorecard(scorecard_id: int):
    """Submit your draft as it is saved: it needs a recommendation and at least one rated
    skill with its evidence. From then on it is locked."""
    card = _own(scorecard_id)
    expected = _expected(card)
    _save(card, services.submit, services.current_input(card), expected=expected)
    return _answer(card)


@bp.get("/applications/<int:application_id>/scorecards")
@bp.response(200, ScorecardSchema(many=True))
@token_required()
def list_scorecards(application_id: int):
    """The application's scorecards you may read: your own, and the submitted ones of
    colleagues once yours are in (managers: every submitted one), by interview."""
    application = get_application_or_404(application_id)
    statement = in_team(Scorecard, current_user.team_id).where(
        Scorecard.application_id == application.id
    )
    mine = Scorecard.interviewer_id == current_user.id
    if may_see_others(db.session, current_user, application.id):
        statement = statement.where(mine | (Scorecard.state == ScorecardState.SUBMITTED))
    else:
        statement = statement.where(mine)
    statement = statement.join(Interview, Interview.id == Scorecard.interview_id)
    return db.session.scalars(
        statement.options(*CARD_LOAD).order_by(Interview.starts_at, Scorecard.id)
    ).all()


def _own(scorecard_id: int) -> Scorecard:
    """The caller's own scorecard, with what saving it reads."""
    card = get_scorecard_or_404(
        scorecard_id,
        *CARD_LOAD,
        selectinload(Scorecard.interview).selectinload(Interview.plan_stage),
        selectinload(Scorecard.revisions),
    )
    if card.interviewer_id != current_user.id:
        abort_problem(403, NOT_YOURS)
    return card


def _expected(card: Scorecard) -> int:
    """The version ``If-Match`` names: 428 without one, 412 when it is not the current one."""
    if not request.if_match:
        abort_problem(
            428, "Send the scorecard's ETag in If-Match, so that no other save is overwritten."
        )
    if etag(card).strip('"') not in request.if_match:
        abort_problem(412, str(errors.StaleScorecard()))
    return card.lock_version or 0


def _input(card: Scorecard, data: dict) -> services.ScorecardInput:
    skills = {entry.skill.id for entry in services.kit_entries(db.session, card.interview)}
    ratings = {}
    for rating in data["ratings"]:
        if rating["skill_id"] not in skills:
            abort_problem(422, "Rate only the interview's focus skills.", field="ratings")
        ratings[rating["skill_id"]] = services.RatingInput(rating["score"], rating["evidence"])
    return services.ScorecardInput(ratings, data["key_takeaways"], data["recommendation"])


def _save(card: Scorecard, save, data: services.ScorecardInput, *, expected: int) -> None:
    """``save`` (the page's service) and commit; each refusal with the form's message."""
    entries = services.kit_entries(db.session, card.interview)
    try:
        save(
            db.session,
            card,
            data,
            entries=entries,
            expected_lock=expected,
            actor=current_user,
            now=utcnow(),
        )
    except errors.IncompleteScorecard as refusal:
        db.session.rollback()
        raise HTTPException(response=_incomplete(refusal)) from None
    except errors.StaleScorecard as refusal:
        db.session.rollback()
        abort_problem(412, str(refusal))
    except errors.ScorecardLocked as refusal:
        db.session.rollback()
        abort_problem(409, str(refusal))
    db.session.commit()


def _incomplete(refusal: errors.IncompleteScorecard):
    """What a submission lacks, each message at its field (a skill's evidence by its id)."""
    found = [
        {
            "field": f"ratings.{key}.evidence" if isinstance(key, int) else str(key),
            "message": message,
        }
        for key, messages in refusal.errors.items()
        for message in messages
    ]
    return problem(422, str(refusal), errors=found)
