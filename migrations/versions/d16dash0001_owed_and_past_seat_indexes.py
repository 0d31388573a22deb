"""index the panel seats without a submitted scorecard, and each interviewer's seats by start

Revision ID: d16dash0001
Revises: d16reports01
Create Date: 2026-12-03 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d16dash0001"
down_revision = "d16reports01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_panel_seat_unsubmitted",
            ["team_id", "interviewer_id", "ends_at", "application_id", "interview_id"],
            unique=False,
            postgresql_where=sa.text("seconds IS NULL"),
            sqlite_where=sa.text("seconds IS NULL"),
        )
        batch_op.create_index(
            "ix_report_panel_seat_by_start",
            ["team_id", "interviewer_id", "starts_at", "interview_id", "ends_at", "seconds"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.drop_index("ix_report_panel_seat_by_start")
        batch_op.drop_index("ix_report_panel_seat_unsubmitted")
