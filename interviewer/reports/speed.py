"""The speed report: how long applications stay in each stage, how long until a decision
and a hire, how soon interviewers submit their scorecards, and how far ahead interviews
are booked.

Time in stage and time to a decision or hire count the applications *received* in the
range; scorecard turnaround and scheduling lead time count the interviews *held* in it.
Every figure is a median and a 90th percentile by ``stats.percentiles`` (linear
interpolation between ranks), computed in SQL with its n: six queries, whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.candidates.models import Application, ApplicationStatus, StageVisit
from interviewer.db import utcnow
from interviewer.plans.models import PlanStage
from interviewer.reports.charts import Chart, Row, bar_chart
from interviewer.reports.filters import ReportFilter
from interviewer.reports.models import PanelSeat
from interviewer.reports.stages import stage_key, stage_names
from interviewer.reports.stats import (
    DAY,
    HOUR,
    MIN_N,
    Percentiles,
    missing,
    percentiles,
    seconds_between,
    share,
    within,
)
from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import Decision, DecisionOutcome

#: The decisions that settle an application (an "advance" only moves it to the next stage):
#: time to decision runs from the application to the latest of these.
SETTLING = (DecisionOutcome.REJECT, DecisionOutcome.OFFER, DecisionOutcome.HIRE)

#: A scorecard submitted within this long after the interview ended counts as on time.
ON_TIME = DAY


@dataclass(frozen=True)
class StageTime:
    """Time spent in one stage: closed stays only; ``open`` stays are still running."""

    key: int
    name: str
    figures: Percentiles | None
    open: int = 0

    @property
    def n(self) -> int:
        return self.figures.n if self.figures else 0


@dataclass(frozen=True)
class Turnaround:
    """One interviewer's time from an interview's end to their submitted scorecard."""

    interviewer_id: int
    name: str
    figures: Percentiles | None
    #: Scorecards submitted within ``ON_TIME`` of the end.
    on_time: int
    #: Interviews over (in the range) that still wait for this interviewer's scorecard.
    waiting: int = 0

    @property
    def n(self) -> int:
        return self.figures.n if self.figures else 0

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.n) if self.n >= MIN_N else None


@dataclass(frozen=True)
class SpeedReport:
    report_filter: ReportFilter
    stages: list[StageTime]
    to_decision: Percentiles | None
    to_hire: Percentiles | None
    turnaround: list[Turnaround]
    lead_time: Percentiles | None


def speed_report(session: Session, report_filter: ReportFilter) -> SpeedReport:
    """The speed report for ``report_filter``."""
    return SpeedReport(
        report_filter=report_filter,
        stages=_stage_times(session, report_filter),
        to_decision=_overall(session, _to_decision(report_filter)),
        to_hire=_overall(session, _to_hire(report_filter)),
        turnaround=_turnaround(session, report_filter),
        lead_time=_overall(session, _lead_time(report_filter)),
    )


def _overall(session: Session, values) -> Percentiles | None:
    """The percentiles of all of ``values`` (``None`` when there is none)."""
    return percentiles(session, values).get(())


def _received(report_filter: ReportFilter, *columns) -> Select:
    """The applications received in the range (``report_filter.applications()``, joined to
    directly rather than through ``IN``) with ``columns`` instead of their ids."""
    return report_filter.applications().with_only_columns(*columns, maintain_column_froms=True)


def _held(report_filter: ReportFilter, *columns) -> Select:
    """The interviews held in the range (``report_filter.interviews()``) with ``columns``."""
    return report_filter.interviews().with_only_columns(*columns, maintain_column_froms=True)


def _stays(report_filter: ReportFilter, *columns) -> Select:
    """The stays of the applications received, with their stage's key as ``stage``."""
    return (
        _received(report_filter, stage_key(report_filter).label("stage"), *columns)
        .join(StageVisit, StageVisit.application_id == Application.id)
        .join(PlanStage, PlanStage.id == StageVisit.plan_stage_id)
    )


