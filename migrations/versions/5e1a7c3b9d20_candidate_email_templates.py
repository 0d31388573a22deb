"""a team's own texts for the emails candidates get

Revision ID: 5e1a7c3b9d20
Revises: 5e1a9c3d7b20
Create Date: 2026-12-02 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import interviewer.db


# revision identifiers, used by Alembic.
revision = '5e1a7c3b9d20'
down_revision = '5e1a9c3d7b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('email_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('application_received', 'interview_invitation', 'interview_rescheduled', 'interview_cancelled', 'moved_on', 'rejection', 'withdrawal', name='candidateemailkind', native_enum=False, length=30), nullable=False),
    sa.Column('reason', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', interviewer.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_email_template_team_id_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_email_template_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_template')),
    sa.UniqueConstraint('team_id', 'kind', 'reason', name=op.f('uq_email_template_team_id_kind_reason'))
    )
    with op.batch_alter_table('email_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_template_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_email_template_updated_by_id'), ['updated_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('email_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_template_updated_by_id'))
        batch_op.drop_index(batch_op.f('ix_email_template_team_id'))

    op.drop_table('email_template')
