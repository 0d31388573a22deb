"""When an application closes (rejected or withdrawn): its remaining interviews.

The manager is offered to cancel the interviews still to come in the same transaction as the
move. The panel gets the cancellation with the calendar file (``METHOD:CANCEL``) that removes
the event; the candidate gets no separate "interview cancelled" email, since the rejection or
withdrawal is the news they hear, and a second email saying "we will be in touch about what
comes next" would contradict it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, selectinload

from interviewer.auth.models import User
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.candidates.pipeline import Move
from interviewer.db import in_team, utcnow
from interviewer.emails import moves
from interviewer.scheduling import emails
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scheduling.services import cancel_interview

#: The reason each closing status gives the cancelled interviews (kept on the interview).
CANCEL_REASONS = {
    ApplicationStatus.REJECTED: "The application was rejected.",
    ApplicationStatus.WITHDRAWN: "The candidate withdrew.",
}


def upcoming_interviews(
    session: Session, application: Application, now: datetime | None = None
) -> list[Interview]:
    """The application's booked interviews that have not started yet, soonest first."""
    now = now or utcnow()
    return list(
        session.scalars(
            in_team(Interview, application.team_id)
            .where(
                Interview.application_id == application.id,
                Interview.status == InterviewStatus.SCHEDULED,
                Interview.starts_at > now,
            )
            .options(
                selectinload(Interview.plan_stage),
                selectinload(Interview.panel).selectinload(PanelMember.user),
            )
            .order_by(Interview.starts_at, Interview.id)
        )
    )


def upcoming_of(interviews: list[Interview], now: datetime) -> list[Interview]:
    """Of ``interviews`` already loaded, those booked that have not started yet."""
    return [i for i in interviews if i.status == InterviewStatus.SCHEDULED and i.starts_at > now]


def cancel_remaining_interviews(
    session: Session,
    application: Application,
    *,
    actor: User | None,
    sender: str | None = None,
    now: datetime | None = None,
) -> list[Interview]:
    """Cancel the upcoming interviews of ``application``, just closed, and queue the panel's
    cancellations (with the calendar file) in the outbox; return the interviews cancelled.

    Call it in the transaction of the move, after it: the reason names the closing status.
    """
    now = now or utcnow()
    reason = CANCEL_REASONS.get(application.status, "The application was closed.")
    cancelled = []
    for interview in upcoming_interviews(session, application, now):
        cancel_interview(session, interview, reason, actor=actor)
        emails.queue_interview_email(
            session, interview, emails.EmailKind.CANCELLED, now=now, sender=sender, candidate=False
        )
        cancelled.append(interview)
    return cancelled


def settle_interviews(
    session: Session,
    application: Application,
    cancel: bool,
    *,
    actor: User | None,
    sender: str | None = None,
    now: datetime | None = None,
) -> str:
    """After closing ``application``: cancel its upcoming interviews when ``cancel``, else
    keep them; return what happened to them in a sentence ("" when there were none)."""
    if cancel:
        count = len(
            cancel_remaining_interviews(session, application, actor=actor, sender=sender, now=now)
        )
        return f"Cancelled {_interviews(count)}; the panel is told." if count else ""
    count = len(upcoming_interviews(session, application, now))
    if count:
        return f"{_interviews(count).capitalize()} remain{'s' if count == 1 else ''} booked."
    return ""


def _interviews(count: int) -> str:
    return "1 upcoming interview" if count == 1 else f"{count} upcoming interviews"


def make_move(
    session: Session,
    application: Application,
    move: Move,
    actor: User,
    *,
    reason: str | None,
    note: str | None,
    cancel_interviews: bool | None,
    email_action: str | None,
    email_subject: str = "",
    email_body: str = "",
    sender: str,
) -> str:
    """A move along the plan and what follows it, as the board and the API make it: when the
    move closes the application, its interviews still to come are cancelled (or kept, with
    ``cancel_interviews`` false), and the candidate's email goes as chosen (``email_action``:
    ``send``, ``edit`` with the subject and body, or ``none``). ``None`` for a choice the
    move's form does not offer. The caller commits; returns the one-line result."""
    pipeline.move(session, application, move, actor, reason=reason, note=note)
    message = pipeline.summary(application)
    if cancel_interviews is not None:
        settled = settle_interviews(
            session, application, cancel_interviews, actor=actor, sender=sender
        )
        message = f"{message} {settled}"
    if email_action is not None:
        sent = moves.send_move_email(
            session, application, move, email_action, subject=email_subject, body=email_body
        )
        message = f"{message.strip()} {sent}"
    return message.strip()