def _stage_times(session: Session, report_filter: ReportFilter) -> list[StageTime]:
    """Closed stays per stage (``StageVisit`` with a ``left_at``); open ones have no
    duration yet, so they are counted apart."""
    stays = _stays(
        report_filter, seconds_between(StageVisit.entered_at, StageVisit.left_at).label("value")
    )
    figures = percentiles(session, stays, ["stage"], extra={"open": missing()})
    return [
        StageTime(
            key,
            name,
            figures[key] if key in figures and figures[key].n else None,
            int(figures[key].extra["open"] or 0) if key in figures else 0,
        )
        for key, name in stage_names(session, report_filter)
    ]


def _to_decision(report_filter: ReportFilter) -> Select:
    """Seconds from each application received to its latest settling decision."""
    decided_at = func.max(Decision.created_at)
    return (
        _received(report_filter, seconds_between(Application.created_at, decided_at).label("value"))
        .join(
            Decision,
            and_(Decision.application_id == Application.id, Decision.outcome.in_(SETTLING)),
        )
        .group_by(Application.id, Application.created_at)
    )


def _to_hire(report_filter: ReportFilter) -> Select:
    """Seconds from each hired application received to its closing (the hire)."""
    value = seconds_between(Application.created_at, Application.closed_at).label("value")
    return _received(report_filter, value).where(Application.status == ApplicationStatus.HIRED)


def _turnaround(session: Session, report_filter: ReportFilter) -> list[Turnaround]:
    """Per panel member of the interviews held, the end of the interview to their
    scorecard's first submission (``submitted_at``, which an amendment keeps). A draft or
    no scorecard has no time: it is waiting once the interview is over. Read off the
    panel seats (``PanelSeat``), which hold these times."""
    now = utcnow()
    panel = select(
        PanelSeat.interviewer_id.label("interviewer"),
        PanelSeat.ends_at.label("ends_at"),
        PanelSeat.seconds.label("value"),
    ).where(
        PanelSeat.team_id == report_filter.team_id,
        PanelSeat.starts_at >= report_filter.start_at,
        PanelSeat.starts_at < report_filter.end_at,
    )
    if report_filter.job_id is not None or report_filter.level_id is not None:
        panel = report_filter.of_jobs(
            panel.join(Application, Application.id == PanelSeat.application_id),
            Application.job_id,
        )
    extra = {
        "on_time": within(ON_TIME),
        "waiting": lambda c: func.sum(case((and_(c.value.is_(None), c.ends_at < now), 1), else_=0)),
    }
    figures = percentiles(session, panel, ["interviewer"], extra=extra)
    names = _names(session, report_filter, figures)
    rows = [
        Turnaround(
            interviewer_id=user_id,
            name=names.get(user_id, ""),
            figures=found if found.n else None,
            on_time=int(found.extra["on_time"] or 0),
            waiting=int(found.extra["waiting"] or 0),
        )
        for user_id, found in figures.items()
        if found.n or found.extra["waiting"]
    ]
    return sorted(rows, key=lambda row: (row.name.lower(), row.interviewer_id))


def _names(session: Session, report_filter: ReportFilter, ids) -> dict[int, str]:
    """The names of the team's users ``ids``; one query, none when there is nobody."""
    if not ids:
        return {}
    statement = select(User.id, User.name).where(
        User.team_id == report_filter.team_id, User.id.in_(list(ids))
    )
    return dict(session.execute(statement).all())


def _lead_time(report_filter: ReportFilter) -> Select:
    """Seconds from booking each interview held (``created_at``) to its start."""
    return _held(
        report_filter, seconds_between(Interview.created_at, Interview.starts_at).label("value")
    )


def stage_chart(report: SpeedReport) -> Chart:
    """Time in stage as bars: the median, the 90th percentile as the tick, n in the note."""
    unit, size = _unit([stage.figures for stage in report.stages])
    rows = [
        Row(
            stage.name,
            _in(stage.figures, "median", size),
            tick=_in(stage.figures, "p90", size),
            note=f"n = {stage.n}",
        )
        for stage in report.stages
    ]
    shown = [stage for stage in report.stages if stage.figures and stage.figures.enough]
    if shown:
        slowest = max(shown, key=lambda stage: stage.figures.median)
        summary = (
            f"Applications stay longest in {slowest.name}: a median of "
            f"{duration(slowest.figures.median)} (n = {slowest.n})."
        )
    else:
        summary = f"No stage has {MIN_N} or more finished stays yet to show a time."
    return bar_chart("Time in each stage", summary, rows, unit=unit, tick_label="90th percentile")


