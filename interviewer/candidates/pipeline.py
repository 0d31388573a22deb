"""How an application moves through its job's plan: the state machine, written down once."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import User
from interviewer.candidates import signals
from interviewer.candidates.models import Application, ApplicationStatus, StageVisit
from interviewer.db import utcnow
from interviewer.plans.models import PlanStage

S = ApplicationStatus

#: Why an application is rejected; one list per team once teams can edit it.
REJECT_REASONS = (
    "Skills below the level's bar",
    "Experience does not match the role",
    "Compensation expectations",
    "Position filled",
    "Candidate not responsive",
    "Other",
)

#: Why a candidate withdraws.
WITHDRAW_REASONS = (
    "Accepted another offer",
    "Compensation expectations",
    "Role or location not a fit",
    "Process too long",
    "Personal reasons",
    "No reason given",
)


class MoveError(ValueError):
    """An application cannot make the requested move; the message says why."""


class Move(enum.StrEnum):
    ADVANCE = "advance"
    BACK = "back"
    HOLD = "hold"
    RESUME = "resume"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    OFFER = "offer"
    HIRE = "hire"
    REOPEN = "reopen"


#: The state machine, written down once: the moves each status allows ...
ALLOWED_MOVES: dict[ApplicationStatus, tuple[Move, ...]] = {
    S.ACTIVE: (Move.ADVANCE, Move.BACK, Move.OFFER, Move.HOLD, Move.REJECT, Move.WITHDRAW),
    S.ON_HOLD: (Move.RESUME, Move.REJECT, Move.WITHDRAW),
    S.OFFER: (Move.HIRE, Move.BACK, Move.REJECT, Move.WITHDRAW),
    S.REJECTED: (Move.REOPEN,),
    S.WITHDRAWN: (Move.REOPEN,),
    S.HIRED: (),
}

#: ... and the status each move leads to.
MOVE_RESULT: dict[Move, ApplicationStatus] = {
    Move.ADVANCE: S.ACTIVE,
    Move.BACK: S.ACTIVE,
    Move.HOLD: S.ON_HOLD,
    Move.RESUME: S.ACTIVE,
    Move.REJECT: S.REJECTED,
    Move.WITHDRAW: S.WITHDRAWN,
    Move.OFFER: S.OFFER,
    Move.HIRE: S.HIRED,
    Move.REOPEN: S.ACTIVE,
}

#: Moves that need a reason, and the list it must come from (``None``: free text).
REASON_REQUIRED: dict[Move, tuple[str, ...] | None] = {
    Move.BACK: None,
    Move.REJECT: REJECT_REASONS,
    Move.WITHDRAW: WITHDRAW_REASONS,
}

#: How an application in each status is named in a sentence.
_SUBJECT = {
    S.ACTIVE: "An active application",
    S.ON_HOLD: "An application on hold",
    S.REJECTED: "A rejected application",
    S.WITHDRAWN: "A withdrawn application",
    S.OFFER: "An application at offer",
    S.HIRED: "A hired application",
}


#: What to ask for when a reason is missing.
_REASON_MISSING = {
    Move.BACK: "Say why the application moves back.",
    Move.REJECT: "Choose a rejection reason.",
    Move.WITHDRAW: "Choose why the candidate withdrew.",
}


def reject_reasons(team_id: int) -> tuple[str, ...]:
    """The reasons team ``team_id`` rejects applications for (the default list for now)."""
    return REJECT_REASONS


def reasons_for(move: Move, team_id: int) -> tuple[str, ...] | None:
    """The list a reason for ``move`` must come from; ``None`` for free text."""
    return reject_reasons(team_id) if move is Move.REJECT else REASON_REQUIRED.get(move)


# Moves --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveOption:
    """A move an application can make now, as a button says it."""

    move: Move
    label: str
    #: The reasons to pick from, ``None`` for free text; only read when ``needs_reason``.
    reasons: tuple[str, ...] | None = None
    needs_reason: bool = False


def _stage_index(application: Application, stages: list[PlanStage]) -> int | None:
    current_id = application.current_stage_id
    for index, stage in enumerate(stages):
        if stage.id == current_id:
            return index
    return None


def _target_stage(application: Application, move: Move, stages: list[PlanStage], index):
    """The stage ``move`` would put the application in (``None``: no such stage); ``index``
    is the position of its current stage in ``stages``."""
    if move is Move.ADVANCE:
        if index is None:
            return stages[0] if stages else None
        return stages[index + 1] if index + 1 < len(stages) else None
    if move is Move.BACK:
        if application.status is S.OFFER:
            # Back from an offer returns to the stage the offer was made after.
            return stages[index] if index is not None else (stages[-1] if stages else None)
        return stages[index - 1] if index else None
    return application.current_stage


def _phrase(move: Move, target: PlanStage | None) -> str:
    """What the move does, completing "cannot ..." and naming the target stage."""
    if move is Move.ADVANCE:
        return f"move forward to {target.name}" if target else "move forward"
    if move is Move.BACK:
        return f"move back to {target.name}" if target else "move back"
    return {
        Move.HOLD: "be put on hold",
        Move.RESUME: "resume",
        Move.REJECT: "be rejected",
        Move.WITHDRAW: "be withdrawn",
        Move.OFFER: "get an offer",
        Move.HIRE: "be hired",
        Move.REOPEN: "be reopened",
    }[move]


#: What the button of each move that names no stage says.
_LABELS = {
    Move.HOLD: "Put on hold",
    Move.RESUME: "Resume",
    Move.REJECT: "Reject",
    Move.WITHDRAW: "Mark withdrawn",
    Move.OFFER: "Make an offer",
    Move.HIRE: "Mark hired",
    Move.REOPEN: "Reopen",
}


def label(move: Move, target: PlanStage | None) -> str:
    """What a button making ``move`` says, e.g. "Move to System design"."""
    if move is Move.ADVANCE:
        return f"Move to {target.name}"
    if move is Move.BACK:
        return f"Move back to {target.name}"
    return _LABELS[move]


def check_move(application: Application, move: Move, stages: list[PlanStage]) -> PlanStage | None:
    """Raise ``MoveError`` if ``move`` is illegal now; return the stage it leads to."""
    return _check_move(application, move, stages, _stage_index(application, stages))


def _check_move(application: Application, move: Move, stages: list[PlanStage], index):
    """``check_move`` with the position of the current stage in ``stages`` found once."""
    if application.candidate.is_erased:
        raise MoveError("This candidate's data was erased; their applications stay as they are.")
    status = application.status
    target = _target_stage(application, move, stages, index)
    if move not in ALLOWED_MOVES[status]:
        raise MoveError(f"{_SUBJECT[status]} cannot {_phrase(move, target)}.")
    if move in (Move.ADVANCE, Move.BACK, Move.OFFER) and not stages:
        raise MoveError(f"{application.job.title} has no interview plan; build the plan first.")
    if move is Move.ADVANCE and target is None:
        current = application.current_stage
        raise MoveError(
            f"{current.name} is the last stage of the plan: make an offer instead."
            if current
            else "There is no stage to move forward to."
        )
    if move is Move.BACK and target is None:
        current = application.current_stage
        raise MoveError(
            f"{current.name} is the first stage of the plan; there is no stage before it."
            if current
            else "There is no stage to move back to."
        )
    if move is Move.OFFER and application.current_stage_id != stages[-1].id:
        raise MoveError(
            f"An offer comes after the last stage ({stages[-1].name}); "
            "move the application forward first."
        )
    return target


def available_moves(application: Application, stages: list[PlanStage]) -> list[MoveOption]:
    """The moves ``application`` can make now, in the order buttons show them.

    ``stages`` is the job's plan in order, passed in so a board can reuse one load.
    """
    return [option for option, _ in moves_with_targets(application, stages)]


def move_state(application: Application) -> tuple:
    """What the moves an application can make depend on besides its job's plan: applications
    in the same state can make the same moves (a board works them out once per state)."""
    return (
        application.status,
        application.current_stage_id,
        application.candidate.is_erased,
        application.team_id,
    )


def moves_with_targets(
    application: Application, stages: list[PlanStage]
) -> list[tuple[MoveOption, PlanStage | None]]:
    """``available_moves`` with the stage each leads to, each move checked once (a board
    needs both for every card)."""
    index = _stage_index(application, stages)
    moves = []
    for move in ALLOWED_MOVES[application.status]:
        try:
            target = _check_move(application, move, stages, index)
        except MoveError:
            continue
        option = MoveOption(
            move=move,
            label=label(move, target),
            reasons=reasons_for(move, application.team_id),
            needs_reason=move in REASON_REQUIRED,
        )
        moves.append((option, target))
    return moves


#: The moves that take an application out of the stage it is in.
_ENDS_STAY = (Move.ADVANCE, Move.BACK, Move.OFFER, Move.REJECT, Move.WITHDRAW)


def enter_stage(session: Session, application: Application, now: datetime) -> None:
    """Start the application's stay in its current stage (none when it has no stage)."""
    if application.current_stage is None:
        return
    session.add(
        StageVisit(
            team_id=application.team_id,
            application=application,
            job_id=application.job_id,
            plan_stage=application.current_stage,
            entered_at=now,
        )
    )


