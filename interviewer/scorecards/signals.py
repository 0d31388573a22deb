"""What scorecards tell the features above them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

scorecard_submitted = _signals.signal(
    "scorecard-submitted",
    doc="""A scorecard (the sender) was submitted or amended, and flushed.

    Sent with ``session``. Features that keep figures derived from submitted ratings (the
    reports' running sums) bring their rows for the scorecard's application up to date
    there (flush, never commit).
    """,
)

decision_recorded = _signals.signal(
    "decision-recorded",
    doc="""A decision (the sender) was recorded and flushed; sent with ``session``.""",
)
