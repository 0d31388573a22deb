"""What plans ask the features above them before deleting plan stages."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

stage_interviews = _signals.signal(
    "stage-interviews",
    doc="""How many interviews of some plan stages are on record.

    Sent with ``session`` and ``stage_ids`` (a list). Each receiver returns a count.
    """,
)

stage_candidates = _signals.signal(
    "stage-candidates",
    doc="""How many candidates are currently at some plan stages.

    Sent with ``session`` and ``stage_ids`` (a list). Each receiver returns a count.
    """,
)
