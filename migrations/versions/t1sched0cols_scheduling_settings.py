"""Scheduling settings: training path lengths, breaks, video rooms, offer hold time, daily limits

Revision ID: t1sched0cols
Revises: k5idem0key01
Create Date: 2026-12-03 06:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "t1sched0cols"
down_revision = "k5idem0key01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shadow_interviews", sa.Integer(), server_default="2", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reverse_shadow_interviews", sa.Integer(), server_default="2", nullable=False)
        )
        batch_op.add_column(
            sa.Column("min_break_minutes", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("video_link_base", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("booking_offer_hours", sa.Integer(), server_default="72", nullable=False)
        )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("daily_interview_limit", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("video_link", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.create_check_constraint(
            "daily_interview_limit_not_negative",
            "daily_interview_limit IS NULL OR daily_interview_limit >= 0",
        )
    # The empty defaults only fill existing rows; new rows get theirs from the models.
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.alter_column("video_link_base", server_default=None)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column("video_link", server_default=None)


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint("daily_interview_limit_not_negative", type_="check")
        batch_op.drop_column("video_link")
        batch_op.drop_column("daily_interview_limit")
    with op.batch_alter_table("team", schema=None) as batch_op:
        for column in (
            "booking_offer_hours",
            "video_link_base",
            "min_break_minutes",
            "reverse_shadow_interviews",
            "shadow_interviews",
        ):
            batch_op.drop_column(column)
