"""Jobs with their postings and interview plans: list, read, create, update, open and close.

The same form, rules and messages as the job pages (``interviewer.plans.routes.jobs``): the
request's values fill the page's ``JobForm`` and go through ``services.save_job`` and
``services.change_status``. Interviewers may read a job, as on its page; the rest is for
managers.
"""

from __future__ import annotations

from flask import url_for
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import selectinload

from interviewer.api import resource_blueprint, schemas
from interviewer.api.auth import token_required
from interviewer.api.form_input import filled
from interviewer.api.hiring_schemas import Derived
from interviewer.api.idempotency import idempotent
from interviewer.api.pagination import page
from interviewer.api.problems import abort_problem
from interviewer.api.tokens import WRITE
from interviewer.auth.permissions import MANAGERS
from interviewer.extensions import db
from interviewer.pagination import Order
from interviewer.plans import services
from interviewer.plans.access import get_job_or_404
from interviewer.plans.forms import JobForm, plain_amount
from interviewer.plans.models import EmploymentType, Job, JobStatus, PlanStage, Workplace

bp = resource_blueprint(
    "Jobs", __name__, "Jobs with their public postings and interview plans: create, edit, open."
)
#: Jobs page by creation, so a job added meanwhile never shifts a page.
JOB_ORDER = Order(Job.created_at, Job.id)
#: What one job's answer reads: its plan's stages with their types and skills, its team.
JOB_LOAD = (
    selectinload(Job.team),
    selectinload(Job.stages).selectinload(PlanStage.stage_type),
    selectinload(Job.stages).selectinload(PlanStage.focus_skills),
)


class StageSchema(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True, metadata={"description": "1 is the first stage."})
    name = fields.String(required=True)
    stage_type = fields.String(
        required=True, attribute="stage_type.key", metadata={"description": "e.g. 'screen'."}
    )
    duration_minutes = fields.Integer(required=True)
    panel_size = fields.Integer(required=True)
    focus_skill_ids = fields.Method(
        "_skill_ids", required=True, metadata={"type": "array", "items": {"type": "integer"}}
    )

    def _skill_ids(self, stage) -> list[int]:
        return [skill.id for skill in stage.focus_skills]


class JobSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    slug = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "draft, open or closed."})
    level_id = fields.Integer(required=True)
    hiring_manager_id = fields.Integer(required=True, allow_none=True)
    description = fields.String(required=True)
    location = fields.String(required=True)
    workplace = fields.String(required=True)
    employment_type = fields.String(required=True)
    contract_months = fields.Integer(required=True, allow_none=True)
    salary_min = fields.Float(required=True, allow_none=True)
    salary_max = fields.Float(required=True, allow_none=True)
    salary_currency = fields.String(required=True)
    posted_on = fields.Date(required=True, allow_none=True)
    closes_on = fields.Date(required=True, allow_none=True)
    created_at = schemas.UtcDateTime(required=True)
    updated_at = schemas.UtcDateTime(required=True)


class PostingSchema(Schema):
    public = fields.Boolean(
        required=True, metadata={"description": "Whether the careers page shows it (open)."}
    )
    url = fields.String(required=True, metadata={"description": "Its address on the careers page."})


class JobDetailSchema(JobSchema):
    stages = fields.List(fields.Nested(StageSchema), required=True)
    posting = Derived(PostingSchema, lambda job: _posting(job), required=True)


def _posting(job: Job) -> dict:
    url = url_for("careers.job", team_slug=job.team.slug, job_slug=job.slug, _external=True)
    return {"public": job.status == JobStatus.OPEN, "url": url}


class JobListArgs(schemas.PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in JobStatus]))


class JobInput(Schema):
    """The job form's fields; on an update, those left out keep their value."""

    level_id = fields.Integer()
    title = fields.String()
    slug = fields.String(metadata={"description": "Left empty, it is made from the title."})
    description = fields.String()
    location = fields.String()
    workplace = fields.String(validate=validate.OneOf([w.value for w in Workplace]))
    employment_type = fields.String(validate=validate.OneOf([e.value for e in EmploymentType]))
    contract_months = fields.Integer(allow_none=True)
    salary_min = fields.Decimal(allow_none=True, allow_nan=False)
    salary_max = fields.Decimal(allow_none=True, allow_nan=False)
    salary_currency = fields.String()
    posted_on = fields.Date(allow_none=True)
    closes_on = fields.Date(allow_none=True)
    hiring_manager_id = fields.Integer(allow_none=True)
    confirm_outside_band = fields.Boolean(
        load_default=False,
        metadata={"description": "Save a salary range that leaves the level's band."},
    )


