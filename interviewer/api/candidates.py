"""Candidates: list, read, add and edit, with the candidate form's fields, rules and messages.

As on the pages, candidates are for managers (interviewers meet them through their
interviews, under the blind review rule there). An erased candidate shows no identity: the
placeholder name the pages show, and no email, phone, links or notes.
Applications (``interviewer.api.applications``) share this tag.
"""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields
from sqlalchemy.orm import selectinload

from interviewer.api import resource_blueprint, schemas
from interviewer.api.auth import token_required
from interviewer.api.form_input import filled
from interviewer.api.idempotency import idempotent
from interviewer.api.pagination import page
from interviewer.api.problems import abort_problem
from interviewer.api.tokens import WRITE
from interviewer.auth.permissions import MANAGERS
from interviewer.candidates import forms, services, sources
from interviewer.candidates.access import get_candidate_or_404
from interviewer.candidates.models import Candidate
from interviewer.db import in_team
from interviewer.extensions import db
from interviewer.pagination import Order

bp = resource_blueprint(
    "Candidates",
    __name__,
    "Candidates and their applications: add, edit, apply to a job, move along the plan.",
)
#: Candidates page by when they were added (the list's index: team, created_at, id).
CANDIDATE_ORDER = Order(Candidate.created_at, Candidate.id)
#: What a candidate's answer reads: their applications.
CANDIDATE_LOAD = (selectinload(Candidate.applications),)
#: The candidate form's fields, as the API names them.
CANDIDATE_FIELDS = ("name", "email", "phone", "links", "source", "timezone", "notes")
#: How the document types the values worked out for an answer.
TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}


class ApplicationSummarySchema(Schema):
    id = fields.Integer(required=True)
    job_id = fields.Integer(required=True)
    current_stage_id = fields.Integer(required=True, allow_none=True)
    status = fields.String(required=True)


class CandidateSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "A placeholder once erased."})
    email = fields.Method("_email", required=True, allow_none=True, metadata=TEXT)
    phone = fields.Method("_phone", required=True, metadata=TEXT)
    links = fields.Method("_links", required=True, metadata=TEXTS)
    source = fields.String(required=True)
    timezone = fields.String(
        required=True, allow_none=True, metadata={"description": "None: the team's zone."}
    )
    notes = fields.Method("_notes", required=True, metadata=TEXT)
    erased = fields.Boolean(required=True, attribute="is_erased")
    applications = fields.List(fields.Nested(ApplicationSummarySchema), required=True)
    created_at = schemas.UtcDateTime(required=True)
    updated_at = schemas.UtcDateTime(required=True)
    last_activity_at = schemas.UtcDateTime(required=True)

    # An erased candidate has no identity, as on the pages (which show "—").
    def _email(self, candidate: Candidate) -> str | None:
        return None if candidate.is_erased else candidate.email

    def _phone(self, candidate: Candidate) -> str:
        return "" if candidate.is_erased else candidate.phone

    def _links(self, candidate: Candidate) -> list[str]:
        return [] if candidate.is_erased else candidate.links.splitlines()

    def _notes(self, candidate: Candidate) -> str:
        return "" if candidate.is_erased else candidate.notes


class CandidateInput(Schema):
    """The candidate form's fields; on an update, those left out keep their value."""

    name = fields.String()
    email = fields.String()
    phone = fields.String()
    links = fields.List(fields.String(), metadata={"description": "Web addresses (https://)."})
    source = fields.String(metadata={"description": "One of the team's sources, or blank."})
    timezone = fields.String(allow_none=True, metadata={"description": "An IANA zone name."})
    notes = fields.String()


@bp.get("/candidates")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=False)
@bp.response(200, schemas.page_schema(CandidateSchema, "CandidatePage"))
@token_required(roles=MANAGERS)
def list_candidates(args):
    """The team's candidates, in the order they were added."""
    statement = in_team(Candidate, current_user.team_id)
    return page(statement, CANDIDATE_ORDER, args, load=CANDIDATE_LOAD)


@bp.get("/candidates/<int:candidate_id>")
@bp.etag
@bp.response(200, CandidateSchema)
@token_required(roles=MANAGERS)
def get_candidate(candidate_id: int):
    """One candidate, with where each of their applications stands."""
    return get_candidate_or_404(candidate_id, *CANDIDATE_LOAD)


@bp.post("/candidates")
@bp.arguments(CandidateInput)
@bp.response(201, CandidateSchema)
@bp.alt_response(200, schema=CandidateSchema, description="The email is a known candidate's.")
@idempotent
@token_required(WRITE, roles=MANAGERS)
def create_candidate(values):
    """Add a candidate. One email is one person in a team: when the email is already a
    candidate's, their record comes back unchanged (200), as the page opens it."""
    form = filled(forms.CandidateForm, _as_form(values), _setup())
    candidate, created = services.add_candidate(
        db.session, current_user.team, actor=current_user, **form.candidate_data()
    )
    db.session.commit()
    return get_candidate_or_404(candidate.id, *CANDIDATE_LOAD), 201 if created else 200


@bp.patch("/candidates/<int:candidate_id>")
@bp.etag
@bp.arguments(CandidateInput)
@bp.response(200, CandidateSchema)
@token_required(WRITE, roles=MANAGERS)
def update_candidate(values, candidate_id: int):
    """Change a candidate's details: send their ``ETag`` as ``If-Match``."""
    candidate = get_candidate_or_404(candidate_id, *CANDIDATE_LOAD)
    bp.check_etag(candidate, CandidateSchema)
    merged = {name: getattr(candidate, name) for name in CANDIDATE_FIELDS}
    merged = {**merged, **_as_form(values)}
    # An erased candidate's placeholders fail the form: the service says why instead.
    if not candidate.is_erased:
        merged = filled(forms.CandidateForm, merged, _setup(candidate)).candidate_data()
    try:
        services.update_candidate(db.session, candidate, actor=current_user, **merged)
    except services.CandidateError as error:
        abort_problem(409 if candidate.is_erased else 422, str(error), field="email")
    db.session.commit()
    return candidate


def _as_form(values: dict) -> dict:
    """The request's values as the form's: links one per line."""
    if "links" in values:
        values = {**values, "links": "\n".join(values["links"])}
    return values


def _setup(candidate: Candidate | None = None):
    """Give the candidate form its choices, keeping the candidate's own (as the page does)."""
    team = current_user.team

    def setup(form: forms.CandidateForm) -> None:
        form.set_timezone_choices(team.timezone, candidate.timezone if candidate else None)
        team_sources = sources.team_sources(db.session, team.id)
        form.set_source_choices(
            sources.source_choices(team_sources, candidate.source if candidate else "")
        )

    return setup


# Applications share the tag (and the blueprint): their routes are in their own module.
from interviewer.api import applications  # noqa: E402, F401