def turnaround_chart(report: SpeedReport) -> Chart:
    """Scorecard turnaround per interviewer: the median in hours, the share within 24 hours
    in the note; slow medians are flagged."""
    rows = []
    for row in report.turnaround:
        note = f"n = {row.n}"
        if row.on_time_share is not None:
            note = f"{row.on_time_share:.0%} within 24 h · {note}"
        rows.append(
            Row(
                row.name,
                _in(row.figures, "median", HOUR),
                tick=_in(row.figures, "p90", HOUR),
                note=note,
                flag=_turnaround_flag(row),
            )
        )
    shown = [row for row in report.turnaround if row.on_time_share is not None]
    if shown:
        on_time = sum(row.on_time for row in shown)
        counted = sum(row.n for row in shown)
        summary = (
            f"{on_time / counted:.0%} of the scorecards of {len(shown)} interviewers with "
            f"{MIN_N} or more came within 24 hours of the interview (n = {counted})."
        )
    else:
        summary = f"No interviewer has {MIN_N} or more submitted scorecards in the range yet."
    # Drawn against a day at least, so that a few hours look short.
    longest = max((v for row in rows for v in (row.value, row.tick) if v is not None), default=0)
    return bar_chart(
        "Scorecard turnaround",
        summary,
        rows,
        unit="h",
        max_value=max(ON_TIME / HOUR, longest),
        tick_label="90th percentile",
    )


def _turnaround_flag(row: Turnaround) -> str:
    if row.figures is None or not row.figures.enough:
        return ""
    if row.figures.median > ON_TIME:
        return "bad"
    return "warn" if (row.on_time_share or 0) < 0.8 else ""


def _unit(figures: list[Percentiles | None]) -> tuple[str, float]:
    """Days when some 90th percentile shown is two days or more, else hours."""
    longest = max((f.p90 for f in figures if f is not None and f.enough), default=0)
    return ("days", DAY) if longest >= 2 * DAY else ("h", HOUR)


def _in(figures: Percentiles | None, name: str, size: float) -> float | None:
    """The figure ``name`` in units of ``size`` seconds, or ``None`` when n is too small."""
    if figures is None or not figures.enough:
        return None
    return round(getattr(figures, name) / size, 1)


def duration(seconds: float | None) -> str:
    """A duration in the unit people think in: minutes, hours, or days."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "under a minute"
    if seconds < HOUR:
        return f"{round(seconds / 60)} min"
    if seconds < 2 * DAY:
        hours = seconds / HOUR
        return f"{hours:.1f} h" if hours < 10 else f"{round(hours)} h"
    days = seconds / DAY
    return f"{days:.1f} days" if days < 10 else f"{round(days)} days"


def speed_csv(report: SpeedReport) -> tuple[list[str], list[list]]:
    """One row per figure: what it measures, for which stage or interviewer, n, the median
    and 90th percentile in hours (blank when n is under ``MIN_N``), and the on-time share."""
    header = [
        "measure",
        "group",
        "n",
        "median_hours",
        "p90_hours",
        "within_24h_share",
        "not_counted",
    ]
    rows = [
        ["time in stage", stage.name, stage.n, *_hours(stage.figures), None, stage.open]
        for stage in report.stages
    ]
    rows.append(["application to decision", "all", *_counted(report.to_decision), None, None])
    rows.append(["application to hire", "all", *_counted(report.to_hire), None, None])
    rows.extend(
        [
            "scorecard turnaround",
            row.name,
            row.n,
            *_hours(row.figures),
            _rounded(row.on_time_share, 3),
            row.waiting,
        ]
        for row in report.turnaround
    )
    rows.append(["scheduling lead time", "all", *_counted(report.lead_time), None, None])
    return header, rows


def _counted(figures: Percentiles | None) -> list:
    return [figures.n if figures else 0, *_hours(figures)]


def _hours(figures: Percentiles | None) -> list[float | None]:
    if figures is None or not figures.enough:
        return [None, None]
    return [_rounded(figures.median / HOUR, 2), _rounded(figures.p90 / HOUR, 2)]


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
