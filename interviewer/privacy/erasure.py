"""Erasing a candidate: their identity and every free text that could name them are removed,
while ratings, stages, statuses and dates stay, anonymised, so that reports still add up.

The same service serves an erasure on request (an admin, on the candidate page) and the
retention period (the daily job, :mod:`interviewer.privacy.retention`). Features that keep
more about candidates remove their part by answering
``candidates.signals.candidate_erasing``, and say what that part is by answering
``candidate_erasure_summary``.

Of a scorecard, all the free text goes (evidence, key takeaways, amendment reasons, in every
version), not only the sentences that name the candidate: a name can hide in a nickname, a
misspelling or a pronoun that no search would find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from interviewer import audit
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import User
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application, Candidate
from interviewer.candidates.signals import candidate_erasing, candidate_erasure_summary
from interviewer.db import utcnow
from interviewer.mail.models import OutboxEmail, OutboxStatus
from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import Decision, Scorecard
from interviewer.signals import values_from_signal

#: Why a candidate was erased, as the audit event records it.
ON_REQUEST, RETENTION = "request", "retention"
#: What an email still waiting to go to an erased candidate says instead.
NOT_SENT = "Not sent: the candidate's data was erased."
#: Keys of audit event data that hold what someone typed (a move's note, an amendment's or an
#: interview's reason), whatever it says. A ``reason`` picked from the team's list of reasons
#: to reject or withdraw stays: reports count them.
FREE_TEXT_KEYS = {"note", "rationale", "amendment_reason", "key_takeaways", "evidence", "reason"}


class ErasureError(ValueError):
    """An erasure the candidate's state does not allow, in words for the admin."""


def erased_name(candidate: Candidate) -> str:
    return f"Erased candidate #{candidate.id}"


def erased_email(candidate: Candidate) -> str:
    """A placeholder unique in the team that is no address (no ``@``): nothing can be sent
    to it, and a later application with the person's real address makes a new candidate."""
    return f"erased-candidate-{candidate.id}"


def open_applications(candidate: Candidate) -> list[Application]:
    """The candidate's applications still in the pipeline (active, on hold, offer)."""
    return [a for a in candidate.applications if not a.status.is_closed]


@dataclass
class ErasureRows:
    """Everything of the candidate's that erasure changes, loaded in a fixed few queries."""

    applications: list[Application]
    interviews: list[Interview]
    scorecards: list[Scorecard]
    decisions: list[Decision]
    #: Emails to the candidate, and the panel's emails about their interviews.
    emails: list[OutboxEmail]
    events: list[AuditEvent]
    to_candidate: set[int] = field(default_factory=set)

    @property
    def waiting_emails(self) -> list[OutboxEmail]:
        return [e for e in self.emails if e.status in (OutboxStatus.WAITING, OutboxStatus.SENDING)]


def load_rows(session: Session, candidate: Candidate) -> ErasureRows:
    team_id = candidate.team_id
    applications = session.scalars(
        select(Application).where(
            Application.team_id == team_id, Application.candidate_id == candidate.id
        )
    ).all()
    ids = [a.id for a in applications]
    interviews = session.scalars(
        select(Interview).where(Interview.team_id == team_id, Interview.application_id.in_(ids))
    ).all()
    interview_ids = [i.id for i in interviews]
    scorecards = session.scalars(
        select(Scorecard)
        .where(Scorecard.team_id == team_id, Scorecard.application_id.in_(ids))
        .options(selectinload(Scorecard.ratings), selectinload(Scorecard.revisions))
    ).all()
    decisions = session.scalars(
        select(Decision).where(Decision.team_id == team_id, Decision.application_id.in_(ids))
    ).all()
    emails = session.scalars(
        select(OutboxEmail).where(
            OutboxEmail.team_id == team_id,
            or_(
                OutboxEmail.to_email == candidate.email,
                OutboxEmail.interview_id.in_(interview_ids),
            ),
        )
    ).all()
    subjects = {
        "candidate": [candidate.id],
        "application": ids,
        "interview": interview_ids,
        "scorecard": [card.id for card in scorecards],
        "decision": [decision.id for decision in decisions],
    }
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.team_id == team_id,
            or_(
                *(
                    (AuditEvent.subject_type == kind) & AuditEvent.subject_id.in_(values)
                    for kind, values in subjects.items()
                )
            ),
        )
    ).all()
    return ErasureRows(
        list(applications),
        list(interviews),
        list(scorecards),
        list(decisions),
        list(emails),
        list(events),
        {email.id for email in emails if email.to_email == candidate.email},
    )


@dataclass(frozen=True)
class ErasurePlan:
    """What the confirmation page says: what goes, what stays, and what stops the erasure."""

    removed: list[str]
    kept: list[str]
    blockers: list[Application]


def _their(number: int, word: str) -> str:
    """Such as "their scorecard" or "their 3 scorecards"."""
    return f"their {word}" if number == 1 else f"their {number} {word}s"


def _notes_sentence(rows: ErasureRows) -> str:
    parts = ["the notes on their applications' moves"]
    if rows.decisions:
        parts.append(f"the rationale of {_their(len(rows.decisions), 'decision')}")
    if rows.interviews:
        interviews = _their(len(rows.interviews), "interview")
        parts.append(f"the reasons given for moving or cancelling {interviews}")
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return text[0].upper() + text[1:] + "."


