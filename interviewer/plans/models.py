"""Jobs with their postings, interview plans, plan stages and their versioned kits."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.catalog.models import Level, Skill
from interviewer.db import Base, TeamScoped, TimestampMixin, str_enum, utcnow

#: The stage types every team starts with; a team may add its own.
BUILTIN_STAGE_TYPES = {
    "screen": "Screen",
    "live_coding": "Live coding",
    "whiteboard": "Whiteboard",
    "system_design": "System design",
    "take_home": "Take-home",
    "behavioral": "Behavioral",
    "final": "Final",
}


class EmploymentType(enum.StrEnum):
    EMPLOYEE = "employee"
    CONTRACT = "contract"


class Workplace(enum.StrEnum):
    ONSITE = "onsite"
    HYBRID = "hybrid"
    REMOTE = "remote"


class JobStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class StageType(TeamScoped, Base):
    __tablename__ = "stage_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier such as ``live_coding``; postings count stages by it.
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (UniqueConstraint("team_id", "key"), UniqueConstraint("team_id", "name"))

    def __repr__(self) -> str:
        return f"<StageType {self.key}>"


class Job(TeamScoped, TimestampMixin, Base):
    """An opening for one level, with the fields of its public posting."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("level.id"), index=True)
    hiring_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    #: Part of the public URL ``/careers/<team-slug>/<job-slug>``.
    slug: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(160), default="")
    workplace: Mapped[Workplace] = mapped_column(str_enum(Workplace), default=Workplace.ONSITE)
    employment_type: Mapped[EmploymentType] = mapped_column(
        str_enum(EmploymentType), default=EmploymentType.EMPLOYEE
    )
    #: Length of a contract; required when ``employment_type`` is contract.
    contract_months: Mapped[int | None]
    salary_min: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    salary_max: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    salary_currency: Mapped[str] = mapped_column(String(3), default="USD")
    posted_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus), default=JobStatus.DRAFT, index=True
    )

    level: Mapped[Level] = relationship()
    hiring_manager: Mapped[User | None] = relationship()
    stages: Mapped[list[PlanStage]] = relationship(
        back_populates="job",
        order_by="PlanStage.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    applications: Mapped[list[Application]] = relationship(  # noqa: F821
        "Application", back_populates="job", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("team_id", "slug"),
        CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max",
            name="salary_range_ordered",
        ),
        CheckConstraint(
            "closes_on IS NULL OR posted_on IS NULL OR closes_on > posted_on",
            name="closes_after_posted",
        ),
        CheckConstraint(
            "contract_months IS NULL OR contract_months > 0", name="contract_months_positive"
        ),
    )

    def __repr__(self) -> str:
        return f"<Job {self.slug}>"


