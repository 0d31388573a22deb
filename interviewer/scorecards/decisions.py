"""Recording the decision that ends a debrief, and moving the application accordingly.

The pipeline decides which moves are legal; a decision is only ever recorded together with
the move it makes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application
from interviewer.candidates.pipeline import Move
from interviewer.db import utcnow
from interviewer.scorecards.debrief import Missing, missing_scorecards
from interviewer.scorecards.level_fit import join_names
from interviewer.scorecards.models import Decision, DecisionOutcome
from interviewer.scorecards.signals import decision_recorded

#: The pipeline move each outcome makes.
OUTCOME_MOVES = {
    DecisionOutcome.ADVANCE: Move.ADVANCE,
    DecisionOutcome.REJECT: Move.REJECT,
    DecisionOutcome.OFFER: Move.OFFER,
    DecisionOutcome.HIRE: Move.HIRE,
}


#: What each outcome does, when the pipeline allows it.
_EFFECTS = {
    DecisionOutcome.REJECT: "Closes the application with a reason from the list below.",
    DecisionOutcome.OFFER: "Moves the application to Offer.",
    DecisionOutcome.HIRE: "Marks the candidate hired and closes the application.",
}


def outcome_options(application: Application) -> dict[DecisionOutcome, tuple[bool, str]]:
    """For each outcome: whether the pipeline allows its move now, and what it does or why not."""
    stages = list(application.job.stages)
    options = {}
    for outcome, move in OUTCOME_MOVES.items():
        try:
            target = pipeline.check_move(application, move, stages)
        except pipeline.MoveError as error:
            options[outcome] = (False, f"Not possible now: {error}")
        else:
            effect = f"Moves to {target.name}." if move is Move.ADVANCE else _EFFECTS[outcome]
            options[outcome] = (True, effect)
    return options


class DecisionError(ValueError):
    """A decision cannot be recorded as asked; the message says why."""


class MissingScorecards(DecisionError):
    """Scorecards are missing and the decider has not confirmed deciding without them."""

    def __init__(self, missing: Sequence[Missing]) -> None:
        self.missing = list(missing)
        count = len(self.missing)
        super().__init__(
            f"{count} scorecard{'s are' if count != 1 else ' is'} missing: "
            f"{join_names([str(m) for m in self.missing])}. Confirm to decide without "
            f"{'them' if count != 1 else 'it'}."
        )


def record_decision(
    session: Session,
    application: Application,
    actor: User,
    *,
    outcome: DecisionOutcome | str,
    rationale: str,
    reason: str | None = None,
    confirm_missing: bool = False,
    now: datetime | None = None,
) -> Decision:
    """Record ``outcome`` for ``application`` with its rationale, and make the matching move.

    ``reason`` is the rejection reason (one of the pipeline's). Raises ``MoveError`` when the
    pipeline refuses the move, ``MissingScorecards`` when panel members of past interviews
    have not submitted and ``confirm_missing`` is false, ``DecisionError`` without a
    rationale; nothing is changed then. Adds a ``Decision`` and an audit event, and flushes.
    """
    outcome = DecisionOutcome(outcome)
    rationale = (rationale or "").strip()
    if not rationale:
        raise DecisionError("Say why: the rationale is kept with the decision.")
    now = now or utcnow()
    move = OUTCOME_MOVES[outcome]
    # An illegal move is reported first: confirming missing scorecards would not help it.
    pipeline.check_move(application, move, list(application.job.stages))
    missing = missing_scorecards(session, application, now)
    if missing and not confirm_missing:
        raise MissingScorecards(missing)
    reason = reason if outcome is DecisionOutcome.REJECT else None
    pipeline.move(session, application, move, actor, reason=reason, note=rationale, now=now)
    decision = Decision(
        team_id=application.team_id,
        application=application,
        decided_by=actor,
        outcome=outcome,
        rationale=rationale,
        created_at=now,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        team_id=application.team_id,
        actor=actor,
        action="decision.recorded",
        subject=decision,
        outcome=outcome.value,
        application_id=application.id,
        reason=reason,
        missing_scorecards=[str(m) for m in missing],
    )
    session.flush()
    decision_recorded.send(decision, session=session)
    return decision
