"""Scorecards with their per-skill ratings, and the decisions that end a debrief."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.catalog.models import Skill
from interviewer.db import Base, TeamScoped, TimestampMixin, str_enum, utcnow
from interviewer.plans.models import KitVersion
from interviewer.scheduling.models import Interview

#: The anchored 4-point scale, used for ratings and the overall recommendation.
RATING_LABELS = {1: "Strong no", 2: "No", 3: "Yes", 4: "Strong yes"}


class ScorecardState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class DecisionOutcome(enum.StrEnum):
    ADVANCE = "advance"
    REJECT = "reject"
    OFFER = "offer"
    HIRE = "hire"


class Scorecard(TeamScoped, TimestampMixin, Base):
    """One interviewer's assessment of one interview."""

    __tablename__ = "scorecard"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview.id"), index=True)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: Denormalised from the interview so the independence rule is one indexed look-up.
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    kit_version_id: Mapped[int | None] = mapped_column(ForeignKey("kit_version.id"), index=True)
    state: Mapped[ScorecardState] = mapped_column(
        str_enum(ScorecardState), default=ScorecardState.DRAFT, index=True
    )
    #: 1 for the first submission; each amendment adds one.
    version: Mapped[int] = mapped_column(default=1)
    #: Optimistic lock: two tabs editing one draft cannot silently overwrite each other.
    lock_version: Mapped[int] = mapped_column(default=1)
    key_takeaways: Mapped[str] = mapped_column(Text, default="")
    #: Overall recommendation, 1 (strong no) to 4 (strong yes).
    recommendation: Mapped[int | None]
    submitted_at: Mapped[datetime | None]
    amendment_reason: Mapped[str] = mapped_column(Text, default="")

    interview: Mapped[Interview] = relationship()
    interviewer: Mapped[User] = relationship()
    application: Mapped[Application] = relationship()
    kit_version: Mapped[KitVersion | None] = relationship()
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="scorecard", cascade="all, delete-orphan", passive_deletes=True
    )
    revisions: Mapped[list[ScorecardRevision]] = relationship(
        back_populates="scorecard",
        order_by="ScorecardRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (
        UniqueConstraint("interview_id", "interviewer_id"),
        CheckConstraint("recommendation BETWEEN 1 AND 4", name="recommendation_range"),
        #: An interviewer's submitted (or draft) scorecards from the index alone: which of
        #: their interviews still wait for one (My interviews).
        Index(None, "interviewer_id", "state", "interview_id"),
    )


class Rating(TeamScoped, Base):
    """A scorecard's rating of one focus skill; ``score`` is ``None`` when not assessed."""

    __tablename__ = "rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    score: Mapped[int | None]
    evidence: Mapped[str] = mapped_column(Text, default="")

    scorecard: Mapped[Scorecard] = relationship(back_populates="ratings")
    skill: Mapped[Skill] = relationship()

    __table_args__ = (
        UniqueConstraint("scorecard_id", "skill_id"),
        CheckConstraint("score BETWEEN 1 AND 4", name="score_range"),
    )


class Decision(TeamScoped, Base):
    """The recorded end of a debrief."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(str_enum(DecisionOutcome))
    rationale: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    application: Mapped[Application] = relationship()
    decided_by: Mapped[User | None] = relationship()


class ScorecardRevision(TeamScoped, Base):
    """A submitted version of a scorecard, kept as it was: the first submission and each
    amendment add one, so the history can always be read back.
    """

    __tablename__ = "scorecard_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard.id", ondelete="CASCADE"), index=True
    )
    #: The scorecard's ``version`` this snapshot records.
    number: Mapped[int]
    #: ``{"recommendation": 3, "key_takeaways": "...", "ratings": [{"skill_id": 1,
    #: "skill": "API design", "score": 3, "evidence": "..."}, ...]}``
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Why this version replaced the one before it; empty for the first submission.
    reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scorecard: Mapped[Scorecard] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("scorecard_id", "number"),)


class ScorecardReminder(TeamScoped, Base):
    """A reminder sent to one panel member about one interview on one of their days."""

    __tablename__ = "scorecard_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: The interviewer's own date that the reminder counts for: one a day at most.
    local_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    interview: Mapped[Interview] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("interview_id", "user_id", "local_date"),)
