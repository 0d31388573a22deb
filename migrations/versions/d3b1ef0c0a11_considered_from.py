"""a candidate can be considered for another job from a debrief, carrying its scorecards

Revision ID: d3b1ef0c0a11
Revises: 5e1f0a7c2b9d
"""

import sqlalchemy as sa
from alembic import op

revision = "d3b1ef0c0a11"
down_revision = "5e1f0a7c2b9d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("considered_from_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("considered_reason", sa.Text(), nullable=False, server_default="")
        )
        batch.create_foreign_key(
            batch.f("fk_application_considered_from_id_application"),
            "application",
            ["considered_from_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(
            batch.f("ix_application_considered_from_id"), ["considered_from_id"], unique=False
        )
    with op.batch_alter_table("application") as batch:
        batch.alter_column("considered_reason", server_default=None)


def downgrade():
    with op.batch_alter_table("application") as batch:
        batch.drop_index(batch.f("ix_application_considered_from_id"))
        batch.drop_constraint(
            batch.f("fk_application_considered_from_id_application"), type_="foreignkey"
        )
        batch.drop_column("considered_reason")
        batch.drop_column("considered_from_id")
