"""Bulk moves on the pipeline board: the cards a manager ticks move on together, are put on
hold, or are rejected with one reason, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from interviewer.auth.models import User
from interviewer.auth.permissions import manager_required
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application
from interviewer.candidates.pipeline import Move, MoveError
from interviewer.dashboard import bp
from interviewer.extensions import db
from interviewer.mail.settings import default_sender
from interviewer.plans.access import get_job_or_404
from interviewer.plans.models import Job
from interviewer.scheduling import closing

#: What the board's bulk bar offers, in its order.
BULK_MOVES = {Move.ADVANCE: "Move to next stage", Move.HOLD: "Put on hold", Move.REJECT: "Reject"}
#: At most this many cards move in one go (a board column shows fewer).
MOST = 200


@dataclass
class BulkResult:
    moved: list[Application] = field(default_factory=list)
    #: Applications that could not make the move, with why.
    refused: list[tuple[Application, str]] = field(default_factory=list)

    def message(self, move: Move) -> str:
        """One line for the flash: how many moved, and who could not and why."""
        done = {Move.ADVANCE: "moved on", Move.HOLD: "put on hold", Move.REJECT: "rejected"}
        parts = []
        if self.moved:
            n = len(self.moved)
            parts.append(f"{n} candidate{'s' if n != 1 else ''} {done[move]}.")
        for application, why in self.refused:
            parts.append(f"{application.candidate.name}: {why}")
        if move is Move.REJECT and self.moved:
            parts.append("No email was sent; send one from each candidate's page if needed.")
        return " ".join(parts)


def bulk_move(
    session: Session,
    job: Job,
    application_ids: list[int],
    move: Move,
    actor: User,
    *,
    reason: str | None = None,
    note: str = "",
    cancel_interviews: bool = True,
    sender: str = "",
) -> BulkResult:
    """Make ``move`` on each of ``job``'s applications in ``application_ids`` (others are
    ignored); one that cannot make it is left as it is and reported. A rejection also
    cancels the remaining interviews when ``cancel_interviews``."""
    result = BulkResult()
    if move is Move.REJECT and not (reason or "").strip():
        raise MoveError("Choose a rejection reason for the candidates you ticked.")
    applications = session.scalars(
        select(Application)
        .where(
            Application.team_id == job.team_id,
            Application.job_id == job.id,
            Application.id.in_(application_ids[:MOST]),
        )
        .options(selectinload(Application.candidate))
        .order_by(Application.id)
    ).all()
    for application in applications:
        try:
            pipeline.move(session, application, move, actor, reason=reason, note=note)
        except MoveError as error:
            result.refused.append((application, str(error)))
            continue
        if move is Move.REJECT:
            closing.settle_interviews(
                session, application, cancel_interviews, actor=actor, sender=sender
            )
        result.moved.append(application)
    return result


@bp.route("/jobs/<int:job_id>/board/bulk", methods=["POST"])
@manager_required
def board_bulk(job_id: int):
    """Move the ticked cards of the board together; back to the board, the cards that did
    not move still ticked."""
    job = get_job_or_404(job_id, selectinload(Job.stages))
    ids = request.form.getlist("application", type=int)
    back = _board_url(job)
    move = next((m for m in BULK_MOVES if m.value == request.form.get("action")), None)
    if move is None or not ids:
        flash(
            "Choose what to do with the candidates you ticked."
            if ids
            else "Tick the cards of the candidates to move first.",
            "danger",
        )
        return redirect(back(ids))
    try:
        result = bulk_move(db.session, job, ids, move, current_user, **_bulk_fields())
    except MoveError as error:
        flash(str(error), "danger")
        return redirect(back(ids))
    db.session.commit()
    flash(result.message(move), "success" if result.moved else "danger")
    return redirect(back([application.id for application, _ in result.refused]))


def _bulk_fields() -> dict:
    return {
        "reason": request.form.get("reason"),
        "note": request.form.get("note", "")[:2000],
        "cancel_interviews": bool(request.form.get("cancel_interviews")),
        "sender": default_sender(current_app.config),
    }


def _board_url(job: Job):
    """The board as it was (filters kept), with the given cards ticked."""
    kept = {key: request.form[key] for key in ("status", "stage") if request.form.get(key)}

    def url(selected: list[int]) -> str:
        ticked = {"selected": ",".join(map(str, selected))} if selected else {}
        return url_for("dashboard.board", job_id=job.id, **kept, **ticked)

    return url
