"""the funnel's rows: one per application and one per stage it reached

Revision ID: f6funnel0001
Revises: o5offers0001
Create Date: 2026-12-03 05:56:42.206575

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f6funnel0001"
down_revision = "o5offers0001"
branch_labels = None
depends_on = None

#: Per application: received when, whether it reached the offer status (a stay ended by an
#: offer, the status offer or hired, a decision to offer or hire), whether it was hired, and
#: the stage of its last stay (by id, among the stays of a plan stage) when that stay ended
#: by a rejection or a withdrawal.
APPLICATIONS = """
INSERT INTO report_funnel_application (
    team_id, application_id, job_id, received_at, offered, hired,
    exit_stage_id, exit_stage_type_id, left_by, reason)
SELECT application.team_id, application.id, application.job_id, application.created_at,
       CASE WHEN application.status IN ('offer', 'hired')
                 OR EXISTS (SELECT 1 FROM stage_visit AS offer_stay
                            WHERE offer_stay.application_id = application.id
                              AND offer_stay.left_by = 'offer')
                 OR EXISTS (SELECT 1 FROM decision
                            WHERE decision.application_id = application.id
                              AND decision.outcome IN ('offer', 'hire'))
            THEN TRUE ELSE FALSE END,
       CASE WHEN application.status = 'hired' THEN TRUE ELSE FALSE END,
       plan_stage.id, plan_stage.stage_type_id, exit_stay.left_by, exit_stay.reason
FROM application
LEFT JOIN (
    SELECT application_id, MAX(id) AS id FROM stage_visit
    WHERE plan_stage_id IS NOT NULL GROUP BY application_id
) AS last ON last.application_id = application.id
LEFT JOIN stage_visit AS exit_stay
    ON exit_stay.id = last.id AND exit_stay.left_by IN ('reject', 'withdraw')
LEFT JOIN plan_stage ON plan_stage.id = exit_stay.plan_stage_id
"""

#: Per application and plan stage it reached: whether it went on (reached a later position
#: of its plan, or the offer status) and whether the stage is the first of its type that
#: the application reached (by position).
REACHES = """
INSERT INTO report_funnel_reach (
    team_id, application_id, plan_stage_id, stage_type_id, job_id, received_at, went_on,
    first_of_type)
SELECT owner.team_id, ranked.application_id, ranked.plan_stage_id, ranked.stage_type_id,
       owner.job_id, owner.received_at,
       CASE WHEN ranked.furthest > ranked.position OR owner.offered THEN TRUE ELSE FALSE END,
       CASE WHEN ranked.nth = 1 THEN TRUE ELSE FALSE END
FROM (
    SELECT reached.application_id, reached.plan_stage_id, plan_stage.stage_type_id,
           plan_stage.position,
           MAX(plan_stage.position) OVER (PARTITION BY reached.application_id) AS furthest,
           ROW_NUMBER() OVER (
               PARTITION BY reached.application_id, plan_stage.stage_type_id
               ORDER BY plan_stage.position, plan_stage.id) AS nth
    FROM (
        SELECT DISTINCT application_id, plan_stage_id FROM stage_visit
        WHERE plan_stage_id IS NOT NULL
    ) AS reached
    JOIN plan_stage ON plan_stage.id = reached.plan_stage_id
) AS ranked
JOIN report_funnel_application AS owner ON owner.application_id = ranked.application_id
"""


def upgrade():
    op.create_table(
        "report_funnel_application",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered", sa.Boolean(), nullable=False),
        sa.Column("hired", sa.Boolean(), nullable=False),
        sa.Column("exit_stage_id", sa.Integer(), nullable=True),
        sa.Column("exit_stage_type_id", sa.Integer(), nullable=True),
        sa.Column("left_by", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.String(length=120), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_report_funnel_application_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exit_stage_id"],
            ["plan_stage.id"],
            name=op.f("fk_report_funnel_application_exit_stage_id_plan_stage"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["exit_stage_type_id"],
            ["stage_type.id"],
            name=op.f("fk_report_funnel_application_exit_stage_type_id_stage_type"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job.id"],
            name=op.f("fk_report_funnel_application_job_id_job"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_report_funnel_application_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_report_funnel_application")),
    )
    with op.batch_alter_table("report_funnel_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_funnel_application_exit_stage_id"),
            ["exit_stage_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_report_funnel_application_exit_stage_type_id"),
            ["exit_stage_type_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_report_funnel_application_job_id"), ["job_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_funnel_application_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_funnel_application_team_id_received_at"),
            ["team_id", "received_at"],
            unique=False,
        )

    op.create_table(
        "report_funnel_reach",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("plan_stage_id", sa.Integer(), nullable=False),
        sa.Column("stage_type_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("went_on", sa.Boolean(), nullable=False),
        sa.Column("first_of_type", sa.Boolean(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_report_funnel_reach_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job.id"],
            name=op.f("fk_report_funnel_reach_job_id_job"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_stage_id"],
            ["plan_stage.id"],
            name=op.f("fk_report_funnel_reach_plan_stage_id_plan_stage"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_type_id"],
            ["stage_type.id"],
            name=op.f("fk_report_funnel_reach_stage_type_id_stage_type"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_report_funnel_reach_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "application_id", "plan_stage_id", name=op.f("pk_report_funnel_reach")
        ),
    )
    with op.batch_alter_table("report_funnel_reach", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_funnel_reach_job_id"), ["job_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_report_funnel_reach_plan_stage_id"), ["plan_stage_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_funnel_reach_stage_type_id"), ["stage_type_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_funnel_reach_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_funnel_reach_team_id_received_at"),
            ["team_id", "received_at"],
            unique=False,
        )
    op.execute(APPLICATIONS)
    op.execute(REACHES)
    if op.get_bind().dialect.name == "postgresql":
        # Freshly filled tables have no statistics yet; the funnel reads them at once.
        op.execute("ANALYZE report_funnel_application, report_funnel_reach")


def downgrade():
    with op.batch_alter_table("report_funnel_reach", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_funnel_reach_team_id_received_at"))
        batch_op.drop_index(batch_op.f("ix_report_funnel_reach_team_id"))
        batch_op.drop_index(batch_op.f("ix_report_funnel_reach_stage_type_id"))
        batch_op.drop_index(batch_op.f("ix_report_funnel_reach_plan_stage_id"))
        batch_op.drop_index(batch_op.f("ix_report_funnel_reach_job_id"))

    op.drop_table("report_funnel_reach")
    with op.batch_alter_table("report_funnel_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_funnel_application_team_id_received_at"))
        batch_op.drop_index(batch_op.f("ix_report_funnel_application_team_id"))
        batch_op.drop_index(batch_op.f("ix_report_funnel_application_job_id"))
        batch_op.drop_index(batch_op.f("ix_report_funnel_application_exit_stage_type_id"))
        batch_op.drop_index(batch_op.f("ix_report_funnel_application_exit_stage_id"))

    op.drop_table("report_funnel_application")
