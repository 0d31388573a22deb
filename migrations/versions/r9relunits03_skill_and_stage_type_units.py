"""the reliability report's units stored counted: per application and skill, and per
application, skill and stage type

Revision ID: r9relunits03
Revises: r9caldecis02
Create Date: 2026-12-03 07:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "r9relunits03"
down_revision = "r9caldecis02"
branch_labels = None
depends_on = None

SKILL_UNITS = """
INSERT INTO report_skill_unit (team_id, application_id, skill_id, received_at, n1, n2, n3, n4)
SELECT unit.team_id, unit.application_id, unit.skill_id, unit.received_at,
       CAST(SUM(unit.n1) AS INTEGER), CAST(SUM(unit.n2) AS INTEGER),
       CAST(SUM(unit.n3) AS INTEGER), CAST(SUM(unit.n4) AS INTEGER)
FROM report_rating_unit AS unit
JOIN plan_stage ON plan_stage.id = unit.plan_stage_id
GROUP BY unit.team_id, unit.application_id, unit.skill_id, unit.received_at
"""

STAGE_TYPE_UNITS = """
INSERT INTO report_stage_type_unit (
    team_id, application_id, skill_id, stage_type_id, received_at, n1, n2, n3, n4)
SELECT unit.team_id, unit.application_id, unit.skill_id, plan_stage.stage_type_id,
       unit.received_at,
       CAST(SUM(unit.n1) AS INTEGER), CAST(SUM(unit.n2) AS INTEGER),
       CAST(SUM(unit.n3) AS INTEGER), CAST(SUM(unit.n4) AS INTEGER)
FROM report_rating_unit AS unit
JOIN plan_stage ON plan_stage.id = unit.plan_stage_id
GROUP BY unit.team_id, unit.application_id, unit.skill_id, plan_stage.stage_type_id,
         unit.received_at
"""


def _columns():
    return [
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n1", sa.Integer(), nullable=False),
        sa.Column("n2", sa.Integer(), nullable=False),
        sa.Column("n3", sa.Integer(), nullable=False),
        sa.Column("n4", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
    ]


def _foreign_key(table, column, target):
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade():
    op.create_table(
        "report_skill_unit",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        *_columns(),
        _foreign_key("report_skill_unit", "application_id", "application"),
        _foreign_key("report_skill_unit", "skill_id", "skill"),
        _foreign_key("report_skill_unit", "team_id", "team"),
        sa.PrimaryKeyConstraint("application_id", "skill_id", name=op.f("pk_report_skill_unit")),
    )
    with op.batch_alter_table("report_skill_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_skill_unit_skill_id"), ["skill_id"])
        batch_op.create_index(batch_op.f("ix_report_skill_unit_team_id"), ["team_id"])
        batch_op.create_index(
            "ix_report_skill_unit_profiles",
            ["team_id", "received_at", "skill_id", "n1", "n2", "n3", "n4", "application_id"],
        )
    op.create_table(
        "report_stage_type_unit",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("stage_type_id", sa.Integer(), nullable=False),
        *_columns(),
        _foreign_key("report_stage_type_unit", "application_id", "application"),
        _foreign_key("report_stage_type_unit", "skill_id", "skill"),
        _foreign_key("report_stage_type_unit", "stage_type_id", "stage_type"),
        _foreign_key("report_stage_type_unit", "team_id", "team"),
        sa.PrimaryKeyConstraint(
            "application_id", "skill_id", "stage_type_id", name=op.f("pk_report_stage_type_unit")
        ),
    )
    with op.batch_alter_table("report_stage_type_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_stage_type_unit_skill_id"), ["skill_id"])
        batch_op.create_index(
            batch_op.f("ix_report_stage_type_unit_stage_type_id"), ["stage_type_id"]
        )
        batch_op.create_index(batch_op.f("ix_report_stage_type_unit_team_id"), ["team_id"])
        batch_op.create_index(
            "ix_report_stage_type_unit_profiles",
            [
                "team_id",
                "received_at",
                "stage_type_id",
                "n1",
                "n2",
                "n3",
                "n4",
                "application_id",
            ],
        )
    op.execute(SKILL_UNITS)
    op.execute(STAGE_TYPE_UNITS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE report_skill_unit, report_stage_type_unit")


def downgrade():
    op.drop_table("report_stage_type_unit")
    op.drop_table("report_skill_unit")
