"""the version of each application's portal page, raised with every change it shows

Revision ID: d16portal01
Revises: c3careers001
Create Date: 2026-12-03 13:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d16portal01"
down_revision = "c3careers001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "portal_version",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_portal_version_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_portal_version")),
    )


def downgrade():
    op.drop_table("portal_version")