def leave_stage(
    session: Session, application: Application, move: str, now: datetime, reason=None
) -> None:
    """End the application's open stay, if any, by ``move``."""
    stay = session.scalars(
        select(StageVisit)
        .where(StageVisit.application_id == application.id, StageVisit.left_at.is_(None))
        .order_by(StageVisit.entered_at.desc(), StageVisit.id.desc())
        .limit(1)
    ).first()
    if stay is not None:
        stay.left_at, stay.left_by, stay.reason = now, move, reason


def move(
    session: Session,
    application: Application,
    move: Move | str,
    actor: User | None,
    *,
    reason: str | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Application:
    """Make ``move`` on ``application`` and record it as an audit event.

    Raises ``MoveError`` for a move its status does not allow, a stage that does not
    exist, or a missing reason (back, reject and withdraw need one).
    """
    move = Move(move)
    now = now or utcnow()
    stages = list(application.job.stages)
    target = check_move(application, move, stages)
    reason = (reason or "").strip() or None
    note = (note or "").strip()
    if move in REASON_REQUIRED:
        allowed = reasons_for(move, application.team_id)
        if reason is None:
            raise MoveError(_REASON_MISSING[move])
        if allowed is not None and reason not in allowed:
            raise MoveError(f"Choose a reason from the list: {', '.join(allowed)}.")

    before_stage, before_status = application.current_stage, application.status
    after_status = MOVE_RESULT[move]
    if target is not None and (target.id != application.current_stage_id):
        application.current_stage = target
    # Days in stage count from entering a board column: a stage, Offer or Hired.
    if move in (Move.ADVANCE, Move.BACK, Move.OFFER, Move.HIRE, Move.REOPEN):
        application.stage_entered_at = now
    application.status = after_status
    if after_status.is_closed:
        application.closed_at = now
    if move in (Move.REJECT, Move.WITHDRAW):
        application.exit_reason = reason
        application.exit_note = note
    elif move is Move.REOPEN:
        application.closed_at = None
        application.exit_reason = None
        application.exit_note = ""
    if move in _ENDS_STAY:
        leave_stage(session, application, move.value, now, reason=reason)
    if move in (Move.ADVANCE, Move.BACK, Move.REOPEN):
        enter_stage(session, application, now)
    session.flush()
    audit.record(
        session,
        team_id=application.team_id,
        actor=actor,
        action="application.moved",
        subject=application,
        move=move.value,
        from_stage=before_stage.name if before_stage else None,
        to_stage=application.current_stage.name if application.current_stage else None,
        from_status=before_status.value,
        to_status=after_status.value,
        reason=reason,
        note=note,
    )
    signals.application_moved.send(
        application,
        session=session,
        move=move.value,
        from_stage=before_stage,
        from_status=before_status,
    )
    return application


def describe(event: AuditEvent) -> str:
    """One line saying what an audit event of an application did.

    Events written by other means (imports, demo data) may carry only some of the keys
    that ``move`` records, so each sentence falls back to what is there.
    """
    data = event.data or {}
    to_stage, from_stage = data.get("to_stage"), data.get("from_stage")
    if event.action == "application.created":
        text = f"Applied to {data.get('job') or 'the job'}"
        return f"{text}, starting at {to_stage}" if to_stage else text
    if event.action == "application.status_changed" and data.get("status"):
        return f"Status changed to {str(data['status']).replace('_', ' ')}"
    if event.action != "application.moved":
        return event.action.replace(".", " ").replace("_", " ").capitalize()
    move = data.get("move")
    if move == Move.BACK and data.get("from_status") == S.OFFER.value:
        return f"Back from offer to {to_stage}"
    sentences = {
        Move.ADVANCE: f"Moved forward from {from_stage} to {to_stage}",
        Move.BACK: f"Moved back to {to_stage}",
        Move.HOLD: f"Put on hold at {from_stage}",
        Move.RESUME: f"Resumed at {to_stage}",
        Move.REJECT: f"Rejected at {from_stage}",
        Move.WITHDRAW: f"Withdrawn at {from_stage}",
        Move.OFFER: "Offer made",
        Move.HIRE: "Hired",
        Move.REOPEN: f"Reopened at {to_stage}",
    }
    if move in sentences:
        return sentences[move]
    return f"Moved to {to_stage}" if to_stage else "Moved"


def days_in_stage(application: Application, now: datetime | None = None) -> int:
    """Whole days since the application entered its current board column."""
    return max(0, ((now or utcnow()) - application.stage_entered_at).days)


def summary(application: Application) -> str:
    """Where an application stands, in one sentence (for the result of a move)."""
    name = application.candidate.name
    stage = application.current_stage.name if application.current_stage else "no stage"
    job = application.job.title
    return {
        S.ACTIVE: f"{name} is now at {stage}.",
        S.ON_HOLD: f"{name} is on hold at {stage}.",
        S.REJECTED: f"{name} is rejected for {job}: {application.exit_reason}.",
        S.WITHDRAWN: f"{name} has withdrawn from {job}: {application.exit_reason}.",
        S.OFFER: f"{name} has an offer for {job}.",
        S.HIRED: f"{name} is hired for {job}.",
    }[application.status]
