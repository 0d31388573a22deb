"""Fairness: how often each self-identified group goes on from each stage, and the adverse
impact ratio against the group that goes on most (the four-fifths rule of the US Uniform
Guidelines on Employee Selection Procedures, 29 CFR 1607.4(D)).

Answers are read only through one aggregate query (counts per stage and answer); no row
names a person. A group with fewer than :data:`MIN_GROUP` people at a stage gets no
numbers at all, so no one is singled out; "Prefer not to say" and "Not answered" are
counted, never compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.candidates.models import SelfIdentification, StageVisit
from interviewer.candidates.self_identification import (
    NOT_ANSWERED,
    PREFER_NOT_TO_SAY,
    Question,
    asked_questions,
)
from interviewer.plans.models import PlanStage
from interviewer.reports.charts import Chart, Row, bar_chart
from interviewer.reports.filters import ReportFilter
from interviewer.reports.stages import stage_key, stage_names

#: The smallest group at a stage that gets numbers.
MIN_GROUP = 5
#: A group whose rate is under this share of the highest group's is flagged.
FOUR_FIFTHS = 0.8
#: How a stay ends when the application went on from it.
WENT_ON = ("advance", "offer")
#: Answers counted but not compared.
NOT_COMPARED = (PREFER_NOT_TO_SAY, NOT_ANSWERED)
#: What the page and the CSV show in place of a small group's numbers.
TOO_FEW = f"fewer than {MIN_GROUP}"

FOUR_FIFTHS_RULE = (
    "The four-fifths rule of the US Uniform Guidelines on Employee Selection Procedures "
    "reads a group's pass-through rate below 80% of the highest group's rate as a sign of "
    "adverse impact. It is a signal to look into (the questions, the rubric, who was on "
    "the panel), not proof of bias: with small groups chance alone can cross the line."
)


@dataclass(frozen=True)
class GroupRow:
    """One self-identified group at one stage; ``reached`` is ``None`` for a group too
    small to show."""

    answer: str
    compared: bool
    reached: int | None = None
    went_on: int | None = None
    rate: float | None = None
    #: The rate over the highest compared group's rate; ``None`` without two groups.
    ratio: float | None = None

    @property
    def ratio_text(self) -> str:
        """The ratio to two decimals, rounded down, so that one under 0.8 never reads
        as 0.80."""
        if self.ratio is None:
            return ""
        return f"{math.floor(Fraction(self.ratio) * 100 + Fraction(1, 10**9)) / 100:.2f}"

    @property
    def suppressed(self) -> bool:
        return self.reached is None

    @property
    def flagged(self) -> bool:
        return self.ratio is not None and self.ratio < FOUR_FIFTHS


@dataclass(frozen=True)
class StageRow:
    key: int
    name: str
    groups: list[GroupRow]

    @property
    def flagged(self) -> bool:
        return any(group.flagged for group in self.groups)

    @property
    def highest(self) -> GroupRow | None:
        """The compared group the others are measured against."""
        rated = [group for group in self.groups if group.ratio is not None]
        return max(rated, key=lambda group: group.rate) if rated else None

    def findings(self) -> list[str]:
        """One sentence per group under four-fifths, with the counts behind it."""
        top = self.highest
        return [
            f"{group.answer}: {group.went_on} of {group.reached} went on ({group.rate:.0%}), "
            f"{group.ratio_text} of the rate of {top.answer} "
            f"({top.went_on} of {top.reached}, {top.rate:.0%})."
            for group in self.groups
            if group.flagged
        ]


@dataclass(frozen=True)
class FairnessResult:
    #: The questions the team asks; empty: the report has nothing to show.
    questions: list[Question]
    question: Question | None
    stages: list[StageRow]

    @property
    def asked(self) -> bool:
        return bool(self.questions)

    @property
    def flagged_stages(self) -> list[StageRow]:
        return [stage for stage in self.stages if stage.flagged]


def fairness_report(
    session: Session, report_filter: ReportFilter, question: str | None = None
) -> FairnessResult:
    """Pass-through per stage by the answers to ``question`` (a key among the questions
    the team asks; the first when ``None`` or not asked), of the applications received in
    the filter's range."""
    questions = asked_questions(session.get(Team, report_filter.team_id))
    if not questions:
        return FairnessResult(questions=[], question=None, stages=[])
    chosen = next((q for q in questions if q.key == question), questions[0])
    counts = _counts(session, report_filter, chosen)
    stages = [
        StageRow(key, name, _groups(chosen, counts.get(key, {})))
        for key, name in stage_names(session, report_filter)
    ]
    return FairnessResult(questions=questions, question=chosen, stages=stages)


