"""Skills, levels and the competency matrix (level x skill expectations)."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.db import Base, TeamScoped, TimestampMixin, str_enum

#: The proficiency scale of the competency matrix; 0 means "not expected".
PROFICIENCY_LABELS = {
    0: "Not expected",
    1: "Basic",
    2: "Working",
    3: "Strong",
    4: "Expert",
}


class SkillKind(enum.StrEnum):
    HARD = "hard"
    SOFT = "soft"


class Skill(TeamScoped, TimestampMixin, Base):
    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[SkillKind] = mapped_column(str_enum(SkillKind))
    category: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    expectations: Mapped[list[Expectation]] = relationship(
        back_populates="skill", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (UniqueConstraint("team_id", "name"),)

    def __repr__(self) -> str:
        return f"<Skill {self.name}>"


class Level(TeamScoped, TimestampMixin, Base):
    __tablename__ = "level"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    #: Rung of the ladder: lower is more junior.
    position: Mapped[int] = mapped_column(index=True)
    salary_min: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    salary_max: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    salary_currency: Mapped[str] = mapped_column(String(3), default="USD")

    expectations: Mapped[list[Expectation]] = relationship(
        back_populates="level", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("team_id", "name"),
        CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max",
            name="salary_band_ordered",
        ),
    )

    def __repr__(self) -> str:
        return f"<Level {self.name}>"


class Expectation(TeamScoped, Base):
    """One cell of the competency matrix: what ``level`` requires in ``skill``."""

    __tablename__ = "expectation"

    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("level.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    #: 0 (not expected) to 4 (expert).
    proficiency: Mapped[int] = mapped_column(default=0)
    #: The rubric anchor: observable behaviour at this proficiency.
    description: Mapped[str] = mapped_column(Text, default="")

    level: Mapped[Level] = relationship(back_populates="expectations")
    skill: Mapped[Skill] = relationship(back_populates="expectations")

    __table_args__ = (
        UniqueConstraint("level_id", "skill_id"),
        CheckConstraint("proficiency BETWEEN 0 AND 4", name="proficiency_range"),
    )
