"""candidates can be erased, and teams keep their data for a set number of months

Revision ID: 5e1a9c3d7b20
Revises: 7b1e4c2d9f30
Create Date: 2026-12-02 10:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import interviewer.db


# revision identifiers, used by Alembic.
revision = '5e1a9c3d7b20'
down_revision = '7b1e4c2d9f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('retention_months', sa.Integer(), nullable=False, server_default='12')
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_team_retention_months_positive'), 'retention_months > 0'
        )

    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', interviewer.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('candidate', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_team_retention_months_positive'), type_='check')
        batch_op.drop_column('retention_months')
