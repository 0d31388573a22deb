"""Calibration: how each interviewer rates compared with the rest of the panel.

Per interviewer, over the applications received in the range and their submitted
scorecards only: how many scorecards, the spread of overall recommendations, **leniency**
(the mean of their rating minus the mean of the other interviewers' ratings of the same
application and skill, with its standard error and n) and how often their recommendation
agreed with the application's latest decision. Two aggregate queries; Python only turns
n, sum of d and sum of d squared into a mean and a standard error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.reports.charts import Chart, Row, dot_chart
from interviewer.reports.filters import ReportFilter
from interviewer.scorecards.models import (
    Decision,
    DecisionOutcome,
    Rating,
    Scorecard,
    ScorecardState,
)

#: A "lenient" or "harsh" mark needs at least this many compared ratings, besides an
#: interval that excludes 0: with fewer the standard error itself is too rough.
MIN_COMPARED = 10
Z_95 = 1.96
RECOMMENDATIONS = (1, 2, 3, 4)
POSITIVE = (DecisionOutcome.ADVANCE, DecisionOutcome.OFFER, DecisionOutcome.HIRE)


@dataclass(frozen=True)
class Leniency:
    """The differences d = own rating - others' mean, summed per interviewer."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def standard_error(self) -> float | None:
        """sd / sqrt(n), with the sample standard deviation; None below two differences."""
        if self.n < 2:
            return None
        variance = max(self.squares - self.n * self.mean**2, 0.0) / (self.n - 1)
        return math.sqrt(variance / self.n)

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.standard_error is None:
            return None
        half = Z_95 * self.standard_error
        return self.mean - half, self.mean + half

    @property
    def mark(self) -> str:
        """ "lenient" or "harsh" when n is large enough and the 95 % interval excludes 0."""
        if self.n < MIN_COMPARED or self.interval is None:
            return ""
        low, high = self.interval
        if low > 0:
            return "lenient"
        return "harsh" if high < 0 else ""


@dataclass
class InterviewerCalibration:
    user_id: int
    name: str
    scorecards: int = 0
    recommendations: dict[int, int] = field(
        default_factory=lambda: dict.fromkeys(RECOMMENDATIONS, 0)
    )
    leniency: Leniency = field(default_factory=Leniency)
    decided: int = 0  # recommendations compared with a decision
    agreed: int = 0

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.decided if self.decided else None


@dataclass(frozen=True)
class CalibrationResult:
    interviewers: list[InterviewerCalibration]


def calibration_report(session: Session, report_filter: ReportFilter) -> CalibrationResult:
    """One row per interviewer who submitted a scorecard for an application in the range."""
    applications = report_filter.applications()
    submitted = and_(
        Scorecard.team_id == report_filter.team_id,
        Scorecard.state == ScorecardState.SUBMITTED,
        Scorecard.application_id.in_(applications),
    )
    people: dict[int, InterviewerCalibration] = {}
    for user_id, name, recommendation, count, decided, agreed in session.execute(
        _recommendations(submitted, report_filter)
    ):
        person = people.setdefault(user_id, InterviewerCalibration(user_id, name))
        person.scorecards += count
        if recommendation in person.recommendations:
            person.recommendations[recommendation] += count
            person.decided += decided
            person.agreed += int(agreed or 0)
    for user_id, n, total, squares in session.execute(_leniency(submitted)):
        if user_id in people:
            people[user_id].leniency = Leniency(n, float(total), float(squares))
    return CalibrationResult(interviewers=list(people.values()))


def _leniency(submitted):
    """Per interviewer: n, sum of d and sum of d^2 over the (application, skill) units they
    rated that someone else rated too. An interviewer who rated a unit twice (in two
    stages) is compared once, at their mean, with the others' mean."""
    # Grouped by unit first, then interviewer: the groups come out in the order the window
    # over the unit reads them, so one sort serves both. Counts are floats, so that the
    # differences below are worked out in floating point rather than in NUMERIC.
    own = (
        select(
            Scorecard.interviewer_id.label("user_id"),
            Scorecard.application_id,
            Rating.skill_id,
            cast(func.sum(Rating.score), Float).label("own_sum"),
            cast(func.count(Rating.score), Float).label("own_n"),
        )
        .join(Scorecard, Scorecard.id == Rating.scorecard_id)
        .where(submitted, Rating.score.is_not(None))
        .group_by(Scorecard.application_id, Rating.skill_id, Scorecard.interviewer_id)
        .subquery()
    )
    unit = [own.c.application_id, own.c.skill_id]
    with_unit = select(
        own.c.user_id,
        own.c.own_sum,
        own.c.own_n,
        func.sum(own.c.own_sum).over(partition_by=unit).label("unit_sum"),
        func.sum(own.c.own_n).over(partition_by=unit).label("unit_n"),
    ).subquery()
    d = (with_unit.c.own_sum / with_unit.c.own_n) - (
        (with_unit.c.unit_sum - with_unit.c.own_sum) / (with_unit.c.unit_n - with_unit.c.own_n)
    )
    differences = (
        select(with_unit.c.user_id, d.label("d"))
        .where(with_unit.c.unit_n > with_unit.c.own_n)
        .subquery()
    )
    return select(
        differences.c.user_id,
        func.count(),
        func.sum(differences.c.d),
        func.sum(differences.c.d * differences.c.d),
    ).group_by(differences.c.user_id)


