"""the team's brand: display name, accent colour, logo; emails carry a sender name

Revision ID: b7a1c4e9d2f3
Revises: 0d1115eabc95
Create Date: 2026-12-02 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import interviewer.db


# revision identifiers, used by Alembic.
revision = 'b7a1c4e9d2f3'
down_revision = '0d1115eabc95'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('accent_color', sa.String(length=7), nullable=True))

    op.create_table('team_logo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('updated_at', interviewer.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_logo_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_logo')),
    sa.UniqueConstraint('team_id', name=op.f('uq_team_logo_team_id'))
    )

    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        # The emails queued before have no sender name: the address alone, as before.
        batch_op.add_column(sa.Column('from_name', sa.String(length=160), server_default='', nullable=False))

    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.alter_column('from_name', server_default=None)


def downgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_column('from_name')

    op.drop_table('team_logo')

    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('accent_color')
        batch_op.drop_column('display_name')
