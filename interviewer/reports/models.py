"""Rows derived from the history and kept up to date, so that a report reads a few rows per
application of its range rather than every rating, seat or stay: running sums of the
submitted ratings (calibration, reliability), panel seats (speed) and the funnel's rows.

The two sums are derived: ``reports.summaries`` rebuilds an application's rows from its
submitted scorecards whenever one of them is submitted or amended, and nothing else writes
them. Only the latest version of each scorecard counts; drafts and "not assessed" never do.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from interviewer.db import Base, TeamScoped


class RatingUnit(TeamScoped, Base):
    """How many submitted ratings of each value (1-4) one application got for one skill in
    one plan stage: the reliability report's units, counted."""

    __tablename__ = "report_rating_unit"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: The plan stage, not its type: a stage's type may be changed later, and the report
    #: groups by the type it has then.
    plan_stage_id: Mapped[int] = mapped_column(
        ForeignKey("plan_stage.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: The application's ``created_at``, copied (it never changes), so that a range of days
    #: reads its own rows by index rather than every row of the team's history.
    received_at: Mapped[datetime]
    n1: Mapped[int] = mapped_column(default=0)
    n2: Mapped[int] = mapped_column(default=0)
    n3: Mapped[int] = mapped_column(default=0)
    n4: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index(None, "team_id", "received_at"),)


class SkillUnit(TeamScoped, Base):
    """``RatingUnit`` added up over one application's plan stages: the reliability
    report's unit of one skill, with how many ratings of each value it got.

    Rebuilt from ``RatingUnit`` with it, and when a plan stage is removed; a range reads
    its units (profiles included) from one index.
    """

    __tablename__ = "report_skill_unit"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    received_at: Mapped[datetime]
    n1: Mapped[int] = mapped_column(default=0)
    n2: Mapped[int] = mapped_column(default=0)
    n3: Mapped[int] = mapped_column(default=0)
    n4: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index(
            "ix_report_skill_unit_profiles",
            "team_id",
            "received_at",
            "skill_id",
            "n1",
            "n2",
            "n3",
            "n4",
            "application_id",
        ),
    )


