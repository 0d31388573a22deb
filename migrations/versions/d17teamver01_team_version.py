"""one version per team for every kept page, in place of the reports' own

Revision ID: d17teamver01
Revises: d16dash0001
Create Date: 2026-12-03 16:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d17teamver01"
down_revision = "d16dash0001"
branch_labels = None
depends_on = None


def _counter(name: str) -> None:
    op.create_table(
        name,
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f(f"fk_{name}_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f(f"pk_{name}")),
    )


def upgrade():
    # The counters only name kept copies, which a new key replaces: nothing to carry over.
    op.drop_table("reports_version")
    _counter("team_version")


def downgrade():
    op.drop_table("team_version")
    _counter("reports_version")
