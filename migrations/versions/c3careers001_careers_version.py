"""the version of each team's careers pages, raised with every change they show

Revision ID: c3careers001
Revises: r9speedidx04
Create Date: 2026-12-03 09:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3careers001"
down_revision = "r9speedidx04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "careers_version",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_careers_version_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_careers_version")),
    )


def downgrade():
    op.drop_table("careers_version")
