"""Interviews, their panels, and interviewers' availability."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.db import Base, TeamScoped, TimestampMixin, str_enum, utcnow
from interviewer.plans.models import KitVersion, PlanStage


class InterviewStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


def new_uid() -> str:
    return f"{uuid.uuid4()}@interviewer"


class Interview(TeamScoped, TimestampMixin, Base):
    """One plan stage scheduled for one application."""

    __tablename__ = "interview"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    plan_stage_id: Mapped[int] = mapped_column(ForeignKey("plan_stage.id"), index=True)
    #: The kit fixed for this interview, so every candidate of the stage gets the same one.
    kit_version_id: Mapped[int | None] = mapped_column(ForeignKey("kit_version.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    #: The organiser's zone, used to show the slot as it was booked.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    location: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[InterviewStatus] = mapped_column(
        str_enum(InterviewStatus), default=InterviewStatus.SCHEDULED, index=True
    )
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    #: Calendar identity: ``uid`` stays across reschedules, ``sequence`` counts them.
    uid: Mapped[str] = mapped_column(String(100), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(default=0)

    application: Mapped[Application] = relationship()
    plan_stage: Mapped[PlanStage] = relationship()
    kit_version: Mapped[KitVersion | None] = relationship()
    panel: Mapped[list[PanelMember]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        #: The reports read the interviews a team held in a range of days.
        Index(None, "team_id", "starts_at"),
        #: An application's interviews, and those over by a time, from the index alone (the
        #: dashboard's overdue scorecards of the applications in the process).
        Index(None, "application_id", "status", "ends_at", "id"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    @property
    def interviewers(self) -> list[User]:
        return [member.user for member in self.panel]


class PanelMember(TeamScoped, Base):
    """An interviewer on the panel of one interview."""

    __tablename__ = "panel_member"

    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)

    interview: Mapped[Interview] = relationship(back_populates="panel")
    user: Mapped[User] = relationship()

    #: A user's seats from the index alone (My interviews, whatever their history).
    __table_args__ = (Index(None, "user_id", "team_id", "interview_id"),)


class Availability(TeamScoped, Base):
    """A weekly window in which a user takes interviews, in the user's own time zone."""

    __tablename__ = "availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: 0 = Monday ... 6 = Sunday.
    weekday: Mapped[int]
    start_time: Mapped[time]
    end_time: Mapped[time]

    user: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
    )


class AvailabilityException(TeamScoped, Base):
    """A date on which a user's weekly availability does not apply.

    Without times the whole day is off; with times, the window is added
    (``available``) or taken away.
    """

    __tablename__ = "availability_exception"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    on_date: Mapped[date]
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    available: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()

    __table_args__ = (
        Index(None, "user_id", "on_date"),
        CheckConstraint(
            "start_time IS NULL OR end_time IS NULL OR end_time > start_time",
            name="ends_after_start",
        ),
    )


class CandidateWindow(TeamScoped, Base):
    """A time, proposed by the candidate on the portal, in which they can be interviewed."""

    __tablename__ = "candidate_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()

    __table_args__ = (
        Index(None, "application_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )


# The offers' tables live beside these; importing them here lets the metadata know them.
from interviewer.scheduling import offer_models  # noqa: E402, F401
