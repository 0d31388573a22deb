"""the candidates list sorts by newest first and by last activity

Revision ID: 3c2b7e9d41a0
Revises: 36786884aaa2
Create Date: 2026-12-02 08:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c2b7e9d41a0'
down_revision = '36786884aaa2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_team_id_created_at'), ['team_id', 'created_at'], unique=False)

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_candidate_id_updated_at'), ['candidate_id', 'updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_candidate_id_updated_at'))

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_team_id_created_at'))