def _counts(
    session: Session, report_filter: ReportFilter, question: Question
) -> dict[int, dict[str, tuple[int, int]]]:
    """``{stage key: {answer: (reached, went on)}}`` in one aggregate query.

    An application reached a stage when it had a stay there; it went on when a stay there
    ended by advance or offer, or it reached a later stage of its plan.
    """
    key = stage_key(report_filter)
    direct = func.max(case((StageVisit.left_by.in_(WENT_ON), 1), else_=0))
    last_here = func.max(PlanStage.position)
    per_stage = (
        select(
            StageVisit.application_id,
            key.label("stage"),
            direct.label("direct"),
            last_here.label("last_here"),
            func.max(last_here).over(partition_by=StageVisit.application_id).label("furthest"),
        )
        .join(PlanStage, PlanStage.id == StageVisit.plan_stage_id)
        .where(
            StageVisit.team_id == report_filter.team_id,
            StageVisit.application_id.in_(report_filter.applications()),
        )
        .group_by(StageVisit.application_id, key)
        .subquery()
    )
    went_on = case(
        ((per_stage.c.direct == 1) | (per_stage.c.furthest > per_stage.c.last_here), 1),
        else_=0,
    )
    answer = getattr(SelfIdentification, question.key)
    rows = session.execute(
        select(per_stage.c.stage, answer, func.count(), func.sum(went_on))
        .select_from(per_stage)
        .outerjoin(
            SelfIdentification,
            (SelfIdentification.application_id == per_stage.c.application_id)
            & (SelfIdentification.team_id == report_filter.team_id),
        )
        .group_by(per_stage.c.stage, answer)
    )
    counts: dict[int, dict[str, tuple[int, int]]] = {}
    for stage, value, reached, passed in rows:
        label = value or NOT_ANSWERED
        before = counts.setdefault(stage, {}).get(label, (0, 0))
        counts[stage][label] = (before[0] + reached, before[1] + int(passed or 0))
    return counts


def _groups(question: Question, counts: dict[str, tuple[int, int]]) -> list[GroupRow]:
    """Every answer of ``question`` (and any other found) at one stage, compared groups
    first, with rates and ratios for those large enough."""
    compared = [answer for answer in question.answers if answer not in NOT_COMPARED]
    compared += sorted(answer for answer in counts if answer not in (*compared, *NOT_COMPARED))
    shown = {
        answer: counts[answer] for answer in compared if counts.get(answer, (0, 0))[0] >= MIN_GROUP
    }
    rates = {answer: Fraction(went_on, reached) for answer, (reached, went_on) in shown.items()}
    highest = max(rates.values(), default=Fraction(0))
    comparable = len(rates) >= 2 and highest > 0
    rows = []
    for answer in compared:
        if answer not in shown:
            rows.append(GroupRow(answer, compared=True))
            continue
        reached, went_on = shown[answer]
        ratio = float(rates[answer] / highest) if comparable else None
        rows.append(GroupRow(answer, True, reached, went_on, float(rates[answer]), ratio))
    for answer in NOT_COMPARED:
        reached, went_on = counts.get(answer, (0, 0))
        if reached >= MIN_GROUP:
            rows.append(GroupRow(answer, False, reached, went_on))
        else:
            rows.append(GroupRow(answer, compared=False))
    return rows


def fairness_csv(result: FairnessResult) -> tuple[list[str], list[list]]:
    """One row per stage and group; small groups carry :data:`TOO_FEW` and no numbers."""
    header = [
        "Question",
        "Stage",
        "Group",
        "Compared",
        "Reached",
        "Went on",
        "Pass-through rate",
        "Adverse impact ratio",
        "Under four-fifths",
    ]
    rows = []
    for stage in result.stages:
        for group in stage.groups:
            rows.append(
                [
                    result.question.label,
                    stage.name,
                    group.answer,
                    "yes" if group.compared else "no",
                    TOO_FEW if group.suppressed else group.reached,
                    "" if group.suppressed else group.went_on,
                    "" if group.rate is None else round(group.rate, 4),
                    "" if group.ratio is None else round(group.ratio, 4),
                    "yes" if group.flagged else "",
                ]
            )
    return header, rows


def stage_chart(stage: StageRow, number: int) -> Chart:
    """The compared groups' pass-through rates at ``stage`` (the ``number``-th) as bars,
    each with a tick at four-fifths of the highest rate; small groups say so."""
    top = stage.highest
    rows = [
        Row(
            group.answer,
            None if group.rate is None else round(group.rate * 100, 1),
            tick=None if top is None else top.rate * FOUR_FIFTHS * 100,
            note=TOO_FEW
            if group.suppressed
            else f"{group.went_on} of {group.reached}"
            + ("" if group.ratio is None else f", ratio {group.ratio_text}"),
            flag="bad" if group.flagged else "",
        )
        for group in stage.groups
        if group.compared
    ]
    chart = bar_chart(
        f"{number}. {stage.name}: who went on",
        _summary(stage),
        rows,
        unit="%",
        max_value=100,
        tick_label="" if top is None else "Four-fifths of the highest group's rate",
    )
    chart.missing = TOO_FEW
    return chart


def _summary(stage: StageRow) -> str:
    top = stage.highest
    if top is None:
        return (
            f"At {stage.name}, fewer than two groups had {MIN_GROUP} or more people, "
            "so no rates are compared."
        )
    low = [group for group in stage.groups if group.flagged]
    if not low:
        return (
            f"At {stage.name}, every group large enough went on at four-fifths or more of "
            f"the highest rate ({top.answer}, {top.rate:.0%})."
        )
    names = ", ".join(f"{group.answer} ({group.rate:.0%})" for group in low)
    return (
        f"At {stage.name}, {names} went on at less than four-fifths of the rate of "
        f"{top.answer} ({top.rate:.0%})."
    )