def _recommendations(submitted, report_filter):
    """Per interviewer and overall recommendation: the submitted scorecards, how many of
    them can be compared with the application's latest decision, and how many agreed with
    it (3-4 with advance/offer/hire, 1-2 with reject)."""
    ranked = (
        select(
            Decision.application_id,
            Decision.outcome,
            func.row_number()
            .over(
                partition_by=Decision.application_id,
                order_by=(Decision.created_at.desc(), Decision.id.desc()),
            )
            .label("rank"),
        )
        .where(
            Decision.team_id == report_filter.team_id,
            Decision.application_id.in_(report_filter.applications()),
        )
        .subquery()
    )
    positive_decision = ranked.c.outcome.in_(POSITIVE)
    positive_recommendation = Scorecard.recommendation >= 3
    agrees = case(
        (and_(positive_recommendation, positive_decision), 1),
        (and_(~positive_recommendation, ~positive_decision), 1),
        else_=0,
    )
    return (
        select(
            User.id,
            User.name,
            Scorecard.recommendation,
            func.count(),
            func.count(ranked.c.outcome),
            func.sum(agrees),
        )
        .join(User, User.id == Scorecard.interviewer_id)
        .outerjoin(
            ranked,
            and_(ranked.c.application_id == Scorecard.application_id, ranked.c.rank == 1),
        )
        .where(submitted)
        .group_by(User.id, User.name, Scorecard.recommendation)
        .order_by(User.name, User.id)
    )


def calibration_csv(result: CalibrationResult) -> tuple[list[str], list[list]]:
    header = [
        "interviewer",
        "scorecards",
        *(f"recommendation_{value}" for value in RECOMMENDATIONS),
        "leniency_mean",
        "leniency_se",
        "leniency_n",
        "leniency_mark",
        "agreement_share",
        "agreement_n",
    ]
    rows = []
    for person in result.interviewers:
        lenient = person.leniency
        rows.append(
            [
                person.name,
                person.scorecards,
                *(person.recommendations[value] for value in RECOMMENDATIONS),
                _round(lenient.mean),
                _round(lenient.standard_error),
                lenient.n,
                lenient.mark,
                _round(person.agreement),
                person.decided,
            ]
        )
    return header, rows


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


def shown(leniency: Leniency) -> bool:
    """Whether the page prints the mean: from ``MIN_COMPARED`` compared ratings on."""
    return leniency.n >= MIN_COMPARED


def leniency_chart(result: CalibrationResult) -> Chart:
    """Leniency per interviewer as dots with their 95 % interval, around zero."""
    rows = []
    for person in result.interviewers:
        lenient = person.leniency
        low, high = lenient.interval or (None, None)
        rows.append(
            Row(
                person.name,
                lenient.mean if shown(lenient) else None,
                low=low,
                high=high,
                note=f"n = {lenient.n}",
                flag={"lenient": "warn", "harsh": "warn"}.get(lenient.mark, ""),
            )
        )
    reach = max((abs(v) for row in rows for v in (row.low, row.high, row.value) if v), default=0)
    bound = min(max(1.0, math.ceil(reach * 2) / 2), 3.0)
    return dot_chart(
        "Leniency per interviewer",
        leniency_summary(result),
        rows,
        domain=(-bound, bound),
        unit="",
    )


def leniency_summary(result: CalibrationResult) -> str:
    lenient = [p.name for p in result.interviewers if p.leniency.mark == "lenient"]
    harsh = [p.name for p in result.interviewers if p.leniency.mark == "harsh"]
    if not result.interviewers:
        return "No submitted scorecard for the applications in the range."
    if not lenient and not harsh:
        return (
            f"No interviewer of {len(result.interviewers)} rates clearly above or below "
            "their panels (every 95 % interval includes 0, or n is too small)."
        )
    parts = []
    if lenient:
        parts.append(f"{', '.join(lenient)} rate{'s' if len(lenient) == 1 else ''} higher")
    if harsh:
        parts.append(f"{', '.join(harsh)} rate{'s' if len(harsh) == 1 else ''} lower")
    return " and ".join(parts) + " than the rest of their panels (95 % interval excludes 0)."