def erasure_plan(session: Session, candidate: Candidate) -> ErasurePlan:
    """What erasing ``candidate`` would remove and keep, in sentences for the admin."""
    rows = load_rows(session, candidate)
    cards = _their(len(rows.scorecards), "scorecard") if rows.scorecards else "their scorecards"
    removed = [
        f"Their name (shown as “{erased_name(candidate)}” from then on), email, phone, "
        "links, notes and time zone.",
        f"All the free text of {cards} (evidence, key takeaways and amendment reasons, in "
        "every version): all of it, not only the sentences that name them, since a name can "
        "hide where no search finds it.",
        _notes_sentence(rows),
    ]
    if rows.emails:
        waiting = len(rows.waiting_emails)
        removed.append(
            f"The text and calendar files of the {len(rows.emails)} "
            f"email{'' if len(rows.emails) == 1 else 's'} sent to them or to the panel about "
            "them, and their name in the subjects."
            + (f" {waiting} still waiting will not be sent." if waiting else "")
        )
    removed += [
        "Their private portal links, which stop working, and the time zone they picked there.",
        *sorted(values_from_signal(candidate_erasure_summary.send(candidate))),
    ]
    kept = [
        "Each application: job, stage, status, exit reason and dates.",
        "Interviews (stage, time, panel), ratings and recommendations, decisions' outcomes.",
        "Their source, and when they were added.",
        "So the pipeline, the debriefs' numbers and the reports still add up, without them.",
    ]
    return ErasurePlan(removed, kept, open_applications(candidate))


def _mentions(text: str, needles: list[str]) -> bool:
    lowered = text.lower()
    return any(needle and needle in lowered for needle in needles)


def _scrub_data(event: AuditEvent, needles: list[str]) -> None:
    """Drop what someone typed, and anything naming the candidate, from an event's data."""
    listed = set(pipeline.reject_reasons(event.team_id)) | set(pipeline.WITHDRAW_REASONS)
    data: dict[str, Any] = dict(event.data or {})
    for key in list(data):
        value = data[key]
        typed = key in FREE_TEXT_KEYS and not (key == "reason" and value in listed)
        if typed or (isinstance(value, str) and _mentions(value, needles)):
            del data[key]
    if data != event.data:
        # A new dict: the JSON column does not notice changes made inside the old one.
        event.data = data


def _scrub_scorecard(card: Scorecard) -> None:
    card.key_takeaways = ""
    card.amendment_reason = ""
    for rating in card.ratings:
        rating.evidence = ""
    for revision in card.revisions:
        content = dict(revision.content or {})
        content["key_takeaways"] = ""
        content["ratings"] = [{**r, "evidence": ""} for r in content.get("ratings", [])]
        revision.content = content
        revision.reason = ""


def _redact(text: str, candidate: Candidate, replacement: str) -> str:
    for needle in (candidate.name, candidate.email):
        if needle:
            text = re.sub(re.escape(needle), replacement, text, flags=re.IGNORECASE)
    return text


def _scrub_email(email: OutboxEmail, candidate: Candidate, to_candidate: bool) -> None:
    if email.status in (OutboxStatus.WAITING, OutboxStatus.SENDING):
        email.status = OutboxStatus.FAILED
    # An error may quote the address; a failed email now only says why it will never go.
    email.last_error = NOT_SENT if email.status is OutboxStatus.FAILED else ""
    email.subject = _redact(email.subject, candidate, erased_name(candidate))
    email.body = ""
    email.ics = ""
    if to_candidate:
        email.to_email = erased_email(candidate)
        email.to_name = ""


def erase_candidate(
    session: Session,
    candidate: Candidate,
    *,
    actor: User | None,
    reason: str = ON_REQUEST,
    now: datetime | None = None,
) -> bool:
    """Erase ``candidate``'s identity and free text, keep the rest anonymised; flushes.

    Returns ``False`` for a candidate erased already (nothing changes). Raises
    :class:`ErasureError` while an application is still open: close it first, so that no
    interview or email can reach the erased candidate.
    """
    if candidate.is_erased:
        return False
    blockers = open_applications(candidate)
    if blockers:
        jobs = ", ".join(sorted(a.job.title for a in blockers))
        raise ErasureError(
            f"Close their open application{'s' if len(blockers) > 1 else ''} first "
            f"(reject or withdraw: {jobs}); an open application can still be scheduled."
        )
    now = now or utcnow()
    candidate_erasing.send(candidate, session=session, now=now)
    rows = load_rows(session, candidate)
    needles = [text.lower() for text in (candidate.name, candidate.email) if text]
    for card in rows.scorecards:
        _scrub_scorecard(card)
    for decision in rows.decisions:
        decision.rationale = ""
    for interview in rows.interviews:
        interview.cancel_reason = ""
    for application in rows.applications:
        application.exit_note = ""
        application.portal_timezone = None
        # A new generation revokes every link given out before.
        application.portal_generation += 1
    for email in rows.emails:
        _scrub_email(email, candidate, email.id in rows.to_candidate)
    for event in rows.events:
        _scrub_data(event, needles)
    candidate.name = erased_name(candidate)
    candidate.email = erased_email(candidate)
    candidate.phone = ""
    candidate.links = ""
    candidate.notes = ""
    candidate.timezone = None
    candidate.erased_at = now
    audit.record(
        session,
        team_id=candidate.team_id,
        actor=actor,
        action="candidate.erased",
        subject=candidate,
        reason=reason,
    )
    session.flush()
    return True
