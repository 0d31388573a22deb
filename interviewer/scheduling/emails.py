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

from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.db import utcnow
from interviewer.mail.models import MAX_SUBJECT, OutboxEmail
from interviewer.mail.outbox import queue_emails
from interviewer.mail.settings import default_sender
from interviewer.scheduling import calendar
from interviewer.scheduling.models import Interview
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


def _candidate_email(
    interview: Interview,
    kind: EmailKind,
    portal_link: str | None,
    previous: PreviousBooking | None = None,
) -> tuple[str, str]:
    application, stage = interview.application, interview.plan_stage
    job, team = application.job, interview.team
    subject_verb, verb = _verbs(kind, previous, interview)
    # The zone their portal shows: the one they picked there, else theirs, else the team's.
    tz = application.portal_timezone or application.candidate.timezone or team.timezone
    lines = [
        f"Hello {calendar.first_name(application.candidate.name)},",
        "",
        f"Your {_interview_phrase(interview)} for {job.title} at {team.public_name} {verb}:",
        "",
        *_when_lines(interview, tz, EmailKind(kind)),
    ]
    if kind == EmailKind.CANCELLED:
        lines += ["", "We are sorry for the change; we will be in touch about what comes next."]
    else:
        names = ", ".join(calendar.first_name(user.name) for user in interview.interviewers)
        lines.append(f"  With: {names}")
        expect = calendar.what_to_expect(interview)
        if expect:
            lines += ["", "What to expect:", expect]
        lines += ["", "The attached calendar file adds the interview to your calendar."]
    if portal_link:
        lines += ["", f"Your whole process, step by step: {portal_link}"]
    lines += ["", f"{team.public_name} hiring team"]
    return f"{subject_verb}: {stage.name} for {job.title}", "\n".join(lines)


def _panel_email(
    interview: Interview,
    user: User,
    kind: EmailKind,
    interview_link: str | None,
    previous: PreviousBooking | None = None,
) -> tuple[str, str]:
    application, stage = interview.application, interview.plan_stage
    candidate, job = application.candidate, application.job
    subject_verb, verb = _verbs(kind, previous, interview)
    lines = [
        f"Hello {calendar.first_name(user.name)},",
        "",
        f"The {_interview_phrase(interview)} with {candidate.name} for {job.title} {verb}:",
        "",
        *_when_lines(interview, user.timezone, kind),
    ]
    if kind != EmailKind.CANCELLED:
        lines.append("  Panel: " + ", ".join(member.name for member in interview.interviewers))
        if interview_link:
            lines += ["", f"Kit and scorecard: {interview_link}"]
    return f"{subject_verb}: {stage.name} with {candidate.name}", "\n".join(lines)


def _removed_email(interview: Interview, user: User, previous: PreviousBooking) -> tuple[str, str]:
    """To a member taken off the panel: the slot they held is theirs again."""
    stage, candidate = interview.plan_stage, interview.application.candidate
    lines = [
        f"Hello {calendar.first_name(user.name)},",
        "",
        f"You are no longer on the panel of the {_interview_phrase(interview)} with "
        f"{candidate.name} for {interview.application.job.title}, so it is cancelled for you:",
        "",
        f"  When: {span(previous.starts_at, previous.ends_at, user.timezone)}",
        "",
        "The attached calendar file removes it from your calendar.",
    ]
    return f"Interview cancelled for you: {stage.name} with {candidate.name}", "\n".join(lines)


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

    One email to each panel member (the calendar file with every attendee) and one to the
    candidate (the file with only them as attendee, no internal details). Times are written
    in each recipient's zone. ``portal_link`` and ``interview_link`` are added when given.

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
        ics = calendar.invitation(interview, organizer_email=organizer_email, now=now)
        emails.append((user.email, user.name, subject, body, ics, method, False))
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
            emails.append(
                (user.email, user.name, subject, body, ics, calendar.Method.CANCEL, False)
            )
    if candidate:
        person = interview.application.candidate
        subject, body = _candidate_email(interview, kind, portal_link, previous)
        ics = calendar.invitation(
            interview,
            audience=calendar.Audience.CANDIDATE,
            organizer_email=organizer_email,
            now=now,
        )
        emails.append((person.email, person.name, subject, body, ics, method, True))
    return queue_emails(
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
                # The candidate hears from the team, under the name it shows them.
                from_name=interview.team.public_name if to_candidate else "",
            )
            for to_email, to_name, subject, body, ics, own_method, to_candidate in emails
        ),
    )
