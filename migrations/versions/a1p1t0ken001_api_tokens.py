"""API tokens: a team's or a person's, stored as hashes

Revision ID: a1p1t0ken001
Revises: r3p0a7d41c2e
Create Date: 2026-12-02 23:05:19.291631

"""
from alembic import op
import sqlalchemy as sa

import interviewer.db


# revision identifiers, used by Alembic.
revision = 'a1p1t0ken001'
down_revision = 'r3p0a7d41c2e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('scopes', sa.String(length=100), nullable=False),
    sa.Column('created_at', interviewer.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', interviewer.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', interviewer.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', interviewer.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_ip', sa.String(length=45), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_api_token_team_id_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))
        batch_op.drop_index(batch_op.f('ix_api_token_team_id'))

    op.drop_table('api_token')
