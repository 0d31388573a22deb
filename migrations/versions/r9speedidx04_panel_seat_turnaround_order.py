"""panel seats indexed in the order scorecard turnaround ranks them

Revision ID: r9speedidx04
Revises: r9relunits03
Create Date: 2026-12-03 07:05:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "r9speedidx04"
down_revision = "r9relunits03"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_panel_seat_turnaround",
            ["team_id", "interviewer_id", "seconds", "starts_at", "ends_at"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.drop_index("ix_report_panel_seat_turnaround")
