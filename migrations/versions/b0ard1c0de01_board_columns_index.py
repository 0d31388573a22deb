"""board columns index

Revision ID: b0ard1c0de01
Revises: h0me5c1d7e2a
Create Date: 2026-12-02 19:40:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b0ard1c0de01"
down_revision = "h0me5c1d7e2a"
branch_labels = None
depends_on = None


def upgrade():
    # The board counts a job's applications per status and stage, and reads the longest
    # waiting of each column, from this index alone.
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            "ix_application_board",
            ["team_id", "job_id", "status", "current_stage_id", "stage_entered_at", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_board")
