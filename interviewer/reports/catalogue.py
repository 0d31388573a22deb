"""The reports there are, in the order of the tabs, and who may read each.

A report whose views are not there (yet) is left out of the tabs and the index
(``has_endpoint``). Each report's CSV download is the endpoint ``<endpoint>_csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.auth.models import Role

MANAGERS = (Role.ADMIN, Role.HIRING_MANAGER)
#: What a report's range counts.
APPLICATIONS, INTERVIEWS = "applications", "interviews"


@dataclass(frozen=True)
class ReportLink:
    """One report: its page's endpoint, its tab's label, who may open it, a line for the
    index, and what its date range counts."""

    endpoint: str
    label: str
    roles: tuple[Role, ...]
    summary: str = ""
    counts: str = APPLICATIONS

    @property
    def csv_endpoint(self) -> str:
        """The endpoint of the report's CSV download (a download is its own)."""
        return self.endpoint if self.is_download else f"{self.endpoint}_csv"

    @property
    def is_download(self) -> bool:
        """Whether the report is a CSV file rather than a page."""
        return self.endpoint.endswith("_csv")


REPORTS = [
    ReportLink(
        "reports.funnel",
        "Funnel",
        MANAGERS,
        "How many applications reached each stage, went on, and where and why the others left.",
    ),
    ReportLink(
        "reports.speed",
        "Speed",
        MANAGERS,
        "Time in each stage, to a decision and to a hire; scorecard turnaround; lead time.",
    ),
    ReportLink(
        "reports.load",
        "Interviewer load",
        MANAGERS,
        "Interviews per interviewer per week against their weekly limit.",
        INTERVIEWS,
    ),
    ReportLink(
        "reports.calibration",
        "Calibration",
        MANAGERS,
        "Each interviewer's recommendations, leniency against their panels, and agreement "
        "with the decisions.",
    ),
    ReportLink(
        "reports.reliability",
        "Reliability",
        MANAGERS,
        "How far interviewers agree on each skill and stage (Krippendorff's alpha).",
    ),
    ReportLink(
        "reports.fairness",
        "Fairness",
        (Role.ADMIN,),
        "Pass-through by self-identified group and the adverse impact ratio (four-fifths rule).",
    ),
    ReportLink(
        "reports.ratings_csv",
        "Ratings export",
        MANAGERS,
        "Every submitted rating (application, stage, skill, interviewer, rating) as a CSV.",
    ),
]


def report_for(endpoint: str | None) -> ReportLink | None:
    """The report whose page (or CSV download) ``endpoint`` is."""
    return next((link for link in REPORTS if endpoint in (link.endpoint, link.csv_endpoint)), None)
