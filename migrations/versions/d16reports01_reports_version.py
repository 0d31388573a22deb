"""the version of each team's report figures, raised by every transaction that changes them

Revision ID: d16reports01
Revises: d16portal01
Create Date: 2026-12-03 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d16reports01"
down_revision = "d16portal01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reports_version",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_reports_version_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_reports_version")),
    )


def downgrade():
    op.drop_table("reports_version")
