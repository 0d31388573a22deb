"""Loading the team's scorecards by id.

Who may read a colleague's scorecard is the independence rule (``independence``); a view
that refuses shows the interviewer what they still owe, so that check stays in the view.
"""

from __future__ import annotations

from typing import Any

from interviewer.db import get_in_team_or_404
from interviewer.scorecards.models import Scorecard


def get_scorecard_or_404(scorecard_id: Any, *options: Any) -> Scorecard:
    """A scorecard of the signed-in user's team, loaded with ``options``, or 404."""
    return get_in_team_or_404(Scorecard, scorecard_id, *options)
