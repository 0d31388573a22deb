"""The funnel: of the applications received in the range, how many reached each stage of
the plan, how many went on from it, who left there (rejected or withdrew, and why), and
how many got an offer and were hired.

Counted from the stays (``StageVisit``), so an application counts at every stage it
reached, whatever became of it later; withdrawn and erased candidates count like the
others, and no name is read. The stays are read through the funnel's rows, which
``reports.funnel_rows`` keeps: one per application (offer, hire, where it left) and one per
stage it reached (whether it went on), both by the range's index. Two queries, whatever
the number of applications: the stage names, then one statement that counts the
applications, the stages and the exits.

- *Reached* a stage: the applications with a stay in it.
- *Went on* from a stage: those that reached a later stage of their plan, or an offer.
- *Left there*: the applications whose last stay is in that stage and ended by a
  rejection or a withdrawal (one reopened and moved on has not left).
- *Offer*: the applications that reached the offer status (a stay ended by an offer, the
  status offer or hired, or a decision to offer or hire); *hired*: their status is hired.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from interviewer.reports.charts import Chart, Row, bar_chart
from interviewer.reports.filters import ReportFilter
from interviewer.reports.models import FunnelApplication, FunnelReach
from interviewer.reports.stages import stage_names

#: Below this many applications at a stage, its pass-through is not given as a rate.
MIN_RATE_N = 5
#: How each exit is named.
EXITS = {"reject": "rejected", "withdraw": "withdrew"}
NO_REASON = "No reason given"


@dataclass
class FunnelStage:
    """One stage of the funnel (a plan stage, or a stage type across jobs)."""

    key: int
    name: str
    reached: int = 0
    went_on: int = 0
    rejected: int = 0
    withdrew: int = 0

    @property
    def pass_through(self) -> float | None:
        """The share that went on, in per cent; ``None`` when none reached the stage."""
        return 100 * self.went_on / self.reached if self.reached else None

    @property
    def rate_shown(self) -> bool:
        """Whether enough applications reached the stage for its rate to say something."""
        return self.reached >= MIN_RATE_N


@dataclass
class FunnelExit:
    """How many applications left at one stage one way (rejected, withdrew) for one reason."""

    stage: str
    left_by: str
    reason: str
    applications: int


@dataclass
class FunnelResult:
    received: int
    stages: list[FunnelStage] = field(default_factory=list)
    exits: list[FunnelExit] = field(default_factory=list)
    offers: int = 0
    hired: int = 0

    @property
    def acceptance(self) -> float | None:
        """The share of offers accepted (hired), in per cent."""
        return 100 * self.hired / self.offers if self.offers else None


def funnel_report(session: Session, report_filter: ReportFilter) -> FunnelResult:
    """The funnel of the applications received in ``report_filter``'s range."""
    stages = {key: FunnelStage(key, name) for key, name in stage_names(session, report_filter)}
    result = FunnelResult(received=0)
    exit_rows = []
    for kind, stage_id, count, onward, hired, left_by, reason in session.execute(
        _counts(report_filter)
    ):
        if kind == "application":
            result.received += count
            result.offers += int(onward or 0)
            result.hired += int(hired or 0)
            if left_by is not None and stage_id in stages:
                exit_rows.append((stage_id, left_by, reason, count))
        elif stage_id in stages:
            stages[stage_id].reached, stages[stage_id].went_on = count, int(onward or 0)
    if result.received:
        result.exits = _exits(stages, exit_rows)
        result.stages = list(stages.values())
    return result


def _received(model: type[FunnelApplication] | type[FunnelReach], report_filter: ReportFilter):
    """The condition on ``model``'s rows: of the applications received in the range (read
    by index), to the jobs the filters leave (by the copied job)."""
    condition = and_(
        model.team_id == report_filter.team_id,
        model.received_at >= report_filter.start_at,
        model.received_at < report_filter.end_at,
    )
    if report_filter.job_id is not None:
        condition = and_(condition, model.job_id == report_filter.job_id)
    if report_filter.level_id is not None:
        condition = and_(condition, model.job_id.in_(report_filter.jobs()))
    return condition


def _count_of(condition):
    return func.sum(case((condition, 1), else_=0))


