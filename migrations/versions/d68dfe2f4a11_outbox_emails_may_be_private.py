"""outbox emails may be private: the outbox page hides the body of a password reset email

Revision ID: d68dfe2f4a11
Revises: f0d02d24e81d
Create Date: 2026-12-02 06:56:00.609158

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd68dfe2f4a11'
down_revision = 'f0d02d24e81d'
branch_labels = None
depends_on = None


def upgrade():
    # The emails already queued hold no account secret: false for them. The default is the
    # model's alone afterwards, as for every other column.
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('private', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.alter_column('private', server_default=None)


def downgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_column('private')
