"""Calibration: how each interviewer rates compared with the rest of the panel.

Per interviewer, over the applications received in the range and their submitted
scorecards only: how many scorecards, the spread of overall recommendations, **leniency**
(the mean of their rating minus the mean of the other interviewers' ratings of the same
application and skill, with its standard error and n) and how often their recommendation
agreed with the application's latest decision. Two aggregate queries over the running
sums per application and interviewer (``RaterSummary``, which carries that decision);
Python only turns n, sum of d and sum of d squared into a mean and a standard error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.reports.charts import Chart, Row, dot_chart
from interviewer.reports.filters import ReportFilter
from interviewer.reports.models import RaterSummary
from interviewer.reports.summaries import received_in
from interviewer.scorecards.models import DecisionOutcome

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
    in_range = received_in(RaterSummary, report_filter)
    people: dict[int, InterviewerCalibration] = {}
    for user_id, name, scorecards, *by_value in session.execute(_recommendations(in_range)):
        person = people.setdefault(user_id, InterviewerCalibration(user_id, name))
        person.scorecards += int(scorecards or 0)
        for value, (count, decided, agreed) in zip(
            RECOMMENDATIONS, _triples(by_value), strict=True
        ):
            person.recommendations[value] += int(count or 0)
            person.decided += int(decided or 0)
            person.agreed += int(agreed or 0)
    for user_id, n, total, squares in session.execute(_leniency(in_range)):
        if user_id in people:
            people[user_id].leniency = Leniency(int(n or 0), float(total or 0), float(squares or 0))
    return CalibrationResult(interviewers=list(people.values()))


def _triples(values: list) -> list[tuple]:
    return [tuple(values[i : i + 3]) for i in range(0, len(values), 3)]


def _leniency(in_range):
    """Per interviewer: n, sum of d and sum of d^2 over the (application, skill) units they
    rated that someone else rated too, added up from the running sums per application
    (``RaterSummary``, kept by ``reports.summaries``). A statement of its own: floating
    sums depend on the order rows are added in, and this one adds them as it always has."""
    return (
        select(
            RaterSummary.interviewer_id,
            func.sum(RaterSummary.compared),
            func.sum(RaterSummary.difference_sum),
            func.sum(RaterSummary.difference_squares),
        )
        .where(in_range)
        .group_by(RaterSummary.interviewer_id)
    )


def _recommendations(in_range):
    """Per interviewer: the submitted scorecards, then for each overall recommendation 1-4
    how many, how many can be compared with the application's latest decision (which the
    rows carry), and how many agreed with it (3-4 with advance/offer/hire, 1-2 with
    reject)."""
    decision = RaterSummary.decision
    decided = decision.is_not(None)
    positive_decision = decision.in_(POSITIVE)
    columns = []
    for value in RECOMMENDATIONS:
        count = RaterSummary.__table__.c[f"recommended_{value}"]
        agrees = positive_decision if value >= 3 else and_(decided, ~positive_decision)
        columns += [
            func.sum(count),
            func.sum(case((decided, count), else_=0)),
            func.sum(case((agrees, count), else_=0)),
        ]
    return (
        select(User.id, User.name, func.sum(RaterSummary.scorecards), *columns)
        .join(User, User.id == RaterSummary.interviewer_id)
        .where(in_range)
        .group_by(User.id, User.name)
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
