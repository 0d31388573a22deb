"""What every report is narrowed by: the team, a range of days, a job and a level.

The range counts the applications *received* in it (funnel, speed, calibration,
reliability, fairness) or the interviews *held* in it (interviewer load, scorecard
turnaround, scheduling lead time); each report page says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select

from interviewer.candidates.models import Application
from interviewer.plans.models import Job
from interviewer.scheduling.models import Interview, InterviewStatus

#: The default range: this many days, up to and including today.
DEFAULT_DAYS = 180


def default_range(today: date) -> tuple[date, date]:
    """The last ``DEFAULT_DAYS`` days up to and including ``today``."""
    return today - timedelta(days=DEFAULT_DAYS - 1), today


@dataclass(frozen=True)
class ReportFilter:
    """A team's report narrowed to ``start``..``end`` (inclusive days, in UTC), and to one
    job or one level when they are set."""

    team_id: int
    start: date
    end: date
    job_id: int | None = None
    level_id: int | None = None

    @property
    def start_at(self) -> datetime:
        """The first moment of the range: ``start`` at 00:00 UTC."""
        return datetime.combine(self.start, time(), tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        """The moment after the range: the day after ``end`` at 00:00 UTC (exclusive)."""
        return datetime.combine(self.end + timedelta(days=1), time(), tzinfo=UTC)

    def jobs(self) -> Select:
        """``select(Job.id)``: the team's jobs that the job and level filters leave."""
        statement = select(Job.id).where(Job.team_id == self.team_id)
        if self.job_id is not None:
            statement = statement.where(Job.id == self.job_id)
        if self.level_id is not None:
            statement = statement.where(Job.level_id == self.level_id)
        return statement

    def applications(self) -> Select:
        """``select(Application.id)``: the team's applications received in the range, of
        the jobs the filters leave."""
        statement = select(Application.id).where(
            Application.team_id == self.team_id,
            Application.created_at >= self.start_at,
            Application.created_at < self.end_at,
        )
        return self.of_jobs(statement, Application.job_id)

    def interviews(self) -> Select:
        """``select(Interview.id)``: the team's interviews held in the range (by their
        start), not cancelled, of applications to the jobs the filters leave."""
        statement = select(Interview.id).where(
            Interview.team_id == self.team_id,
            Interview.status != InterviewStatus.CANCELLED,
            Interview.starts_at >= self.start_at,
            Interview.starts_at < self.end_at,
        )
        if self.job_id is None and self.level_id is None:
            # Every interview is of an application: no need to read them all to count it.
            return statement
        statement = statement.join(Application, Application.id == Interview.application_id)
        return self.of_jobs(statement, Application.job_id)

    def of_jobs(self, statement: Select, job_column) -> Select:
        """``statement`` narrowed to the jobs the job and level filters leave, by its
        ``job_column``."""
        if self.job_id is not None:
            statement = statement.where(job_column == self.job_id)
        if self.level_id is not None:
            statement = statement.where(job_column.in_(self.jobs()))
        return statement
