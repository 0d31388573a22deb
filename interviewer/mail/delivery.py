"""Delivering the outbox over SMTP (or SMTPS), one connection per run.

An email leaves the outbox only once the SMTP server has accepted it; a failed attempt
stays queued with its error for the next ``flask send-mail`` run.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.db import utcnow
from interviewer.mail.messages import build_message
from interviewer.mail.models import OutboxEmail
from interviewer.mail.settings import SmtpSettings

log = logging.getLogger(__name__)

#: Longest error text kept on an email.
MAX_ERROR = 1000


@dataclass
class DeliveryReport:
    """How many emails a run sent and how many stay queued with an error."""

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
