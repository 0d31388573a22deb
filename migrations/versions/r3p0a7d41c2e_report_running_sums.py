"""running sums of submitted ratings for the calibration and reliability reports

Revision ID: r3p0a7d41c2e
Revises: l1st0a1b2c3d
Create Date: 2026-12-02 19:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "r3p0a7d41c2e"
down_revision = "l1st0a1b2c3d"
branch_labels = None
depends_on = None

#: Per application, skill and plan stage: the submitted ratings of each value.
UNITS = """
INSERT INTO report_rating_unit (
    team_id, application_id, received_at, skill_id, plan_stage_id, n1, n2, n3, n4)
SELECT scorecard.team_id, scorecard.application_id, application.created_at, rating.skill_id,
       interview.plan_stage_id,
       SUM(CASE WHEN rating.score = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rating.score = 2 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rating.score = 3 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rating.score = 4 THEN 1 ELSE 0 END)
FROM rating
JOIN scorecard ON scorecard.id = rating.scorecard_id
JOIN interview ON interview.id = scorecard.interview_id
JOIN application ON application.id = scorecard.application_id
WHERE scorecard.state = 'submitted' AND rating.score IS NOT NULL
GROUP BY scorecard.team_id, scorecard.application_id, application.created_at, rating.skill_id,
         interview.plan_stage_id
"""

#: Per application and interviewer: scorecards by recommendation, and the leniency sums
#: over the skills someone else rated too (the interviewer's mean minus the others' mean).
RATERS = """
INSERT INTO report_rater_summary (
    team_id, application_id, received_at, interviewer_id, scorecards,
    recommended_1, recommended_2, recommended_3, recommended_4,
    compared, difference_sum, difference_squares)
SELECT cards.team_id, cards.application_id, cards.received_at, cards.interviewer_id,
       cards.scorecards,
       cards.r1, cards.r2, cards.r3, cards.r4,
       COALESCE(per_rater.compared, 0), COALESCE(per_rater.total, 0.0),
       COALESCE(per_rater.squares, 0.0)
FROM (
    SELECT scorecard.team_id, scorecard.application_id,
           application.created_at AS received_at, scorecard.interviewer_id,
           COUNT(*) AS scorecards,
           SUM(CASE WHEN recommendation = 1 THEN 1 ELSE 0 END) AS r1,
           SUM(CASE WHEN recommendation = 2 THEN 1 ELSE 0 END) AS r2,
           SUM(CASE WHEN recommendation = 3 THEN 1 ELSE 0 END) AS r3,
           SUM(CASE WHEN recommendation = 4 THEN 1 ELSE 0 END) AS r4
    FROM scorecard JOIN application ON application.id = scorecard.application_id
    WHERE scorecard.state = 'submitted'
    GROUP BY scorecard.team_id, scorecard.application_id, application.created_at,
             scorecard.interviewer_id
) AS cards
LEFT JOIN (
    SELECT user_id, application_id, COUNT(*) AS compared, SUM(d) AS total,
           SUM(d * d) AS squares
    FROM (
        SELECT user_id, application_id,
               own_sum / own_n - (unit_sum - own_sum) / (unit_n - own_n) AS d
        FROM (
            SELECT user_id, application_id, own_sum, own_n,
                   SUM(own_sum) OVER (PARTITION BY application_id, skill_id) AS unit_sum,
                   SUM(own_n) OVER (PARTITION BY application_id, skill_id) AS unit_n
            FROM (
                SELECT scorecard.interviewer_id AS user_id, scorecard.application_id,
                       rating.skill_id,
                       CAST(SUM(rating.score) AS FLOAT) AS own_sum,
                       CAST(COUNT(rating.score) AS FLOAT) AS own_n
                FROM rating JOIN scorecard ON scorecard.id = rating.scorecard_id
                WHERE scorecard.state = 'submitted' AND rating.score IS NOT NULL
                GROUP BY scorecard.application_id, rating.skill_id, scorecard.interviewer_id
            ) AS own
        ) AS with_unit
        WHERE unit_n > own_n
    ) AS differences
    GROUP BY user_id, application_id
) AS per_rater
ON per_rater.application_id = cards.application_id
AND per_rater.user_id = cards.interviewer_id
"""


def upgrade():
    op.create_table(
        "report_rating_unit",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("plan_stage_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("n1", sa.Integer(), nullable=False),
        sa.Column("n2", sa.Integer(), nullable=False),
        sa.Column("n3", sa.Integer(), nullable=False),
        sa.Column("n4", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_report_rating_unit_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_stage_id"],
            ["plan_stage.id"],
            name=op.f("fk_report_rating_unit_plan_stage_id_plan_stage"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_report_rating_unit_skill_id_skill"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_report_rating_unit_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "application_id", "skill_id", "plan_stage_id", name=op.f("pk_report_rating_unit")
        ),
    )
    with op.batch_alter_table("report_rating_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_rating_unit_plan_stage_id"), ["plan_stage_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_rating_unit_skill_id"), ["skill_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_rating_unit_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_rating_unit_team_id_received_at"),
            ["team_id", "received_at"],
            unique=False,
        )
    op.create_table(
        "report_rater_summary",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("interviewer_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scorecards", sa.Integer(), nullable=False),
        sa.Column("recommended_1", sa.Integer(), nullable=False),
        sa.Column("recommended_2", sa.Integer(), nullable=False),
        sa.Column("recommended_3", sa.Integer(), nullable=False),
        sa.Column("recommended_4", sa.Integer(), nullable=False),
        sa.Column("compared", sa.Integer(), nullable=False),
        sa.Column("difference_sum", sa.Float(), nullable=False),
        sa.Column("difference_squares", sa.Float(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_report_rater_summary_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interviewer_id"],
            ["user_account.id"],
            name=op.f("fk_report_rater_summary_interviewer_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_report_rater_summary_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "application_id", "interviewer_id", name=op.f("pk_report_rater_summary")
        ),
    )
    with op.batch_alter_table("report_rater_summary", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_rater_summary_interviewer_id"), ["interviewer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_rater_summary_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_rater_summary_team_id_received_at"),
            ["team_id", "received_at"],
            unique=False,
        )
    op.execute(UNITS)
    op.execute(RATERS)
    if op.get_bind().dialect.name == "postgresql":
        # Freshly filled tables have no statistics yet; the reports read them at once.
        op.execute("ANALYZE report_rating_unit, report_rater_summary")


def downgrade():
    with op.batch_alter_table("report_rater_summary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_rater_summary_team_id_received_at"))
        batch_op.drop_index(batch_op.f("ix_report_rater_summary_team_id"))
        batch_op.drop_index(batch_op.f("ix_report_rater_summary_interviewer_id"))
    op.drop_table("report_rater_summary")
    with op.batch_alter_table("report_rating_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_rating_unit_team_id_received_at"))
        batch_op.drop_index(batch_op.f("ix_report_rating_unit_team_id"))
        batch_op.drop_index(batch_op.f("ix_report_rating_unit_skill_id"))
        batch_op.drop_index(batch_op.f("ix_report_rating_unit_plan_stage_id"))
    op.drop_table("report_rating_unit")
