"""panel seats with their scorecard turnaround, for the speed report

Revision ID: s7a1seat0001
Revises: j4apps0since1
Create Date: 2026-12-02 23:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "s7a1seat0001"
down_revision = "j4apps0since1"
branch_labels = None
depends_on = None

#: Each panel member of each interview not cancelled, with the seconds from the interview's
#: end to their submitted scorecard (NULL without one). ``{seconds}`` is the dialect's.
SEATS = """
INSERT INTO report_panel_seat (
    team_id, interview_id, interviewer_id, application_id, starts_at, ends_at, seconds)
SELECT interview.team_id, interview.id, panel_member.user_id, interview.application_id,
       interview.starts_at, interview.ends_at, {seconds}
FROM interview
JOIN panel_member ON panel_member.interview_id = interview.id
LEFT JOIN scorecard ON scorecard.interview_id = panel_member.interview_id
    AND scorecard.interviewer_id = panel_member.user_id AND scorecard.state = 'submitted'
WHERE interview.status != 'cancelled'
"""

SECONDS = {
    "postgresql": "CAST(EXTRACT(EPOCH FROM (scorecard.submitted_at - interview.ends_at)) "
    "AS DOUBLE PRECISION)",
    "sqlite": "((julianday(scorecard.submitted_at) - julianday(interview.ends_at)) * 86400.0)",
}


def upgrade():
    op.create_table(
        "report_panel_seat",
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("interviewer_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_report_panel_seat_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_report_panel_seat_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interviewer_id"],
            ["user_account.id"],
            name=op.f("fk_report_panel_seat_interviewer_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_report_panel_seat_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "interview_id", "interviewer_id", name=op.f("pk_report_panel_seat")
        ),
    )
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_panel_seat_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_panel_seat_interviewer_id"), ["interviewer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_report_panel_seat_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_report_panel_seat_held"),
            ["team_id", "starts_at", "interviewer_id", "seconds", "ends_at"],
            unique=False,
        )
    dialect = op.get_bind().dialect.name
    op.execute(SEATS.format(seconds=SECONDS[dialect]))
    if dialect == "postgresql":
        # A freshly filled table has no statistics yet; the speed report reads it at once.
        op.execute("ANALYZE report_panel_seat")


def downgrade():
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_panel_seat_held"))
        batch_op.drop_index(batch_op.f("ix_report_panel_seat_team_id"))
        batch_op.drop_index(batch_op.f("ix_report_panel_seat_interviewer_id"))
        batch_op.drop_index(batch_op.f("ix_report_panel_seat_application_id"))
    op.drop_table("report_panel_seat")
