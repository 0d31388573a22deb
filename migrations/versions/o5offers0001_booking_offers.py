"""Booking offers: times held for a candidate to pick on the portal, and their options

Revision ID: o5offers0001
Revises: p0pools0001
Create Date: 2026-12-03 05:46:23

"""

import sqlalchemy as sa
from alembic import op

import interviewer.db

revision = "o5offers0001"
down_revision = "p0pools0001"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade():
    op.create_table(
        "booking_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", interviewer.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", interviewer.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "booked",
                "expired",
                "withdrawn",
                name="offerstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("closed_at", interviewer.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("automatic_stage_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_booking_offer_application_id_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["automatic_stage_id"],
            ["plan_stage.id"],
            name=op.f("fk_booking_offer_automatic_stage_id_plan_stage"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_booking_offer_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_booking_offer_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_offer")),
    )
    with op.batch_alter_table("booking_offer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_offer_application_id_status"), ["application_id", "status"]
        )
        batch_op.create_index(
            batch_op.f("ix_booking_offer_automatic_stage_id"), ["automatic_stage_id"]
        )
        batch_op.create_index(batch_op.f("ix_booking_offer_created_by_id"), ["created_by_id"])
        batch_op.create_index(
            batch_op.f("ix_booking_offer_status_expires_at"), ["status", "expires_at"]
        )
        batch_op.create_index(batch_op.f("ix_booking_offer_team_id"), ["team_id"])
        batch_op.create_index(
            "uq_booking_offer_one_open",
            ["application_id"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )

    op.create_table(
        "booking_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("dropped_at", interviewer.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["booking_offer.id"],
            name=op.f("fk_booking_option_offer_id_booking_offer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_booking_option_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_option")),
        sa.UniqueConstraint(
            "offer_id", "position", name=op.f("uq_booking_option_offer_id_position")
        ),
    )
    with op.batch_alter_table("booking_option", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_option_team_id"), ["team_id"])


def downgrade():
    op.drop_table("booking_option")
    op.drop_table("booking_offer")
