"""Skills, levels and the competency matrix (read): what each level expects of each skill."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields

from interviewer.api import resource_blueprint, schemas
from interviewer.api.auth import token_required
from interviewer.api.pagination import page
from interviewer.auth.permissions import MANAGERS
from interviewer.catalog import services
from interviewer.catalog.access import get_level_or_404, get_skill_or_404
from interviewer.catalog.matrix import load_matrix
from interviewer.catalog.models import Skill
from interviewer.db import in_team
from interviewer.extensions import db
from interviewer.pagination import Order

bp = resource_blueprint(
    "Catalog", __name__, "Skills, levels and the matrix of what each level expects."
)


class SkillSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "'technical' or 'behavioural'."})
    category = fields.String(required=True)
    description = fields.String(required=True)
    created_at = schemas.UtcDateTime(required=True)
    updated_at = schemas.UtcDateTime(required=True)


class LevelSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    position = fields.Integer(required=True, metadata={"description": "1 is the most junior."})
    salary_min = fields.Float(allow_none=True, required=True)
    salary_max = fields.Float(allow_none=True, required=True)
    salary_currency = fields.String(required=True)


class ExpectationSchema(Schema):
    level_id = fields.Integer(required=True)
    skill_id = fields.Integer(required=True)
    proficiency = fields.Integer(required=True, metadata={"description": "0: not expected."})
    description = fields.String(required=True)


class MatrixSchema(Schema):
    levels = fields.List(fields.Nested(LevelSchema), required=True)
    skills = fields.List(fields.Nested(SkillSchema), required=True)
    expectations = fields.List(fields.Nested(ExpectationSchema), required=True)


SKILL_ORDER = Order(Skill.name, Skill.id)


@bp.get("/skills")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=False)
@bp.response(200, schemas.page_schema(SkillSchema, "SkillPage"))
@token_required(roles=MANAGERS)
def list_skills(args):
    """The team's skills, by name."""
    return page(in_team(Skill, current_user.team_id), SKILL_ORDER, args)


@bp.get("/skills/<int:skill_id>")
@bp.response(200, SkillSchema)
@token_required(roles=MANAGERS)
def get_skill(skill_id: int):
    """One skill."""
    return get_skill_or_404(skill_id)


@bp.get("/levels")
@bp.response(200, LevelSchema(many=True))
@token_required(roles=MANAGERS)
def list_levels():
    """The team's ladder of levels, most junior first (a short list: not paged)."""
    return services.ladder(db.session, current_user.team_id)


@bp.get("/levels/<int:level_id>")
@bp.response(200, LevelSchema)
@token_required(roles=MANAGERS)
def get_level(level_id: int):
    """One level."""
    return get_level_or_404(level_id)


@bp.get("/matrix")
@bp.response(200, MatrixSchema)
@token_required(roles=MANAGERS)
def get_matrix():
    """The whole matrix: levels, skills, and each stored expectation of a level for a skill."""
    team_id = current_user.team_id
    skills = db.session.scalars(in_team(Skill, team_id).order_by(Skill.name, Skill.id)).all()
    cells = load_matrix(db.session, team_id).values()
    return {
        "levels": services.ladder(db.session, team_id),
        "skills": skills,
        "expectations": sorted(cells, key=lambda c: (c.level_id, c.skill_id)),
    }
