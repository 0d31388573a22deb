"""outbox delivery states: a status, the next attempt's time (and a sender's claim), backoff

Revision ID: ac51b33e6428
Revises: ac73695c4954
Create Date: 2026-12-02 01:41:15.835647

"""
from alembic import op
import sqlalchemy as sa

import interviewer.db


# revision identifiers, used by Alembic.
revision = 'ac51b33e6428'
down_revision = 'ac73695c4954'
branch_labels = None
depends_on = None

outbox_email = sa.table(
    'outbox_email',
    sa.column('status', sa.String),
    sa.column('sent_at', interviewer.db.UTCDateTime(timezone=True)),
    sa.column('created_at', interviewer.db.UTCDateTime(timezone=True)),
    sa.column('next_attempt_at', interviewer.db.UTCDateTime(timezone=True)),
)


def upgrade():
    # The columns arrive nullable, are filled for the emails already queued or sent, and
    # only then become required: a sent email is sent, every other one is due at once.
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('waiting', 'sending', 'sent', 'failed', name='outboxstatus', native_enum=False, length=10), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', interviewer.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_attempt_at', interviewer.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_index(batch_op.f('ix_outbox_email_sent_at_created_at'))

    op.execute(
        outbox_email.update().values(
            status=sa.case((outbox_email.c.sent_at.is_not(None), 'sent'), else_='waiting'),
            next_attempt_at=outbox_email.c.created_at,
        )
    )

    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column('next_attempt_at', existing_type=interviewer.db.UTCDateTime(timezone=True), nullable=False)
        batch_op.create_index(batch_op.f('ix_outbox_email_status_next_attempt_at'), ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_email_team_id_status_created_at'), ['team_id', 'status', 'created_at'], unique=False)


def downgrade():
    # Before this revision an email without ``sent_at`` was retried on every run: failed
    # emails go back to being tried again.
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_email_team_id_status_created_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_email_status_next_attempt_at'))
        batch_op.create_index(batch_op.f('ix_outbox_email_sent_at_created_at'), ['sent_at', 'created_at'], unique=False)
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('status')
