"""Interviewer pools: who is qualified for a stage type (or one plan stage), who is in
training for it, and the trainees who sit in on an interview."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.db import Base, TeamScoped, TimestampMixin, str_enum, utcnow
from interviewer.plans.models import PlanStage, StageType
from interviewer.scheduling.models import Interview


class TrainingPhase(enum.StrEnum):
    """Where a pool member stands on the training path, in order."""

    SHADOW = "shadow"
    REVERSE_SHADOW = "reverse_shadow"
    QUALIFIED = "qualified"

    @property
    def label(self) -> str:
        return {
            TrainingPhase.SHADOW: "Shadow",
            TrainingPhase.REVERSE_SHADOW: "Reverse shadow",
            TrainingPhase.QUALIFIED: "Qualified",
        }[self]

    @property
    def rank(self) -> int:
        return list(TrainingPhase).index(self)

    @property
    def in_training(self) -> bool:
        return self is not TrainingPhase.QUALIFIED


class InterviewerPool(TeamScoped, TimestampMixin, Base):
    """The interviewers of a stage type; with ``plan_stage_id``, one plan stage's own pool,
    which replaces its stage type's for that stage."""

    __tablename__ = "interviewer_pool"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_type_id: Mapped[int] = mapped_column(
        ForeignKey("stage_type.id", ondelete="CASCADE"), index=True
    )
    plan_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_stage.id", ondelete="CASCADE"), index=True
    )

    stage_type: Mapped[StageType] = relationship()
    plan_stage: Mapped[PlanStage | None] = relationship()
    members: Mapped[list[PoolMember]] = relationship(
        back_populates="pool", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        # One pool per stage type, and one per plan stage.
        Index(
            "uq_interviewer_pool_stage_type",
            "stage_type_id",
            unique=True,
            sqlite_where=text("plan_stage_id IS NULL"),
            postgresql_where=text("plan_stage_id IS NULL"),
        ),
        UniqueConstraint("plan_stage_id"),
    )


class PoolMember(TeamScoped, Base):
    """An interviewer in a pool, qualified or on the training path."""

    __tablename__ = "pool_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("interviewer_pool.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    phase: Mapped[TrainingPhase] = mapped_column(str_enum(TrainingPhase))
    #: When the member entered ``phase``: only interviews held since count toward the next.
    phase_since: Mapped[datetime] = mapped_column(default=utcnow)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    qualified_at: Mapped[datetime | None]
    #: The manager who qualified the trainee before the training path was done.
    signed_off_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    pool: Mapped[InterviewerPool] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])

    __table_args__ = (UniqueConstraint("pool_id", "user_id"),)


class InterviewTrainee(TeamScoped, Base):
    """A trainee sitting in on an interview: an extra, not a seat of the panel (no
    scorecard is owed, the panel size does not count them)."""

    __tablename__ = "interview_trainee"

    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    #: The pool membership the interview trains; a removed member's seats stay on record.
    pool_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("pool_member.id", ondelete="SET NULL"), index=True
    )
    #: The trainee's phase when they were added: what the interview counts toward.
    phase: Mapped[TrainingPhase] = mapped_column(str_enum(TrainingPhase))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    interview: Mapped[Interview] = relationship()
    user: Mapped[User] = relationship()

    #: A user's trainee seats from the index alone, as the panel's.
    __table_args__ = (Index(None, "user_id", "team_id", "interview_id"),)
