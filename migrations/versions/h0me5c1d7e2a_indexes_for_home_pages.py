"""indexes for the dashboard, My interviews and slot suggestions

Revision ID: h0me5c1d7e2a
Revises: d3b1ef0c0a11
Create Date: 2026-12-02 19:30:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "h0me5c1d7e2a"
down_revision = "d3b1ef0c0a11"
branch_labels = None
depends_on = None


def upgrade():
    # Each composite index starts with the column the single one it replaces covered.
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_application_id_status_ends_at_id"),
            ["application_id", "status", "ends_at", "id"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_interview_application_id"))
    with op.batch_alter_table("panel_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_panel_member_user_id_team_id_interview_id"),
            ["user_id", "team_id", "interview_id"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_panel_member_user_id"))
    with op.batch_alter_table("scorecard", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scorecard_interviewer_id_state_interview_id"),
            ["interviewer_id", "state", "interview_id"],
            unique=False,
        )
        batch_op.drop_index(batch_op.f("ix_scorecard_interviewer_id"))


def downgrade():
    with op.batch_alter_table("scorecard", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scorecard_interviewer_id"), ["interviewer_id"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_scorecard_interviewer_id_state_interview_id"))
    with op.batch_alter_table("panel_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panel_member_user_id"), ["user_id"], unique=False)
        batch_op.drop_index(batch_op.f("ix_panel_member_user_id_team_id_interview_id"))
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_application_id"), ["application_id"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_interview_application_id_status_ends_at_id"))
