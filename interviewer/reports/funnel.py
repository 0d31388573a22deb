"""The funnel: of the applications received in the range, how many reached each stage of
the plan, how many went on from it, who left there (rejected or withdrew, and why), and
how many got an offer and were hired.

Counted from the stays (``StageVisit``), so an application counts at every stage it
reached, whatever became of it later; withdrawn and erased candidates count like the
others, and no name is read. Two queries, whatever the number of applications: the stage
names, then one statement that counts the applications, the stages and the exits in one
pass over the stays.

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
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from interviewer.candidates.models import Application, ApplicationStatus, StageVisit
from interviewer.plans.models import PlanStage
from interviewer.reports.charts import Chart, Row, bar_chart
from interviewer.reports.filters import ReportFilter
from interviewer.reports.stages import stage_key, stage_names
from interviewer.scorecards.models import Decision, DecisionOutcome

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


def _cohort(report_filter: ReportFilter):
    """The applications received in the range, each with whether it reached the offer
    status (``offered``) and whether it was hired (``hired``), as 1 or 0."""
    offered = or_(
        Application.status.in_([ApplicationStatus.OFFER, ApplicationStatus.HIRED]),
        Application.id.in_(select(StageVisit.application_id).where(StageVisit.left_by == "offer")),
        Application.id.in_(
            select(Decision.application_id).where(
                Decision.outcome.in_([DecisionOutcome.OFFER, DecisionOutcome.HIRE])
            )
        ),
    )
    hired = Application.status == ApplicationStatus.HIRED
    return report_filter.applications().add_columns(
        case((offered, 1), else_=0).label("offered"), case((hired, 1), else_=0).label("hired")
    )


def funnel_report(session: Session, report_filter: ReportFilter) -> FunnelResult:
    """The funnel of the applications received in ``report_filter``'s range."""
    stages = {key: FunnelStage(key, name) for key, name in stage_names(session, report_filter)}
    result = FunnelResult(received=0)
    exit_rows = []
    for kind, stage_id, count, onward, hired, left_by, reason in session.execute(
        _counts(report_filter)
    ):
        if kind == "total":
            result.received, result.offers, result.hired = count, int(onward or 0), int(hired or 0)
        elif stage_id not in stages:
            continue
        elif kind == "stage":
            stages[stage_id].reached, stages[stage_id].went_on = count, int(onward or 0)
        else:
            exit_rows.append((stage_id, left_by, reason, count))
    if result.received:
        result.exits = _exits(stages, exit_rows)
        result.stages = list(stages.values())
    return result


def _stays(report_filter: ReportFilter, cohort):
    """Every stay of the applications of ``cohort``, in one pass: its stage's key and
    position, how it ended, whether its application got an offer, per application the
    furthest plan position it reached and its last stay, and which of the application's
    stays of that stage comes first in the plan (``nth`` 1)."""
    per_application = {"partition_by": StageVisit.application_id}
    key = stage_key(report_filter)
    return (
        select(
            StageVisit.id,
            StageVisit.application_id,
            key.label("stage"),
            PlanStage.position,
            StageVisit.left_by,
            StageVisit.reason,
            cohort.c.offered,
            func.max(PlanStage.position).over(**per_application).label("furthest"),
            func.max(StageVisit.id).over(**per_application).label("last_stay"),
            # 1 on the application's first stay (by plan position) of each stage: it
            # stands for the application there, counted once however often it came back.
            func.row_number()
            .over(partition_by=[StageVisit.application_id, key], order_by=PlanStage.position)
            .label("nth"),
        )
        .select_from(cohort)
        .join(StageVisit, StageVisit.application_id == cohort.c.id)
        .join(PlanStage, PlanStage.id == StageVisit.plan_stage_id)
        .cte("stays")
    )


def _counts(report_filter: ReportFilter):
    """Everything the funnel counts, in one statement of rows (kind, stage, count, went on
    or offers, hired, left by, reason): a ``total`` row (applications received, offers,
    hired), one ``stage`` row per stage reached, one ``exit`` row per stage, exit and
    reason. The cohort is worked out once (a CTE read twice), then one pass over the stays."""
    cohort = _cohort(report_filter).cte("cohort")
    stays = _stays(report_filter, cohort)
    no_text, no_number = cast(null(), String), cast(null(), Integer)
    total = select(
        literal_column("'total'").label("kind"),
        no_number.label("stage"),
        func.count().label("n"),
        func.sum(cohort.c.offered).label("went_on"),
        func.sum(cohort.c.hired).label("hired"),
        no_text.label("left_by"),
        no_text.label("reason"),
    ).select_from(cohort)
    went_on = or_(stays.c.furthest > stays.c.position, stays.c.offered == 1)
    per_stage = (
        select(
            literal_column("'stage'"),
            stays.c.stage,
            func.count(),
            func.sum(case((went_on, 1), else_=0)),
            no_number,
            no_text,
            no_text,
        )
        .where(stays.c.nth == 1)
        .group_by(stays.c.stage)
    )
    # An application left at its last stay, if that stay ended by a rejection or withdrawal.
    left = (
        select(
            literal_column("'exit'"),
            stays.c.stage,
            func.count(),
            no_number,
            no_number,
            stays.c.left_by,
            stays.c.reason,
        )
        .where(stays.c.id == stays.c.last_stay, stays.c.left_by.in_(list(EXITS)))
        .group_by(stays.c.stage, stays.c.left_by, stays.c.reason)
    )
    return union_all(total, per_stage, left)


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
