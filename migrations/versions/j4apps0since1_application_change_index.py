"""application change index: the API lists applications by last change

Revision ID: j4apps0since1
Revises: a1p1t0ken001
Create Date: 2026-12-02 23:50:00.000000

``GET /api/v1/applications`` sorts a team's applications by (updated_at, id), pages on from
the last row's pair and filters by ``updated_since``: without this index both SQLite and
PostgreSQL read every application of the team and sort them for each page.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "j4apps0since1"
down_revision = "a1p1t0ken001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_team_id_updated_at_id"),
            ["team_id", "updated_at", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_team_id_updated_at_id"))