plan_stage_focus_skill = Table(
    "plan_stage_focus_skill",
    Base.metadata,
    Column("plan_stage_id", ForeignKey("plan_stage.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PlanStage(TeamScoped, TimestampMixin, Base):
    """One step of a job's interview plan."""

    __tablename__ = "plan_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    stage_type_id: Mapped[int] = mapped_column(ForeignKey("stage_type.id"), index=True)
    #: Order within the plan, from 1.
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    duration_minutes: Mapped[int] = mapped_column(default=60)
    #: How many interviewers sit on the panel.
    panel_size: Mapped[int] = mapped_column(default=1)

    job: Mapped[Job] = relationship(back_populates="stages")
    stage_type: Mapped[StageType] = relationship()
    focus_skills: Mapped[list[Skill]] = relationship(
        secondary=plan_stage_focus_skill, order_by="Skill.name"
    )
    kit_versions: Mapped[list[KitVersion]] = relationship(
        back_populates="plan_stage",
        order_by="KitVersion.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("panel_size > 0", name="panel_size_positive"),
        CheckConstraint("position > 0", name="position_positive"),
    )

    def __repr__(self) -> str:
        return f"<PlanStage {self.position} {self.name}>"

    @property
    def current_kit(self) -> KitVersion | None:
        return self.kit_versions[-1] if self.kit_versions else None


class KitVersion(TeamScoped, Base):
    """The interview kit of a plan stage as it stood at one time.

    Once an interview has used a version (``used_at`` is set) it is never edited again;
    an edit makes the next version.
    """

    __tablename__ = "kit_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_stage_id: Mapped[int] = mapped_column(
        ForeignKey("plan_stage.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    #: Candidate-facing: what the stage is like and how to prepare.
    what_to_expect: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    used_at: Mapped[datetime | None]

    plan_stage: Mapped[PlanStage] = relationship(back_populates="kit_versions")
    created_by: Mapped[User | None] = relationship()
    items: Mapped[list[KitItem]] = relationship(
        back_populates="kit_version", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (UniqueConstraint("plan_stage_id", "number"),)


class KitItem(TeamScoped, Base):
    """Questions and guidance for one focus skill in one kit version."""

    __tablename__ = "kit_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_version_id: Mapped[int] = mapped_column(
        ForeignKey("kit_version.id", ondelete="CASCADE"), index=True
    )
    #: No cascade: a used kit records what its interviews asked, so the skill stays.
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    questions: Mapped[str] = mapped_column(Text, default="")
    #: What to probe for while the candidate answers.
    probe: Mapped[str] = mapped_column(Text, default="")
    #: Rubric anchors: what each rating looks like for this skill at the job's level.
    rubric: Mapped[str] = mapped_column(Text, default="")

    kit_version: Mapped[KitVersion] = relationship(back_populates="items")
    skill: Mapped[Skill] = relationship()

    __table_args__ = (UniqueConstraint("kit_version_id", "skill_id"),)


class PlanTemplate(TeamScoped, TimestampMixin, Base):
    """A team's saved interview plan ("Backend standard loop") to start a job's plan from."""

    __tablename__ = "plan_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    created_by: Mapped[User | None] = relationship()
    stages: Mapped[list[PlanTemplateStage]] = relationship(
        back_populates="template",
        order_by="PlanTemplateStage.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (UniqueConstraint("team_id", "name"),)

    def __repr__(self) -> str:
        return f"<PlanTemplate {self.name}>"


class PlanTemplateStage(TeamScoped, Base):
    """One stage of a plan template, with the kit text that is not tied to a level."""

    __tablename__ = "plan_template_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("plan_template.id", ondelete="CASCADE"), index=True
    )
    stage_type_id: Mapped[int] = mapped_column(ForeignKey("stage_type.id"), index=True)
    #: Order within the template, from 1.
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    duration_minutes: Mapped[int] = mapped_column(default=60)
    panel_size: Mapped[int] = mapped_column(default=1)
    #: Candidate-facing text of the stage's kit.
    what_to_expect: Mapped[str] = mapped_column(Text, default="")

    template: Mapped[PlanTemplate] = relationship(back_populates="stages")
    stage_type: Mapped[StageType] = relationship()
    #: The stage's focus skills, each with its kit questions.
    focus: Mapped[list[PlanTemplateFocusSkill]] = relationship(
        back_populates="template_stage",
        order_by="PlanTemplateFocusSkill.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("panel_size > 0", name="panel_size_positive"),
        CheckConstraint("position > 0", name="position_positive"),
    )

    def __repr__(self) -> str:
        return f"<PlanTemplateStage {self.position} {self.name}>"


class PlanTemplateFocusSkill(TeamScoped, Base):
    """A focus skill of a template stage, with its kit questions and what to probe.

    Rubric anchors are left out on purpose: they belong to a level, and a template
    serves jobs of any level, so they come from the target job's competency matrix.
    """

    __tablename__ = "plan_template_focus_skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_stage_id: Mapped[int] = mapped_column(
        ForeignKey("plan_template_stage.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id", ondelete="CASCADE"), index=True)
    questions: Mapped[str] = mapped_column(Text, default="")
    probe: Mapped[str] = mapped_column(Text, default="")

    template_stage: Mapped[PlanTemplateStage] = relationship(back_populates="focus")
    skill: Mapped[Skill] = relationship()

    __table_args__ = (UniqueConstraint("template_stage_id", "skill_id"),)
