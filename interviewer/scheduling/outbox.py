"""The outbox: interview emails queued in the database, delivered over SMTP when configured.

Scheduling, rescheduling and cancelling queue one email per person (each panel member and
the candidate) in the same transaction as the change, so an invitation is never lost: an
email leaves the outbox only once the SMTP server has accepted it, and a failed attempt
stays queued with its error for the next ``flask send-mail`` run. Without SMTP, admins read
the queued emails in the app.
"""

from __future__ import annotations

import enum
import logging
import os
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.db import Base, TeamScoped, utcnow
from interviewer.scheduling import calendar
from interviewer.scheduling.models import Interview
from interviewer.scheduling.services import span

log = logging.getLogger(__name__)

#: Sender used when ``MAIL_FROM`` is not set.
DEFAULT_SENDER = "interviewer@localhost"
#: Longest error text kept on an email.
MAX_ERROR = 1000


class EmailKind(enum.StrEnum):
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


class OutboxEmail(TeamScoped, Base):
    """One email waiting to be sent, or sent."""

    __tablename__ = "outbox_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The interview it is about; kept when the interview is deleted.
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview.id", ondelete="SET NULL"), index=True
    )
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(160), default="")
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    #: The attached calendar file (RFC 5545 text), empty when there is none.
    ics: Mapped[str] = mapped_column(Text, default="")
    #: The calendar file's iTIP method: ``REQUEST`` or ``CANCEL``.
    method: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")

    interview: Mapped[Interview | None] = relationship()

    __table_args__ = (Index(None, "sent_at", "created_at"),)

    def __repr__(self) -> str:
        return f"<OutboxEmail {self.id} to {self.to_email}>"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


def default_sender(config: Mapping[str, Any] | None = None) -> str:
    """``MAIL_FROM`` from the environment, else from ``config``, else a local placeholder."""
    value = os.environ.get("MAIL_FROM", "").strip()
    if not value and config is not None:
        value = str(config.get("MAIL_FROM") or "").strip()
    return value or DEFAULT_SENDER


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
        f"Your {_interview_phrase(interview)} for {job.title} at {team.name} {verb}:",
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
    lines += ["", f"{team.name} hiring team"]
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
) -> list[OutboxEmail]:
    """Queue the email about ``kind`` (scheduled, rescheduled, cancelled) to everyone involved.

    One email to each panel member (the calendar file with every attendee) and one to the
    candidate (the file with only them as attendee, no internal details). Times are written
    in each recipient's zone. ``portal_link`` and ``interview_link`` are added when given.

    For a reschedule, ``previous`` (the booking before the change) sends the panel's changes:
    a member taken off gets a cancellation of their copy (``METHOD:CANCEL``, same ``UID``,
    the new ``SEQUENCE``) and a new member an invitation, while the others get the update.
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
    candidate = interview.application.candidate
    subject, body = _candidate_email(interview, kind, portal_link, previous)
    ics = calendar.invitation(
        interview, audience=calendar.Audience.CANDIDATE, organizer_email=organizer_email, now=now
    )
    emails.append((candidate.email, candidate.name, subject, body, ics, method))
    queued = [
        OutboxEmail(
            team_id=interview.team_id,
            interview_id=interview.id,
            to_email=to_email,
            to_name=to_name,
            subject=subject[:255],
            body=body,
            ics=ics.decode(),
            method=str(own_method),
            created_at=now,
        )
        for to_email, to_name, subject, body, ics, own_method in emails
    ]
    session.add_all(queued)
    session.flush()
    return queued


def smtp_configured(config: Mapping[str, Any] | None = None) -> bool:
    """Whether ``SMTP_HOST`` is set (environment first, then ``config``)."""
    host = os.environ.get("SMTP_HOST", "").strip() or str((config or {}).get("SMTP_HOST") or "")
    return bool(host.strip())


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to deliver mail; ``host`` empty means SMTP is not configured."""

    host: str = ""
    port: int = 587
    username: str = ""
    password: str = ""
    starttls: bool = True
    #: TLS from the first byte (SMTPS, usually port 465) instead of STARTTLS.
    ssl: bool = False
    sender: str = DEFAULT_SENDER
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, config: Mapping[str, Any] | None = None
    ) -> SmtpSettings:
        """Read ``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_USERNAME``, ``SMTP_PASSWORD``,
        ``SMTP_STARTTLS``, ``SMTP_SSL``, ``SMTP_TIMEOUT`` and ``MAIL_FROM`` (environment
        first, then ``config``). ``SMTP_SSL`` defaults to on for port 465. Raises
        ``ValueError`` for a port or timeout that is not a number."""
        environ = os.environ if environ is None else environ
        config = config or {}

        def get(name: str, default: str = "") -> str:
            value = environ.get(name)
            if value is None or not value.strip():
                value = config.get(name)
            return default if value is None else str(value).strip()

        truthy = {"1", "true", "yes", "on"}
        try:
            port = int(get("SMTP_PORT", "587"))
            timeout = float(get("SMTP_TIMEOUT", "30"))
        except ValueError:
            raise ValueError("SMTP_PORT and SMTP_TIMEOUT must be numbers.") from None
        ssl = get("SMTP_SSL", "true" if port == 465 else "false").lower() in truthy
        # STARTTLS makes no sense on a connection that is already encrypted.
        starttls = not ssl and get("SMTP_STARTTLS", "true").lower() in truthy
        return cls(
            host=get("SMTP_HOST"),
            port=port,
            username=get("SMTP_USERNAME"),
            password=get("SMTP_PASSWORD"),
            starttls=starttls,
            ssl=ssl,
            sender=get("MAIL_FROM") or DEFAULT_SENDER,
            timeout=timeout,
        )


