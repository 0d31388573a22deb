"""Interviewer pools: a pool per stage type or plan stage, its members on the training path,
and the trainees who sit in on an interview

Revision ID: p0pools0001
Revises: t1sched0cols
Create Date: 2026-12-03 05:55:41.293205

"""

from alembic import op
import sqlalchemy as sa

import interviewer.db

revision = "p0pools0001"
down_revision = "t1sched0cols"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "interviewer_pool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_type_id", sa.Integer(), nullable=False),
        sa.Column("plan_stage_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("created_at", interviewer.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", interviewer.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_stage_id"],
            ["plan_stage.id"],
            name=op.f("fk_interviewer_pool_plan_stage_id_plan_stage"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_type_id"],
            ["stage_type.id"],
            name=op.f("fk_interviewer_pool_stage_type_id_stage_type"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_interviewer_pool_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviewer_pool")),
        sa.UniqueConstraint("plan_stage_id", name=op.f("uq_interviewer_pool_plan_stage_id")),
    )
    with op.batch_alter_table("interviewer_pool", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interviewer_pool_plan_stage_id"), ["plan_stage_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interviewer_pool_stage_type_id"), ["stage_type_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interviewer_pool_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            "uq_interviewer_pool_stage_type",
            ["stage_type_id"],
            unique=True,
            sqlite_where=sa.text("plan_stage_id IS NULL"),
            postgresql_where=sa.text("plan_stage_id IS NULL"),
        )

    op.create_table(
        "pool_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "phase",
            sa.Enum(
                "shadow",
                "reverse_shadow",
                "qualified",
                name="trainingphase",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("phase_since", interviewer.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("added_at", interviewer.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("qualified_at", interviewer.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["interviewer_pool.id"],
            name=op.f("fk_pool_member_pool_id_interviewer_pool"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_id"],
            ["user_account.id"],
            name=op.f("fk_pool_member_signed_off_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_pool_member_team_id_team"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_pool_member_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_member")),
        sa.UniqueConstraint("pool_id", "user_id", name=op.f("uq_pool_member_pool_id_user_id")),
    )
    with op.batch_alter_table("pool_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pool_member_signed_off_by_id"), ["signed_off_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pool_member_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pool_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "interview_trainee",
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pool_member_id", sa.Integer(), nullable=True),
        sa.Column(
            "phase",
            sa.Enum(
                "shadow",
                "reverse_shadow",
                "qualified",
                name="trainingphase",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", interviewer.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_interview_trainee_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pool_member_id"],
            ["pool_member.id"],
            name=op.f("fk_interview_trainee_pool_member_id_pool_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_interview_trainee_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_interview_trainee_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("interview_id", "user_id", name=op.f("pk_interview_trainee")),
    )
    with op.batch_alter_table("interview_trainee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_trainee_pool_member_id"), ["pool_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interview_trainee_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_interview_trainee_user_id_team_id_interview_id"),
            ["user_id", "team_id", "interview_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("interview_trainee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_trainee_user_id_team_id_interview_id"))
        batch_op.drop_index(batch_op.f("ix_interview_trainee_team_id"))
        batch_op.drop_index(batch_op.f("ix_interview_trainee_pool_member_id"))

    op.drop_table("interview_trainee")
    with op.batch_alter_table("pool_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pool_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_pool_member_team_id"))
        batch_op.drop_index(batch_op.f("ix_pool_member_signed_off_by_id"))

    op.drop_table("pool_member")
    with op.batch_alter_table("interviewer_pool", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_interviewer_pool_stage_type",
            sqlite_where=sa.text("plan_stage_id IS NULL"),
            postgresql_where=sa.text("plan_stage_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_interviewer_pool_team_id"))
        batch_op.drop_index(batch_op.f("ix_interviewer_pool_stage_type_id"))
        batch_op.drop_index(batch_op.f("ix_interviewer_pool_plan_stage_id"))

    op.drop_table("interviewer_pool")
