"""the week of each panel seat, and an index the load report reads alone

Revision ID: r9loadweek01
Revises: f6funnel0001
Create Date: 2026-12-03 06:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "r9loadweek01"
down_revision = "f6funnel0001"
branch_labels = None
depends_on = None

#: The Monday of the seat's start in UTC, as ``reports.stats.week_start`` writes it.
WEEK = {
    "postgresql": "CAST(date_trunc('week', starts_at AT TIME ZONE 'UTC') AS DATE)",
    "sqlite": "date(starts_at, 'weekday 0', '-6 days')",
}


def upgrade():
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.add_column(sa.Column("week", sa.Date(), nullable=True))
    dialect = op.get_bind().dialect.name
    op.execute(f"UPDATE report_panel_seat SET week = {WEEK[dialect]}")
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.alter_column("week", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(
            "ix_report_panel_seat_weeks",
            ["team_id", "starts_at", "interviewer_id", "week", "application_id"],
            unique=False,
        )
    if dialect == "postgresql":
        # Statistics for the new column and index.
        op.execute("ANALYZE report_panel_seat")


def downgrade():
    with op.batch_alter_table("report_panel_seat", schema=None) as batch_op:
        batch_op.drop_index("ix_report_panel_seat_weeks")
        batch_op.drop_column("week")
