"""Delivering the outbox over SMTP: each email claimed by one sender, sent once, retried
with backoff when the failure may pass, and failed at once when it will not.

Any number of senders (``flask send-mail`` from cron, the worker, on any number of
machines) may run at the same time. Each works through the queue in batches:

1. **Claim** a batch of the oldest due emails with one conditional ``UPDATE ... RETURNING``
   that also records each attempt (``attempts`` + 1, status ``sending``) and a lease: the
   emails are due again only at ``next_attempt_at`` = now + :data:`LEASE`. Commit. On
   PostgreSQL the emails are picked by a ``SELECT ... FOR UPDATE SKIP LOCKED`` inside the
   statement, so two senders pass over each other's rows instead of waiting for them; SQLite
   has one writer at a time, and the ``UPDATE`` checks each email is still due when its turn
   comes. A sender's first batch is one email and each next one twice as large, up to
   :data:`BATCH`: senders starting together share a short queue, and a long one costs one
   claim per :data:`BATCH` emails.
2. **Send** each email of the batch.
3. **Record the result** of each, by its primary key, in a commit of its own as soon as
   it is known: sent; waiting for its next attempt after the backoff (:data:`BACKOFF`); or
   failed, for a permanent refusal or after the last attempt. When the server cannot be
   reached the run stops, and the batch's emails it did not try are handed back as they
   were, due at once for the next run.

A sender that dies between 1 and 3 leaves its emails ``sending``; once the lease has passed
another sender claims them again. That is the one case in which an email may arrive twice:
the sender may have died after the server accepted it, before it recorded so.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import inspect, update
from sqlalchemy.orm import Session

from interviewer.claims import claim_rows
from interviewer.db import utcnow
from interviewer.mail.messages import build_message
from interviewer.mail.models import OutboxEmail, OutboxStatus
from interviewer.mail.settings import SmtpSettings

log = logging.getLogger(__name__)

#: Longest error text kept on an email.
MAX_ERROR = 1000
#: The wait after each failed attempt that may pass (a server down, a 4xx reply): about two
#: days from the first attempt to the last.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
#: Attempts before an email that keeps failing is marked failed.
MAX_ATTEMPTS = len(BACKOFF) + 1
#: How long a sender's claim on an email lasts: far longer than sending one email takes
#: (``SMTP_TIMEOUT`` is per network operation), so only a dead sender's claim runs out.
LEASE = timedelta(minutes=10)
#: The error recorded when a sender died during an email's last attempt.
ABANDONED = (
    "The last attempt stopped before the mail server answered (the sender was interrupted); "
    "retry if the recipient did not get the email."
)

#: The most emails a sender claims at once. Their lease must outlast sending them all.
BATCH = 100

_DUE = (OutboxStatus.WAITING, OutboxStatus.SENDING)


@dataclass
class DeliveryReport:
    """What one run did."""

    sent: int = 0
    #: Failed for now (server unreachable, a 4xx reply): tried again after the backoff.
    retrying: int = 0
    #: Failed for good: refused by the server (5xx), an invalid address, or the last attempt.
    failed: int = 0
    #: The earliest next attempt of the emails that will be retried.
    next_attempt_at: datetime | None = None
    #: Why the run stopped early: the server could not be reached or dropped the connection.
    stopped: str = ""
    #: False when SMTP is not configured: nothing was tried.
    configured: bool = True

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


@dataclass
class Claim:
    """An email a sender has claimed: what it needs to send it and record the result."""

    email_id: int
    attempt: int
    to_email: str
    #: When the attempt began: the backoff counts from here.
    started_at: datetime
    #: The email as claimed, a copy outside the session, until :meth:`build` has read it.
    email: OutboxEmail | None = None
    message: EmailMessage | None = None
    #: Why the message could not even be built (an invalid address...): a permanent failure.
    error: Exception | None = None

    @property
    def buildable(self) -> bool:
        return self.error is None

    def build(self, sender: str) -> None:
        """Make the message just before it is sent (a batch's messages built at once would
        outlive many collections of the garbage they leave)."""
        email, self.email = self.email, None
        if email is None:
            return
        try:
            validate_email(email.to_email, check_deliverability=False)
            self.message = build_message(email, sender)
        except EmailNotValidError as error:
            self.error = error
        except Exception as error:
            # Building is the same every time: an email that cannot be built fails for
            # good rather than stopping every run at the head of the queue.
            log.exception("email %s: the message cannot be built", email.id)
            self.error = error


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:MAX_ERROR]


def is_permanent(error: BaseException) -> bool:
    """Whether trying again cannot help: a 5xx reply, or a message that cannot be sent.

    Connection trouble, timeouts and 4xx replies (a full mailbox, greylisting) may pass.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    # An address the server cannot take (no SMTPUTF8), or one that is not an address.
    return isinstance(error, smtplib.SMTPNotSupportedError | ValueError)


