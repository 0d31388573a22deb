"""apply from the careers page with a CV and consent

Revision ID: 0d1115eabc95
Revises: 5e1a7c3b9d20
Create Date: 2026-12-02 10:02:19.659616

"""
from alembic import op
import sqlalchemy as sa

import interviewer.db


# revision identifiers, used by Alembic.
revision = '0d1115eabc95'
down_revision = '5e1a7c3b9d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('created_at', interviewer.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_stored_file_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_stored_file_storage_key'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_team_id'), ['team_id'], unique=False)

    op.create_table('self_identification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('gender', sa.String(length=40), nullable=True),
    sa.Column('ethnicity', sa.String(length=40), nullable=True),
    sa.Column('disability', sa.String(length=40), nullable=True),
    sa.Column('veteran', sa.String(length=40), nullable=True),
    sa.Column('created_at', interviewer.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_self_identification_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_self_identification_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_identification')),
    sa.UniqueConstraint('application_id', name=op.f('uq_self_identification_application_id'))
    )
    with op.batch_alter_table('self_identification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_identification_team_id'), ['team_id'], unique=False)

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover_note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('consented_at', interviewer.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('consent_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cv_file_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_application_cv_file_id'), ['cv_file_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_application_cv_file_id_stored_file'), 'stored_file', ['cv_file_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('privacy_notice', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('privacy_notice_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('self_identification_questions', sa.String(length=200), server_default='', nullable=False))

    # The empty text fills the rows already there; new rows get theirs from the app.
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.alter_column('cover_note', server_default=None)

    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.alter_column('privacy_notice', server_default=None)
        batch_op.alter_column('self_identification_questions', server_default=None)



def downgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('self_identification_questions')
        batch_op.drop_column('privacy_notice_version')
        batch_op.drop_column('privacy_notice')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_application_cv_file_id_stored_file'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_application_cv_file_id'))
        batch_op.drop_column('cv_file_id')
        batch_op.drop_column('consent_version')
        batch_op.drop_column('consented_at')
        batch_op.drop_column('cover_note')

    with op.batch_alter_table('self_identification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_identification_team_id'))

    op.drop_table('self_identification')
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_team_id'))

    op.drop_table('stored_file')