def build_message(email: OutboxEmail, sender: str) -> EmailMessage:
    """The MIME message: the text, the calendar part that mail clients offer to accept, and
    the same file as an ``invite.ics`` attachment."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((email.to_name, email.to_email)) if email.to_name else email.to_email
    message["Subject"] = email.subject
    message["Date"] = format_datetime(email.created_at)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(email.body)
    if email.ics:
        params = {"method": email.method} if email.method else {}
        message.add_alternative(email.ics, subtype="calendar", params=params)
        message.add_attachment(
            email.ics.encode(), maintype="application", subtype="ics", filename="invite.ics"
        )
    return message


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0


def pending(session: Session, limit: int | None = None) -> list[OutboxEmail]:
    """Emails not sent yet, oldest first (every team: delivery is the system's job)."""
    query = (
        select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None))
        .order_by(OutboxEmail.created_at, OutboxEmail.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    connect = smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP
    connection = connect(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            connection.starttls()
        if settings.username:
            connection.login(settings.username, settings.password)
    except BaseException:
        connection.close()
        raise
    return connection


def _quit(connection: smtplib.SMTP) -> None:
    """Say goodbye; what the server answers no longer matters once the emails are settled."""
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:MAX_ERROR]


def deliver_pending(
    session: Session,
    smtp_settings: SmtpSettings,
    *,
    now: datetime | None = None,
    limit: int | None = None,
    after_each: Callable[[OutboxEmail], None] | None = None,
) -> DeliveryReport:
    """Send the queued emails over one SMTP connection; flushes, never commits.

    A sent email gets ``sent_at``; a failed one stays queued with ``attempts`` + 1 and the
    error. When the server cannot be reached (or drops the connection) every email not yet
    sent counts a failed attempt. ``after_each`` runs after each email is settled, so the
    caller can commit as it goes and a crash never resends what was delivered.
    """
    emails = pending(session, limit)
    report = DeliveryReport()
    if not emails:
        return report

    def settle(email: OutboxEmail, error: BaseException | None) -> None:
        email.attempts += 1
        if error is None:
            email.sent_at = now or utcnow()
            email.last_error = ""
            report.sent += 1
        else:
            email.last_error = _error_text(error)
            report.failed += 1
            log.warning("email %s to %s not sent: %s", email.id, email.to_email, error)
        session.flush()
        if after_each is not None:
            after_each(email)

    try:
        connection = _connect(smtp_settings)
    except (OSError, smtplib.SMTPException) as error:
        for email in emails:
            settle(email, error)
        return report
    try:
        for index, email in enumerate(emails):
            try:
                connection.send_message(build_message(email, smtp_settings.sender))
            except (
                smtplib.SMTPRecipientsRefused,
                smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError,
            ) as error:
                settle(email, error)
            except (OSError, smtplib.SMTPException) as error:
                for rest in emails[index:]:
                    settle(rest, error)
                break
            else:
                settle(email, None)
    finally:
        _quit(connection)
    return report