def backoff(attempts: int) -> timedelta | None:
    """The wait after failed attempt number ``attempts``; ``None`` after the last one."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return BACKOFF[max(attempts, 1) - 1]


def _due(model: type[OutboxEmail], now: datetime) -> tuple:
    """The conditions of an email a sender may claim at ``now`` (``model``: or an alias)."""
    return (
        model.status.in_(_DUE),
        model.next_attempt_at <= now,
        model.attempts < MAX_ATTEMPTS,
    )


def claim_batch(session: Session, now: datetime, size: int) -> list[Claim]:
    """Claim the ``size`` oldest due emails and record their attempts; commits. Returns them
    in the order they were queued; empty when nothing is due.

    One statement, so that no sender ever holds a read lock while it waits to write (on
    SQLite that wait could end in "database is locked").
    """
    emails = claim_rows(
        session,
        OutboxEmail,
        lambda model: _due(model, now),
        lambda model: (model.next_attempt_at, model.id),
        {
            "status": OutboxStatus.SENDING,
            "attempts": OutboxEmail.attempts + 1,
            "last_attempt_at": now,
            "next_attempt_at": now + LEASE,
        },
        size,
    )
    claims = [
        Claim(email.id, email.attempts, email.to_email, now, _copy(email)) for email in emails
    ]
    session.commit()
    claims.sort(key=lambda claim: claim.email_id)
    return claims


def _copy(email: OutboxEmail) -> OutboxEmail:
    """A copy outside the session, which keeps what was read past the commit (that expires
    the session's own)."""
    return OutboxEmail(**{attr.key: getattr(email, attr.key) for attr in _COLUMNS})


_COLUMNS = inspect(OutboxEmail).column_attrs


def claim_next(session: Session, sender: str, now: datetime) -> Claim | None:
    """Claim the oldest due email and record its attempt; commits. ``None``: nothing is due."""
    claims = claim_batch(session, now, 1)
    if claims:
        claims[0].build(sender)
    return claims[0] if claims else None


def release(session: Session, claims: list[Claim]) -> None:
    """Hand back claimed emails that were not tried, due at once, their attempt uncounted;
    commits. An email whose claim has run out and been taken by another sender is left to it.

    ``last_attempt_at`` keeps the claim's time: the next claim, which any state that shows
    it follows, writes it again.
    """
    if claims:
        started_at = claims[0].started_at
        session.execute(
            update(OutboxEmail)
            .where(
                OutboxEmail.id.in_([claim.email_id for claim in claims]),
                OutboxEmail.status == OutboxStatus.SENDING,
                OutboxEmail.last_attempt_at == started_at,
            )
            .values(
                status=OutboxStatus.WAITING,
                attempts=OutboxEmail.attempts - 1,
                next_attempt_at=started_at,
            ),
            execution_options={"synchronize_session": False},
        )
    session.commit()


def fail_abandoned(session: Session, now: datetime) -> int:
    """Mark failed the emails whose last attempt's sender died (its lease is over); commits.

    Returns how many. Earlier attempts that were cut short are simply claimed again.
    """
    result = session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.status == OutboxStatus.SENDING,
            OutboxEmail.next_attempt_at <= now,
            OutboxEmail.attempts >= MAX_ATTEMPTS,
        )
        .values(status=OutboxStatus.FAILED, last_error=ABANDONED),
        execution_options={"synchronize_session": False},
    )
    session.commit()
    return result.rowcount


