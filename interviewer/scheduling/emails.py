"""The interview emails: what the panel and the candidate read when an interview is booked,
moved or cancelled, queued in the outbox with the calendar file.

Scheduling, rescheduling and cancelling queue one email per person (each panel member and
the candidate) in the same transaction as the change, so an invitation is never lost
(:mod:`interviewer.mail` delivers them). Without SMTP, admins read the queued emails in the
app.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.candidates import blind
from interviewer.candidates.portal_links import portal_url
from interviewer.db import utcnow
from interviewer.emails.models import CandidateEmailKind
from interviewer.emails.services import queue_candidate_email
from interviewer.mail.models import MAX_SUBJECT, OutboxEmail
from interviewer.mail.outbox import queue_emails
from interviewer.mail.settings import default_sender
from interviewer.scheduling import calendar
from interviewer.scheduling.models import Interview
from interviewer.scheduling.pool_models import InterviewTrainee
from interviewer.scheduling.services import span


class EmailKind(enum.StrEnum):
    """What an interview email tells: booked, moved (or otherwise changed), cancelled."""

    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


_VERBS = {
    EmailKind.SCHEDULED: ("Interview booked", "is booked"),
    EmailKind.RESCHEDULED: ("Interview moved", "has moved to a new time"),
    EmailKind.CANCELLED: ("Interview cancelled", "is cancelled"),
}
#: A reschedule that keeps the time (a new panel, place or link).
_UPDATED = ("Interview updated", "has been updated")


@dataclass(frozen=True)
class PreviousBooking:
    """An interview's time and panel before a reschedule, taken before the change.

    With it, the emails of a reschedule go to whoever was on the panel as well: a removed
    member gets a cancellation of their copy and a new member an invitation.
    """

    starts_at: datetime
    ends_at: datetime
    panel: tuple[User, ...]

    @classmethod
    def of(cls, interview: Interview) -> PreviousBooking:
        return cls(interview.starts_at, interview.ends_at, tuple(interview.interviewers))

    def moved(self, interview: Interview) -> bool:
        return (self.starts_at, self.ends_at) != (interview.starts_at, interview.ends_at)


def _verbs(kind: EmailKind, previous: PreviousBooking | None, interview: Interview):
    if kind == EmailKind.RESCHEDULED and previous is not None and not previous.moved(interview):
        return _UPDATED
    return _VERBS[kind]


def _interview_phrase(interview: Interview) -> str:
    """``Live coding interview``; a stage already named "... interview" is left as it is."""
    name = interview.plan_stage.name
    return name if name.lower().endswith("interview") else f"{name} interview"


def _when_lines(interview: Interview, tz: str | None, kind: EmailKind) -> list[str]:
    lines = [f"  When: {span(interview.starts_at, interview.ends_at, tz)}"]
    if kind == EmailKind.CANCELLED:
        return lines
    if interview.location:
        lines.append(f"  Where: {interview.location}")
    if interview.video_url:
        lines.append(f"  Join: {interview.video_url}")
    return lines


#: The team's email text each kind of interview email to the candidate is written from.
_CANDIDATE_KINDS = {
    EmailKind.SCHEDULED: CandidateEmailKind.INTERVIEW_INVITATION,
    EmailKind.RESCHEDULED: CandidateEmailKind.INTERVIEW_RESCHEDULED,
    EmailKind.CANCELLED: CandidateEmailKind.INTERVIEW_CANCELLED,
}


def candidate_values(
    interview: Interview, previous: PreviousBooking | None = None
) -> dict[str, str | bool]:
    """The interview's variables of the candidate's email, times in the zone their portal
    shows: the one they picked there, else theirs, else the team's."""
    application = interview.application
    tz = application.portal_timezone or application.candidate.timezone or interview.team.timezone
    return {
        "stage_name": interview.plan_stage.name,
        "interview_name": _interview_phrase(interview),
        "interview_time": span(interview.starts_at, interview.ends_at, tz),
        "location": interview.location or "",
        "video_link": interview.video_url or "",
        "interviewers": ", ".join(
            calendar.first_name(user.name) for user in interview.interviewers
        ),
        "what_to_expect": calendar.what_to_expect(interview),
        "time_changed": previous is None or previous.moved(interview),
        "previous_time": span(previous.starts_at, previous.ends_at, tz) if previous else "",
    }


def _panel_email(
    interview: Interview,
    user: User,
    kind: EmailKind,
    interview_link: str | None,
    previous: PreviousBooking | None = None,
) -> tuple[str, str]:
    application, stage = interview.application, interview.plan_stage
    candidate, job = blind.candidate_label_for(user, application), application.job
    subject_verb, verb = _verbs(kind, previous, interview)
    lines = [
        f"Hello {calendar.first_name(user.name)},",
        "",
        f"The {_interview_phrase(interview)} with {candidate} for {job.title} {verb}:",
        "",
        *_when_lines(interview, user.timezone, kind),
    ]
    if kind != EmailKind.CANCELLED:
        lines.append("  Panel: " + ", ".join(member.name for member in interview.interviewers))
        if interview_link:
            lines += ["", f"Kit and scorecard: {interview_link}"]
    return f"{subject_verb}: {stage.name} with {candidate}", "\n".join(lines)


