"""the latest decision on each rater row, for calibration's agreement

Revision ID: r9caldecis02
Revises: r9loadweek01
Create Date: 2026-12-03 06:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "r9caldecis02"
down_revision = "r9loadweek01"
branch_labels = None
depends_on = None

#: The outcome of the application's latest decision, by time and then id.
DECISIONS = """
UPDATE report_rater_summary SET decision = (
    SELECT decision.outcome FROM decision
    WHERE decision.application_id = report_rater_summary.application_id
    ORDER BY decision.created_at DESC, decision.id DESC
    LIMIT 1
)
"""


def upgrade():
    with op.batch_alter_table("report_rater_summary", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision", sa.String(length=20), nullable=True))
    op.execute(DECISIONS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE report_rater_summary")


def downgrade():
    with op.batch_alter_table("report_rater_summary", schema=None) as batch_op:
        batch_op.drop_column("decision")
