"""Running sums of the submitted ratings, kept so that calibration and reliability read one
row per application and skill (or interviewer) rather than every rating of the range.

Both tables are derived: ``reports.summaries`` rebuilds an application's rows from its
submitted scorecards whenever one of them is submitted or amended, and nothing else writes
them. Only the latest version of each scorecard counts; drafts and "not assessed" never do.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index
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
    )