def _removed_email(interview: Interview, user: User, previous: PreviousBooking) -> tuple[str, str]:
    """To a member taken off the panel: the slot they held is theirs again."""
    stage = interview.plan_stage
    candidate = blind.candidate_label_for(user, interview.application)
    lines = [
        f"Hello {calendar.first_name(user.name)},",
        "",
        f"You are no longer on the panel of the {_interview_phrase(interview)} with "
        f"{candidate} for {interview.application.job.title}, so it is cancelled for you:",
        "",
        f"  When: {span(previous.starts_at, previous.ends_at, user.timezone)}",
        "",
        "The attached calendar file removes it from your calendar.",
    ]
    return f"Interview cancelled for you: {stage.name} with {candidate}", "\n".join(lines)


def queue_interview_email(
    session: Session,
    interview: Interview,
    kind: EmailKind | str,
    *,
    now: datetime | None = None,
    sender: str | None = None,
    portal_link: str | None = None,
    interview_link: str | None = None,
    previous: PreviousBooking | None = None,
    candidate: bool = True,
) -> list[OutboxEmail]:
    """Queue the email about ``kind`` (scheduled, rescheduled, cancelled) to everyone involved.

    One email to each panel member and trainee sitting in (the calendar file with every
    attendee, the candidate as that member may see them: ``candidates.blind``) and one to
    the candidate (the file with only them as attendee, no internal details), written from
    the team's text of the kind (``interviewer.emails``). Times are written in each
    recipient's zone. ``portal_link`` and ``interview_link`` are added when given.

    For a reschedule, ``previous`` (the booking before the change) sends the panel's changes:
    a member taken off gets a cancellation of their copy (``METHOD:CANCEL``, same ``UID``,
    the new ``SEQUENCE``) and a new member an invitation, while the others get the update.
    ``candidate=False`` leaves the candidate out (they hear the news another way).
    """
    kind = EmailKind(kind)
    now = now or utcnow()
    organizer_email = sender or default_sender()
    method = calendar.method_for(interview).value
    before = {user.id for user in previous.panel} if previous is not None else None
    emails = []
    for user in interview.interviewers:
        own_kind = kind
        if before is not None and user.id not in before and kind == EmailKind.RESCHEDULED:
            own_kind = EmailKind.SCHEDULED
        subject, body = _panel_email(interview, user, own_kind, interview_link, previous)
        ics = calendar.invitation(interview, organizer_email=organizer_email, now=now, viewer=user)
        emails.append((user.email, user.name, subject, body, ics, method))
    # Trainees sitting in get the panel's email and calendar file too (not a seat of it).
    for user in session.scalars(
        select(User)
        .join(InterviewTrainee, InterviewTrainee.user_id == User.id)
        .where(InterviewTrainee.interview_id == interview.id)
        .order_by(User.name, User.id)
    ):
        subject, body = _panel_email(interview, user, kind, interview_link, previous)
        ics = calendar.invitation(interview, organizer_email=organizer_email, now=now, viewer=user)
        emails.append((user.email, user.name, subject, body, ics, method))
    if previous is not None:
        now_on = {user.id for user in interview.interviewers}
        for user in previous.panel:
            if user.id in now_on:
                continue
            subject, body = _removed_email(interview, user, previous)
            held = (previous.starts_at, previous.ends_at) if previous.moved(interview) else None
            ics = calendar.removal(
                interview, user, organizer_email=organizer_email, now=now, held=held
            )
            emails.append((user.email, user.name, subject, body, ics, calendar.Method.CANCEL))
    queued = queue_emails(
        session,
        (
            OutboxEmail(
                team_id=interview.team_id,
                interview_id=interview.id,
                to_email=to_email,
                to_name=to_name,
                subject=subject[:MAX_SUBJECT],
                body=body,
                ics=ics.decode(),
                method=str(own_method),
                created_at=now,
            )
            for to_email, to_name, subject, body, ics, own_method in emails
        ),
    )
    if candidate:
        ics = calendar.invitation(
            interview,
            audience=calendar.Audience.CANDIDATE,
            organizer_email=organizer_email,
            now=now,
        )
        own = queue_candidate_email(
            session,
            interview.application,
            _CANDIDATE_KINDS[kind],
            ics=ics,
            method=method,
            interview_id=interview.id,
            now=now,
            portal_link=portal_link or "",
            **candidate_values(interview, previous),
        )
        queued += [own] if own is not None else []
    return queued


def queue_booking_email(
    session: Session,
    interview: Interview,
    kind: EmailKind | str,
    previous: PreviousBooking | None = None,
) -> list[OutboxEmail]:
    """From a request that booked, moved or cancelled ``interview`` (the schedule page, the
    API): queue its emails in that request's transaction, from the team's sender, with the
    interview page's and the candidate's portal links. ``previous`` (a reschedule's booking
    before the change) reaches members taken off."""
    return queue_interview_email(
        session,
        interview,
        kind,
        sender=default_sender(current_app.config),
        interview_link=url_for("scheduling.interview", interview_id=interview.id, _external=True),
        portal_link=portal_url(interview.application, external=True),
        previous=previous,
    )
