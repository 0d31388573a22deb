"""Reliability: do the interviewers agree when they rate the same skill of the same person?

Krippendorff's alpha (ordinal) of the submitted ratings, per skill and per stage type, over
the applications received in the range. A unit is one application's ratings of one skill
(per skill) or of one skill within one stage type (per stage type); units with fewer than
two ratings are not pairable. "Not assessed" is missing, not a score, and drafts never
count. One aggregate query reads each unit's values from the stored counts per
application and skill, and per application, skill and stage type, and counts how many
units share each profile of counts (a few dozen rows per skill or stage type); Python
turns those into the 4 x 4 coincidence matrix, whatever the number of ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from interviewer.catalog.models import Skill
from interviewer.plans.models import StageType
from interviewer.reports.alpha import alpha
from interviewer.reports.charts import Chart, Row, dot_chart
from interviewer.reports.filters import ReportFilter
from interviewer.reports.models import SkillUnit, StageTypeUnit
from interviewer.reports.summaries import received_in

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
        # Marked as printed (three decimals), so .6667 is not an "unreliable 0.667".
        shown = round(self.alpha, 3)
        if shown >= RELIABLE:
            return "reliable"
        return "tentative" if shown >= TENTATIVE else "unreliable"

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
    """Alpha per skill and per stage type, from one query."""
    found: dict[tuple[str, int], tuple[str, dict, list[int]]] = {}
    for grouping, key, name, units, *counts in session.execute(_profiles(report_filter)):
        _, matrix, totals = found.setdefault((grouping, key), (name, {}, [0, 0]))
        m = sum(counts)
        totals[0] += units
        totals[1] += units * m
        for (c, n_c), (k, n_k) in product(zip(SCALE, counts, strict=True), repeat=2):
            if n_c and n_k - (c == k) > 0:
                matrix[c, k] = matrix.get((c, k), 0.0) + units * n_c * (n_k - (c == k)) / (m - 1)
    agreements = {
        (grouping, key): Agreement(key, name, alpha(matrix, "ordinal"), pairable, units)
        for (grouping, key), (name, matrix, (units, pairable)) in found.items()
    }

    def of(grouping: str) -> list[Agreement]:
        chosen = [a for (g, _), a in agreements.items() if g == grouping]
        return sorted(chosen, key=lambda a: (a.name.lower(), a.key))

    return ReliabilityResult(skills=of("skill"), stages=of("stage"))


#: The rating scale (the ``score`` column's CHECK constraint).
SCALE = (1, 2, 3, 4)


def _profiles(report_filter: ReportFilter):
    """Per skill and per stage type, how many pairable units have each profile: the counts
    (n_1, n_2, n_3, n_4) of the values 1-4 given to the unit.

    Units with the same profile add the same to the coincidence matrix
    (o_ck = sum over units of n_c (n_k - [c = k]) / (m_u - 1)), so a few dozen rows per
    skill carry everything alpha needs, whatever the number of ratings. The units are
    stored counted (``SkillUnit`` per application and skill, ``StageTypeUnit`` per
    application, skill and stage type, kept by ``reports.summaries``), so each grouping
    reads its range's units, profiles included, from one index.
    """
    return union_all(
        _profile("skill", SkillUnit, SkillUnit.skill_id, Skill, report_filter),
        _profile("stage", StageTypeUnit, StageTypeUnit.stage_type_id, StageType, report_filter),
    )


def _profile(grouping: str, model, key, entity, report_filter: ReportFilter):
    profile = [model.__table__.c[f"n{value}"] for value in SCALE]
    return (
        select(literal(grouping), entity.id, entity.name, func.count(), *profile)
        .join(entity, entity.id == key)
        .where(received_in(model, report_filter), sum(profile) >= 2)
        .group_by(entity.id, entity.name, *profile)
    )


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