def _counts(report_filter: ReportFilter):
    """Everything the funnel counts, in one statement of rows (kind, stage, count, went on
    or offers, hired, left by, reason), read off the funnel's rows (``reports.funnel_rows``):

    - ``application`` rows: the applications received, with their offers and hires, by
      where they left (stage, exit and reason; all three ``None`` for those that did not):
      summed, the totals; each with a stage, the exits.
    - ``stage`` rows: the applications that reached each stage, and went on from it.
    """
    one_job = report_filter.job_id is not None
    no_text, no_number = cast(null(), String), cast(null(), Integer)
    exit_key = FunnelApplication.exit_stage_id if one_job else FunnelApplication.exit_stage_type_id
    applications = (
        select(
            literal_column("'application'").label("kind"),
            exit_key.label("stage"),
            func.count().label("n"),
            _count_of(FunnelApplication.offered).label("went_on"),
            _count_of(FunnelApplication.hired).label("hired"),
            FunnelApplication.left_by,
            FunnelApplication.reason,
        )
        .where(_received(FunnelApplication, report_filter))
        .group_by(exit_key, FunnelApplication.left_by, FunnelApplication.reason)
    )
    # For one job, each plan stage; across jobs, each stage type, where an application
    # counts once, at its first stage of that type.
    key = FunnelReach.plan_stage_id if one_job else FunnelReach.stage_type_id
    reached = _received(FunnelReach, report_filter)
    per_stage = (
        select(
            literal_column("'stage'"),
            key,
            func.count(),
            _count_of(FunnelReach.went_on),
            no_number,
            no_text,
            no_text,
        )
        .where(reached if one_job else and_(reached, FunnelReach.first_of_type))
        .group_by(key)
    )
    return union_all(applications, per_stage)


def _exits(stages: dict[int, FunnelStage], rows) -> list[FunnelExit]:
    counts: dict[tuple[int, str, str], int] = defaultdict(int)
    for stage_id, left_by, reason, count in rows:
        counts[stage_id, EXITS[left_by], reason or NO_REASON] += count
        if left_by == "reject":
            stages[stage_id].rejected += count
        else:
            stages[stage_id].withdrew += count
    order = {stage_id: index for index, stage_id in enumerate(stages)}
    return [
        FunnelExit(stages[stage_id].name, left_by, reason, count)
        for (stage_id, left_by, reason), count in sorted(
            counts.items(), key=lambda item: (order[item[0][0]], item[0][1], -item[1], item[0][2])
        )
    ]


def percent(value: float | None) -> str:
    """``62 %``; empty when there is no rate."""
    return "" if value is None else f"{value:.0f} %"


def funnel_chart(result: FunnelResult) -> Chart:
    """The funnel as bars: the applications that reached each stage, then offer and hire."""
    rows = [
        Row(stage.name, stage.reached, note=_note(stage.reached, stage.pass_through))
        for stage in result.stages
    ]
    rows.append(
        Row(
            "Offer",
            result.offers,
            note=_note(result.offers, result.acceptance, "accepted"),
            flag="good",
        )
    )
    rows.append(Row("Hired", result.hired, note=f"n = {result.hired}", flag="good"))
    return bar_chart(
        "Applications reaching each stage",
        funnel_summary(result),
        rows,
        max_value=result.received or 1,
    )


def _note(n: int, rate: float | None, verb: str = "went on") -> str:
    if not n:
        return "n = 0"
    if n < MIN_RATE_N:
        return f"n = {n}, too few for a rate"
    return f"n = {n}, {percent(rate)} {verb}"


def funnel_summary(result: FunnelResult) -> str:
    """The funnel in one sentence."""
    if not result.received:
        return "No applications were received in this range."
    reached = [stage for stage in result.stages if stage.reached]
    furthest = f", {reached[-1].reached} reached {reached[-1].name}" if len(reached) > 1 else ""
    return (
        f"Of {result.received} applications received{furthest}, {result.offers} got an "
        f"offer and {result.hired} {'was' if result.hired == 1 else 'were'} hired."
    )


FUNNEL_HEADER = [
    "Stage",
    "Reached",
    "Went on",
    "Pass-through (%)",
    "Rejected",
    "Withdrew",
    "Left by",
    "Reason",
    "Applications",
]


def funnel_csv(result: FunnelResult) -> tuple[list[str], list[list]]:
    """One row per stage (then offer), then one per stage, exit and reason."""
    rows: list[list] = [
        [s.name, s.reached, s.went_on, _rate(s.pass_through), s.rejected, s.withdrew, "", "", ""]
        for s in result.stages
    ]
    rows.append(
        ["Offer", result.offers, result.hired, _rate(result.acceptance), "", "", "", "", ""]
    )
    rows.extend(
        [exit.stage, "", "", "", "", "", exit.left_by, exit.reason, exit.applications]
        for exit in result.exits
    )
    return FUNNEL_HEADER, rows


def _rate(value: float | None) -> float | str:
    return "" if value is None else round(value, 1)
