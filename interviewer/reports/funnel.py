"""The funnel: of the applications received in the range, how many reached each stage of
the plan, how many went on from it, who left there (rejected or withdrew, and why), and
how many got an offer and were hired.

Counted from the stays (``StageVisit``), so an application counts at every stage it
reached, whatever became of it later; withdrawn and erased candidates count like the
others, and no name is read. Four aggregate queries, whatever the number of applications.

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

from sqlalchemy import case, func, or_, select, union
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


def offered_applications(report_filter: ReportFilter):
    """``select`` of the ids, among the applications received in the range, that reached
    the offer status."""
    cohort = report_filter.applications()
    return union(
        select(StageVisit.application_id).where(
            StageVisit.application_id.in_(cohort), StageVisit.left_by == "offer"
        ),
        select(Application.id).where(
            Application.id.in_(cohort),
            Application.status.in_([ApplicationStatus.OFFER, ApplicationStatus.HIRED]),
        ),
        select(Decision.application_id).where(
            Decision.application_id.in_(cohort),
            Decision.outcome.in_([DecisionOutcome.OFFER, DecisionOutcome.HIRE]),
        ),
    )


def funnel_report(session: Session, report_filter: ReportFilter) -> FunnelResult:
    """The funnel of the applications received in ``report_filter``'s range."""
    cohort = report_filter.applications()
    offered = offered_applications(report_filter).subquery()
    received, offers, hired = session.execute(
        select(
            select(func.count()).select_from(cohort.subquery()).scalar_subquery(),
            select(func.count()).select_from(offered).scalar_subquery(),
            select(func.count())
            .where(Application.id.in_(cohort), Application.status == ApplicationStatus.HIRED)
            .scalar_subquery(),
        )
    ).one()
    result = FunnelResult(received=received, offers=offers, hired=hired)
    if not received:
        return result
    stages = {key: FunnelStage(key, name) for key, name in stage_names(session, report_filter)}
    _count_stages(session, report_filter, stages, offered)
    result.exits = _count_exits(session, report_filter, stages)
    result.stages = list(stages.values())
    return result


def _furthest(report_filter: ReportFilter):
    """Per application of the range: the furthest plan position it reached, its last stay."""
    return (
        select(
            StageVisit.application_id,
            func.max(PlanStage.position).label("furthest"),
            func.max(StageVisit.id).label("last_stay"),
        )
        .join(PlanStage, PlanStage.id == StageVisit.plan_stage_id)
        .where(StageVisit.application_id.in_(report_filter.applications()))
        .group_by(StageVisit.application_id)
        .subquery()
    )


def _count_stages(session, report_filter, stages: dict[int, FunnelStage], offered) -> None:
    key = stage_key(report_filter)
    furthest = _furthest(report_filter)
    went_on = or_(
        furthest.c.furthest > PlanStage.position,
        StageVisit.application_id.in_(select(offered.c[0])),
    )
    # One row per application and stage first, then counted: grouping by hash this way
    # spares sorting every stay of the range, which COUNT(DISTINCT ...) would do.
    reached = (
        select(
            key.label("stage"),
            func.max(case((went_on, 1), else_=0)).label("went_on"),
        )
        .select_from(StageVisit)
        .join(PlanStage, PlanStage.id == StageVisit.plan_stage_id)
        .join(furthest, furthest.c.application_id == StageVisit.application_id)
        .group_by(key, StageVisit.application_id)
        .subquery("reached")
    )
    rows = session.execute(
        select(reached.c.stage, func.count(), func.sum(reached.c.went_on)).group_by(reached.c.stage)
    )
    for stage_id, count, onward in rows:
        if stage_id in stages:
            stages[stage_id].reached, stages[stage_id].went_on = count, int(onward or 0)


def _count_exits(session, report_filter, stages: dict[int, FunnelStage]) -> list[FunnelExit]:
    key = stage_key(report_filter)
    furthest = _furthest(report_filter)
    rows = session.execute(
        select(key, StageVisit.left_by, StageVisit.reason, func.count())
        .join(PlanStage, PlanStage.id == StageVisit.plan_stage_id)
        # The last stay is one of the application's own: matching its id is enough, and
        # lets the database look each one up rather than guess that few rows match two
        # columns at once.
        .join(furthest, furthest.c.last_stay == StageVisit.id)
        .where(StageVisit.left_by.in_(list(EXITS)))
        .group_by(key, StageVisit.left_by, StageVisit.reason)
    )
    counts: dict[tuple[int, str, str], int] = defaultdict(int)
    for stage_id, left_by, reason, count in rows:
        if stage_id not in stages:
            continue
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