def record_result(
    session: Session,
    claim: Claim,
    error: BaseException | None,
    now: datetime,
    report: DeliveryReport,
) -> None:
    """Record how the claimed attempt ended (at ``now``), and count it in ``report``; commits.

    A failure that may pass makes the email due again :func:`backoff` after the attempt began.

    Delivered is delivered: ``sent`` is recorded whatever happened meanwhile. A failure is
    recorded only while this attempt's claim stands, never over a later sender's attempt.
    """
    row = OutboxEmail.id == claim.email_id
    if error is None:
        values = {"status": OutboxStatus.SENT, "sent_at": now, "last_error": ""}
        report.sent += 1
    else:
        permanent = not claim.buildable or is_permanent(error)
        wait = None if permanent else backoff(claim.attempt)
        values = {"last_error": _error_text(error)}
        if wait is None:
            values["status"] = OutboxStatus.FAILED
            report.failed += 1
        else:
            due = claim.started_at + wait
            values.update(status=OutboxStatus.WAITING, next_attempt_at=due)
            report.retrying += 1
            if report.next_attempt_at is None or due < report.next_attempt_at:
                report.next_attempt_at = due
        log.warning(
            "email %s to %s not sent (attempt %s, %s): %s",
            claim.email_id,
            claim.to_email,
            claim.attempt,
            "failed" if wait is None else f"next try in {wait}",
            error,
        )
        row = row & (OutboxEmail.status == OutboxStatus.SENDING)
        row = row & (OutboxEmail.attempts == claim.attempt)
    session.execute(
        update(OutboxEmail).where(row).values(**values),
        execution_options={"synchronize_session": False},
    )
    session.commit()


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


#: Replies about one message: the connection stays usable for the next one.
_MESSAGE_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPResponseException,
    smtplib.SMTPNotSupportedError,
    ValueError,
)


def deliver_due(
    session: Session,
    *,
    now: datetime | None = None,
    limit: int | None = None,
    smtp_settings: SmtpSettings | None = None,
) -> DeliveryReport:
    """Claim the due emails in batches and send them, committing each claim and each result.

    Safe to run in any number of processes at once: each email is claimed by one sender.
    ``now`` (default: the clock, read for each batch and each result) decides what is due;
    ``limit`` caps the emails tried; ``smtp_settings`` default to the app's. Without
    ``SMTP_HOST`` nothing is tried. The connection is opened at the first email and reused;
    when the server cannot be reached or drops it, that email waits for its next attempt,
    the batch's others are handed back and the run stops.
    """
    settings = smtp_settings or SmtpSettings.from_config()
    report = DeliveryReport(configured=settings.configured)
    if not settings.configured:
        return report
    report.failed += fail_abandoned(session, now or utcnow())
    connection: smtplib.SMTP | None = None
    size = 1
    try:
        while limit is None or report.attempted < limit:
            wanted = size if limit is None else min(size, limit - report.attempted)
            claims = claim_batch(session, now or utcnow(), wanted)
            if not claims:
                break
            size = min(size * 2, BATCH)
            connection = _send_batch(session, claims, settings, connection, now, report)
            if report.stopped:
                break
    finally:
        if connection is not None:
            _quit(connection)
    return report


def _send_batch(
    session: Session,
    claims: list[Claim],
    settings: SmtpSettings,
    connection: smtplib.SMTP | None,
    now: datetime | None,
    report: DeliveryReport,
) -> smtplib.SMTP | None:
    """Send the claimed emails and record each result; returns the connection to reuse.

    Hands back the emails it did not try: after the server failed, or once half the lease
    has gone (a slow server), so that no claim runs out while its sender still holds it.
    """
    claimed_at = utcnow()
    for index, claim in enumerate(claims):
        if report.stopped or utcnow() - claimed_at > LEASE / 2:
            release(session, claims[index:])
            break
        try:
            connection, error = _send(claim, settings, connection, report)
        except BaseException:
            release(session, claims[index + 1 :])
            raise
        record_result(session, claim, error, now or utcnow(), report)
    return connection


def _send(
    claim: Claim,
    settings: SmtpSettings,
    connection: smtplib.SMTP | None,
    report: DeliveryReport,
) -> tuple[smtplib.SMTP | None, BaseException | None]:
    """Send one claimed email: the connection to reuse, and the error if it was not sent.

    Trouble with the server itself (rather than this email) sets ``report.stopped``.
    """
    claim.build(settings.sender)
    if not claim.buildable:
        return connection, claim.error
    try:
        if connection is None:
            connection = _connect(settings)
        connection.send_message(claim.message)
    except _MESSAGE_REFUSED as refused:
        return connection, refused
    except (OSError, smtplib.SMTPException) as trouble:
        # The server, not the email: stop, and let the others wait their turn.
        report.stopped = _error_text(trouble)
        if connection is not None:
            connection.close()
        return None, trouble
    except Exception as bug:
        # Whatever went wrong must not cost the other emails their delivery: this one is
        # retried (and the cap ends it if it never works).
        log.exception("email %s: unexpected error while sending", claim.email_id)
        return connection, bug
    return connection, None
