"""report range indexes

Revision ID: 5e1f0a7c2b9d
Revises: 656970a8f1ce
Create Date: 2026-12-02 14:40:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "5e1f0a7c2b9d"
down_revision = "656970a8f1ce"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_team_id_created_at"), ["team_id", "created_at"], unique=False
        )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_team_id_starts_at"), ["team_id", "starts_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_team_id_starts_at"))
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_team_id_created_at"))