@bp.get("/jobs")
@bp.arguments(JobListArgs, location="query", as_kwargs=False)
@bp.response(200, schemas.page_schema(JobSchema, "JobPage"))
@token_required(roles=MANAGERS)
def list_jobs(args):
    """The team's jobs, oldest first; ``status`` keeps those in one status."""
    # The pages' query, less its order: the API pages by creation.
    statement = services.jobs_query(current_user.team_id, _status(args)).order_by(None)
    return page(statement, JOB_ORDER, args)


def _status(args) -> JobStatus | None:
    return JobStatus(args["status"]) if args.get("status") else None


@bp.get("/jobs/<int:job_id>")
@bp.etag
@bp.response(200, JobDetailSchema)
@token_required()
def get_job(job_id: int):
    """One job with its plan's stages in order and its posting; interviewers may read it."""
    return get_job_or_404(job_id, *JOB_LOAD)


@bp.post("/jobs")
@bp.arguments(JobInput)
@bp.response(201, JobDetailSchema)
@idempotent
@token_required(WRITE, roles=MANAGERS)
def create_job(values):
    """A new draft job, from the job form's fields (``level_id`` and ``title`` at least)."""
    return _save(None, {"employment_type": "employee", "workplace": "onsite", **values})


@bp.patch("/jobs/<int:job_id>")
@bp.etag
@bp.arguments(JobInput)
@bp.response(200, JobDetailSchema)
@token_required(WRITE, roles=MANAGERS)
def update_job(values, job_id: int):
    """Change a job: send its ``ETag`` as ``If-Match``; fields left out keep their value."""
    job = get_job_or_404(job_id, *JOB_LOAD)
    bp.check_etag(job, JobDetailSchema)
    return _save(job, {**current_values(job), **values})


def current_values(job: Job) -> dict:
    """The job's fields as its edit form starts with them."""
    values = {name: getattr(job, name) for name in services.JOB_FIELDS}
    values.update(salary_min=plain_amount(job.salary_min), salary_max=plain_amount(job.salary_max))
    return values


def _setup(form: JobForm) -> None:
    team_id = current_user.team_id
    form.set_choices(
        services.team_levels(db.session, team_id), services.team_managers(db.session, team_id)
    )


def _save(job: Job | None, values: dict) -> Job:
    """Save the values through the job form and ``save_job``; a refusal is a 422 naming the
    field, with the page's message."""
    form = filled(JobForm, values, _setup)
    try:
        saved = services.save_job(
            db.session,
            team=current_user.team,
            actor=current_user,
            values=form.values(),
            job=job,
            confirm_outside_band=form.confirm_outside_band.data,
        )
    except services.OutsideBandError as error:
        abort_problem(
            422, f"{error} Send confirm_outside_band: true to save it anyway.", field="salary_min"
        )
    except services.JobError as error:
        abort_problem(422, str(error), field=error.field or "title")
    db.session.commit()
    return get_job_or_404(saved.id, *JOB_LOAD)


@bp.post("/jobs/<int:job_id>/open")
@bp.response(200, JobDetailSchema)
@token_required(WRITE, roles=MANAGERS)
def open_job(job_id: int):
    """Open the job: its posting goes public (refused, saying why, until it may open)."""
    return _change_status(job_id, JobStatus.OPEN)


@bp.post("/jobs/<int:job_id>/close")
@bp.response(200, JobDetailSchema)
@token_required(WRITE, roles=MANAGERS)
def close_job(job_id: int):
    """Close the job: its posting leaves the careers page; its candidates stay."""
    return _change_status(job_id, JobStatus.CLOSED)


def _change_status(job_id: int, status: JobStatus) -> Job:
    job = get_job_or_404(job_id, *JOB_LOAD)
    try:
        services.change_status(db.session, job, status, current_user)
    except services.JobError as error:
        abort_problem(409, str(error), field="status")
    db.session.commit()
    return job
