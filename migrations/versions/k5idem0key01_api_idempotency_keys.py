"""API: answers kept for creates retried with the same Idempotency-Key

Revision ID: k5idem0key01
Revises: w3b0k5e1d2a9
Create Date: 2026-12-02 23:40:00

"""

import sqlalchemy as sa
from alembic import op

import interviewer.db

revision = "k5idem0key01"
down_revision = "w3b0k5e1d2a9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_idempotent_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", interviewer.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_api_idempotent_request_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["api_token.id"],
            name=op.f("fk_api_idempotent_request_token_id_api_token"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotent_request")),
        sa.UniqueConstraint("token_id", "key", name=op.f("uq_api_idempotent_request_token_id_key")),
    )
    with op.batch_alter_table("api_idempotent_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_idempotent_request_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_api_idempotent_request_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_api_idempotent_request_token_id"), ["token_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("api_idempotent_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_idempotent_request_token_id"))
        batch_op.drop_index(batch_op.f("ix_api_idempotent_request_team_id"))
        batch_op.drop_index(batch_op.f("ix_api_idempotent_request_created_at"))
    op.drop_table("api_idempotent_request")
