"""The refusals of scorecard actions, each with a message for the person who tried it."""

from __future__ import annotations

from collections.abc import Mapping

from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import Scorecard


class ScorecardError(Exception):
    """A refused scorecard action; the message is meant for the person who tried it."""


class NotOnPanel(ScorecardError):
    """Only the interview's panel members write its scorecards."""


class NotStartedYet(ScorecardError):
    """Scorecards are written once the interview has started."""

    def __init__(self, interview: Interview) -> None:
        super().__init__("You can write your scorecard once the interview has started.")
        self.starts_at = interview.starts_at


class InterviewCancelled(ScorecardError):
    """A cancelled interview has nothing to score."""


class ScorecardLocked(ScorecardError):
    """A submitted scorecard changes only through an amendment."""

    def __init__(self, scorecard: Scorecard) -> None:
        super().__init__("This scorecard is submitted and locked; amend it to change it.")
        self.submitted_at = scorecard.submitted_at


class StaleScorecard(ScorecardError):
    """The scorecard changed after the form was loaded (another tab or another save)."""

    def __init__(self) -> None:
        super().__init__("This scorecard was changed in another tab or by another save.")


class IncompleteScorecard(ScorecardError):
    """What a submission or amendment still lacks.

    ``errors`` maps ``"recommendation"``, ``"ratings"``, ``"reason"``, ``"changes"`` or a
    skill id (the evidence of that skill) to messages.
    """

    def __init__(self, errors: Mapping[str | int, list[str]]) -> None:
        super().__init__("The scorecard is not complete yet.")
        self.errors = dict(errors)
