"""Reliability: do the interviewers agree when they rate the same skill of the same person?

Krippendorff's alpha (ordinal) of the submitted ratings, per skill and per stage type, over
the applications received in the range. A unit is one application's ratings of one skill
(per skill) or of one skill within one stage type (per stage type); units with fewer than
two ratings are not pairable. "Not assessed" is missing, not a score, and drafts never
count. The coincidence matrix is summed in SQL (at most 4 x 4 cells per skill or stage
type), so the page costs the same few queries whatever the number of ratings.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import Session

from interviewer.catalog.models import Skill
from interviewer.plans.models import PlanStage, StageType
from interviewer.reports.alpha import alpha
from interviewer.reports.charts import Chart, Row, dot_chart
from interviewer.reports.filters import ReportFilter
from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import Rating, Scorecard, ScorecardState

#: Below this many pairable values (ten applications rated by two interviewers) one
#: disagreement moves alpha across a whole mark, so no number is shown.
MIN_PAIRABLE = 20
RELIABLE = 0.800
TENTATIVE = 0.667

ADVICE = {
    "reliable": "Interviewers agree on this; keep the rubric anchors as they are.",
    "tentative": "Use with care: sharpen the rubric anchors and compare notes on a few "
    "recent candidates in a calibration session.",
    "unreliable": "Interviewers disagree: rewrite the rubric anchors as observable behaviour "
    "at each score and calibrate the panel before relying on these ratings.",
    "n too small": "Too few candidates were rated by two or more interviewers to tell.",
    "no variation": "Every rating was the same score, so agreement cannot be told from chance.",
}
FLAGS = {"reliable": "good", "tentative": "warn", "unreliable": "bad"}


@dataclass(frozen=True)
class Agreement:
    """Alpha of one skill or stage type, with what it rests on."""

    key: int
    name: str
    alpha: float | None  # None when the mark is "n too small" or "no variation"
    pairable: int  # the number of pairable values (ratings in units of two or more)
    units: int  # applications (x stage type) with two or more ratings

    @property
    def mark(self) -> str:
        if self.pairable < MIN_PAIRABLE:
            return "n too small"
        if self.alpha is None:
            return "no variation"
        if self.alpha >= RELIABLE:
            return "reliable"
        return "tentative" if self.alpha >= TENTATIVE else "unreliable"

    @property
    def advice(self) -> str:
        return ADVICE[self.mark]

    @property
    def flag(self) -> str:
        return FLAGS.get(self.mark, "")


@dataclass(frozen=True)
class ReliabilityResult:
    skills: list[Agreement]
    stages: list[Agreement]


def reliability_report(session: Session, report_filter: ReportFilter) -> ReliabilityResult:
    """Alpha per skill and per stage type: two queries, one per grouping."""
    skills = _agreements(session, report_filter, Skill, by_stage=False)
    stages = _agreements(session, report_filter, StageType, by_stage=True)
    return ReliabilityResult(skills=skills, stages=stages)


def _agreements(session, report_filter, entity, *, by_stage: bool) -> list[Agreement]:
    """One coincidence matrix per ``entity`` (skill or stage type), summed in SQL."""
    unit = [Rating.skill_id, Scorecard.application_id]
    if by_stage:
        unit.append(PlanStage.stage_type_id)
    # How many submitted ratings of each value each unit has.
    values = (
        select(*unit, Rating.score.label("score"), func.count().label("n"))
        .join(Scorecard, Scorecard.id == Rating.scorecard_id)
        .join(Interview, Interview.id == Scorecard.interview_id)
        .join(PlanStage, PlanStage.id == Interview.plan_stage_id)
        .where(
            Rating.team_id == report_filter.team_id,
            Scorecard.state == ScorecardState.SUBMITTED,
            Rating.score.is_not(None),
            Scorecard.application_id.in_(report_filter.applications()),
        )
        .group_by(*unit, Rating.score)
        .subquery()
    )
    columns = [column.key for column in unit]
    values = select(
        *[values.c[c] for c in columns],
        values.c.score,
        values.c.n,
        func.sum(values.c.n).over(partition_by=[values.c[c] for c in columns]).label("m"),
    ).subquery()
    a, b = values.alias("a"), values.alias("b")
    group = a.c.stage_type_id if by_stage else a.c.skill_id
    same_value = case((a.c.score == b.c.score, 1), else_=0)
    m = cast(a.c.m, Float)
    rows = session.execute(
        select(
            entity.id,
            entity.name,
            a.c.score,
            b.c.score,
            func.sum(a.c.n * (b.c.n - same_value) / (m - 1)),
            # Summed over a unit's value pairs, n_c * n_k / m^2 adds up to one per unit.
            func.sum(a.c.n * b.c.n / (m * m)),
        )
        .select_from(a)
        .join(b, and_(*[a.c[c] == b.c[c] for c in columns]))
        .join(entity, entity.id == group)
        .where(a.c.m >= 2)
        .group_by(entity.id, entity.name, a.c.score, b.c.score)
        .order_by(entity.name, entity.id)
    ).all()
    found: dict[int, tuple[str, dict, float]] = {}
    for key_id, key_name, c, k, coincidence, units in rows:
        entry = found.setdefault(key_id, (key_name, {}, 0.0))
        entry[1][c, k] = coincidence
        found[key_id] = (key_name, entry[1], entry[2] + units)
    return [
        Agreement(
            key=key_id,
            name=key_name,
            alpha=alpha(matrix, "ordinal"),
            pairable=round(sum(matrix.values())),
            units=round(units),
        )
        for key_id, (key_name, matrix, units) in found.items()
    ]


def reliability_csv(result: ReliabilityResult) -> tuple[list[str], list[list]]:
    """One row per skill, then per stage type; alpha blank when no number is shown."""
    header = ["grouping", "name", "alpha_ordinal", "pairable_values", "units", "mark"]
    rows = [
        [grouping, a.name, _shown(a), a.pairable, a.units, a.mark]
        for grouping, agreements in (("skill", result.skills), ("stage type", result.stages))
        for a in agreements
    ]
    return header, rows


def _shown(agreement: Agreement) -> float | str:
    if agreement.mark in ("n too small", "no variation"):
        return ""
    return round(agreement.alpha, 3)


def agreement_chart(title: str, agreements: list[Agreement]) -> Chart:
    """Alpha per skill (or stage type) as dots against the .667 and .800 lines."""
    rows = [
        Row(
            a.name,
            None if _shown(a) == "" else a.alpha,
            note=f"n = {a.pairable}",
            flag=a.flag,
        )
        for a in agreements
    ]
    return dot_chart(
        title,
        agreement_summary(agreements),
        rows,
        domain=(-0.2, 1),
        references=[(TENTATIVE, "tentative .667"), (RELIABLE, "reliable .800")],
    )


def agreement_summary(agreements: list[Agreement]) -> str:
    """One sentence: how many are reliable, tentative, unreliable, and which are the worst."""
    if not agreements:
        return "No application in the range has two submitted ratings of the same skill."
    marks = [a.mark for a in agreements]
    parts = [
        f"{marks.count(mark)} {mark}"
        for mark in ("reliable", "tentative", "unreliable", "n too small", "no variation")
        if mark in marks
    ]
    unreliable = sorted((a for a in agreements if a.mark == "unreliable"), key=lambda a: a.alpha)
    worst = [a.name for a in unreliable]
    sentence = f"Of {len(agreements)}: " + ", ".join(parts)
    if worst:
        sentence += f"; interviewers disagree most on {', '.join(worst[:3])}"
    return sentence + "."
