"""The email a move sends the candidate: "moved to the next stage" when it moves on, the
rejection (the text kept for its reason first) and the withdrawal confirmation.

The move and decision forms show it before it goes, rendered for this candidate; the
manager sends it as it is, edits it for this one candidate, or sends nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from interviewer.candidates import pipeline
from interviewer.candidates.models import Application
from interviewer.candidates.pipeline import Move
from interviewer.emails.models import CandidateEmailKind as K
from interviewer.emails.rendering import Rendered
from interviewer.emails.services import candidate_email, queue_candidate_email
from interviewer.plans.models import PlanStage

#: The email each move sends; other moves send none.
MOVE_EMAILS = {Move.ADVANCE: K.MOVED_ON, Move.REJECT: K.REJECTION, Move.WITHDRAW: K.WITHDRAWAL}
#: What the manager may do with it (the forms' ``email_action``).
SEND, EDIT, DONT_SEND = "send", "edit", "none"


def stage_values(stage: PlanStage | None) -> dict[str, str]:
    """The stage's name and its candidate-facing "what to expect" text."""
    if stage is None:
        return {"stage_name": "", "what_to_expect": ""}
    kit = stage.current_kit
    return {"stage_name": stage.name, "what_to_expect": kit.what_to_expect.strip() if kit else ""}


def email_for_move(
    session: Session,
    application: Application,
    move: Move | str,
    *,
    reason: str = "",
    stage: PlanStage | None = None,
) -> Rendered | None:
    """The email ``move`` would send now, before it is made (``stage``: the stage it leads
    to; by default the next one for an advance, else the current one); ``None`` for a move
    that sends none."""
    move = Move(move)
    kind = MOVE_EMAILS.get(move)
    if kind is None:
        return None
    if stage is None and move is Move.ADVANCE:
        stage = _next_stage(application)
    values = stage_values(stage or application.current_stage)
    return candidate_email(session, application, kind, reason=reason or "", **values)


def _next_stage(application: Application) -> PlanStage | None:
    """The stage moving on would lead to, ``None`` when it cannot move on now."""
    try:
        return pipeline.check_move(application, Move.ADVANCE, list(application.job.stages))
    except pipeline.MoveError:
        return None


def send_move_email(
    session: Session,
    application: Application,
    move: Move | str,
    action: str,
    *,
    subject: str = "",
    body: str = "",
) -> str:
    """Once ``move`` is made: queue its email as the manager chose (``send``, ``edit`` with
    ``subject`` and ``body``, or ``none``); return what happened in a sentence."""
    kind = MOVE_EMAILS.get(Move(move))
    if kind is None:
        return ""
    name = application.candidate.name
    if action == DONT_SEND:
        return f"No email was sent to {name}."
    edited = {"subject": subject, "body": body} if action == EDIT else {}
    queued = queue_candidate_email(
        session,
        application,
        kind,
        reason=application.exit_reason or "",
        **stage_values(application.current_stage),
        **edited,
    )
    if queued is None:
        return f"{name} has no email address, so no email was sent."
    return f"{name} is emailed{' your edited text' if edited else ''}."
