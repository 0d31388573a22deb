"""What the catalogue asks the features above it before deleting a skill or a level."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

skill_usage = _signals.signal(
    "skill-usage",
    doc="""Where a skill (the sender) is used outside the catalogue.

    Sent with ``session``. Each receiver returns its lines in the user's words (such as
    "rated on 2 scorecards"), in its own order, or an empty list.
    """,
)

level_jobs = _signals.signal(
    "level-jobs",
    doc="""The titles of the jobs opened for a level (the sender), by title.

    Sent with ``session``. Each receiver returns a list of titles, possibly empty.
    """,
)
