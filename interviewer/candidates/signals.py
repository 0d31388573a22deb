"""What candidates ask the features and faces above them: where an application's private link
leads, and their part of a candidate's data export and erasure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace

_signals = Namespace()

portal_link = _signals.signal(
    "portal-link",
    doc="""The address of the candidate's private page of an application (the sender).

    Sent with ``external`` (absolute address when true). The face that serves the page (the
    portal) returns the address; nothing is returned when no face serves one.
    """,
)

candidate_export = _signals.signal(
    "candidate-export",
    doc="""A part of what the team holds about a candidate (the sender), for their data export.

    Each feature that keeps something of its own about candidates (CV files, voluntary
    self-identification...) returns an :class:`ExportPart`, or nothing when it holds
    nothing about this candidate.
    """,
)

candidate_erasure_summary = _signals.signal(
    "candidate-erasure-summary",
    doc="""What a feature will remove when the candidate (the sender) is erased, in a short
    phrase for the confirmation page, such as "their 2 CV files"; nothing when it holds
    nothing about them.
    """,
)

candidate_erasing = _signals.signal(
    "candidate-erasing",
    doc="""The candidate (the sender) is being erased: remove what your feature keeps that
    identifies them, in ``session`` (flush, never commit).

    Sent with ``session`` and ``now``, before the candidate's own identity is removed, so a
    receiver can still read their name and email.
    """,
)


@dataclass(frozen=True)
class ExportPart:
    """What one feature adds to a candidate's data export."""

    #: The key of the part in ``candidate.json``, such as ``"files"``.
    name: str
    #: Anything ``json.dumps`` can write; times as RFC 3339 strings in UTC.
    data: Any
    #: Files for the ZIP, by their path inside it (under ``files/``), with their content.
    files: dict[str, bytes] = field(default_factory=dict)


application_created = _signals.signal(
    "application-created",
    doc="""An application (the sender) was created and flushed. Sent with ``session``;
    receivers add rows there (never commit), so they share the change's transaction.""",
)

application_moved = _signals.signal(
    "application-moved",
    doc="""An application (the sender) moved along the plan or changed status, flushed.

    Sent with ``session``, ``move`` (the move's value), ``from_stage`` and ``from_status``.
    """,
)