class StageTypeUnit(TeamScoped, Base):
    """``RatingUnit`` added up over one application's plan stages of one stage type: the
    reliability report's unit of one skill within one stage type.

    The stage type is the plan stage's as it is now, so retyping or removing a plan stage
    rebuilds its job's rows too.
    """

    __tablename__ = "report_stage_type_unit"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    stage_type_id: Mapped[int] = mapped_column(
        ForeignKey("stage_type.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    received_at: Mapped[datetime]
    n1: Mapped[int] = mapped_column(default=0)
    n2: Mapped[int] = mapped_column(default=0)
    n3: Mapped[int] = mapped_column(default=0)
    n4: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index(
            "ix_report_stage_type_unit_profiles",
            "team_id",
            "received_at",
            "stage_type_id",
            "n1",
            "n2",
            "n3",
            "n4",
            "application_id",
        ),
    )


class RaterSummary(TeamScoped, Base):
    """One interviewer's submitted scorecards of one application, summed for calibration:
    how many, by overall recommendation, and their leniency there.

    Leniency is summed over the skills of the application that this interviewer and someone
    else rated: ``compared`` such skills, the sum of the differences d (their mean rating
    of the skill minus the others' mean) and of d squared.
    """

    __tablename__ = "report_rater_summary"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    interviewer_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: The application's ``created_at``, as in ``RatingUnit``.
    received_at: Mapped[datetime]
    scorecards: Mapped[int] = mapped_column(default=0)
    recommended_1: Mapped[int] = mapped_column(default=0)
    recommended_2: Mapped[int] = mapped_column(default=0)
    recommended_3: Mapped[int] = mapped_column(default=0)
    recommended_4: Mapped[int] = mapped_column(default=0)
    compared: Mapped[int] = mapped_column(default=0)
    difference_sum: Mapped[float] = mapped_column(Float, default=0.0)
    difference_squares: Mapped[float] = mapped_column(Float, default=0.0)
    #: The outcome of the application's latest decision (by time, then id); ``None``
    #: before its first. Rewritten whenever one of its decisions is, so that agreement
    #: with the decision is read off these rows without ranking every decision.
    decision: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (Index(None, "team_id", "received_at"),)


class PanelSeat(TeamScoped, Base):
    """One panel member's seat at an interview that is not cancelled, with how long after
    the interview's end their scorecard was first submitted: the speed report's scorecard
    turnaround, read by the interviews' start without joining three tables.

    Derived like the sums above: ``reports.seats`` rebuilds an interview's seats whenever
    the interview, its panel or one of its scorecards is written (a session event, so that
    every way of writing them counts), and nothing else writes them.
    """

    __tablename__ = "report_panel_seat"

    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), primary_key=True
    )
    interviewer_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: For the job and level filters.
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    #: The interview's start and end, copied.
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: The Monday of the start's ISO week in UTC (``stats.week_start``), for the load report.
    week: Mapped[date] = mapped_column(Date)
    #: Seconds from the interview's end to the scorecard's first submission (which an
    #: amendment keeps); ``None`` while there is no submitted scorecard.
    seconds: Mapped[float | None] = mapped_column(Float)

    #: A range of days reads its seats, and all the report needs of them, from the index.
    __table_args__ = (
        Index(
            "ix_report_panel_seat_held",
            "team_id",
            "starts_at",
            "interviewer_id",
            "seconds",
            "ends_at",
        ),
        #: Scorecard turnaround's seats in the order its percentiles rank them (per
        #: interviewer, by seconds), so that three years of seats need no sort.
        Index(
            "ix_report_panel_seat_turnaround",
            "team_id",
            "interviewer_id",
            "seconds",
            "starts_at",
            "ends_at",
        ),
        #: The load report's weeks, per interviewer, read from this index alone.
        Index(
            "ix_report_panel_seat_weeks",
            "team_id",
            "starts_at",
            "interviewer_id",
            "week",
            "application_id",
        ),
        #: The seats without a submitted scorecard (a partial index: the owed ones, and
        #: those ahead), per interviewer: the overdue lists read them from here alone.
        Index(
            "ix_report_panel_seat_unsubmitted",
            "team_id",
            "interviewer_id",
            "ends_at",
            "application_id",
            "interview_id",
            postgresql_where=text("seconds IS NULL"),
            sqlite_where=text("seconds IS NULL"),
        ),
        #: Each interviewer's seats by start: My interviews' past list, newest first. It
        #: holds what the speed report reads of a seat too, so that a query that picks it
        #: over the turnaround index still reads it alone.
        Index(
            "ix_report_panel_seat_by_start",
            "team_id",
            "interviewer_id",
            "starts_at",
            "interview_id",
            "ends_at",
            "seconds",
        ),
    )


class FunnelApplication(TeamScoped, Base):
    """One application as the funnel counts it: received when, whether it reached the offer
    status and was hired, and where it left (the stage of its last stay, when that stay
    ended by a rejection or a withdrawal).

    Derived from the application, its stays and its decisions: ``reports.funnel_rows``
    rebuilds an application's rows whenever one of them is written, and nothing else
    writes them.
    """

    __tablename__ = "report_funnel_application"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    #: The application's job and ``created_at``, copied, for the filters and the range.
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime]
    #: The offer status reached: by a stay ended by an offer, the status offer or hired, or
    #: a decision to offer or hire.
    offered: Mapped[bool]
    hired: Mapped[bool]
    #: The plan stage it left at (and that stage's type), how (reject, withdraw) and why;
    #: ``None`` while it has not left, or after a reopening that moved it on.
    exit_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_stage.id", ondelete="SET NULL"), index=True
    )
    exit_stage_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("stage_type.id", ondelete="SET NULL"), index=True
    )
    left_by: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (Index(None, "team_id", "received_at"),)


class FunnelReach(TeamScoped, Base):
    """One plan stage that one application reached (however often it stayed there), with
    whether it went on from it: the funnel's stage counts, without reading every stay.

    ``went_on`` and ``first_of_type`` follow the plan as it is now (positions and stage
    types), so editing a plan rebuilds its applications' rows too.
    """

    __tablename__ = "report_funnel_reach"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    plan_stage_id: Mapped[int] = mapped_column(
        ForeignKey("plan_stage.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: Copied from the plan stage and the application, as above.
    stage_type_id: Mapped[int] = mapped_column(
        ForeignKey("stage_type.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime]
    #: It reached a later stage of its plan, or the offer status.
    went_on: Mapped[bool]
    #: The first stage of its type (by plan position) that the application reached: across
    #: jobs, where the funnel groups stages by type, it stands for the application there.
    first_of_type: Mapped[bool]

    __table_args__ = (Index(None, "team_id", "received_at"),)
