"""``flask send-mail``: deliver the due emails of the outbox over SMTP, once each.

Configured by environment variables, which ``config.py`` reads: ``SMTP_HOST`` (no host:
nothing is sent and the emails wait in the outbox, readable by admins at ``/admin/outbox``),
``SMTP_PORT`` (587), ``SMTP_USERNAME``, ``SMTP_PASSWORD``, ``SMTP_STARTTLS`` (true),
``SMTP_SSL`` (true on port 465), ``SMTP_TIMEOUT`` (30 seconds) and ``MAIL_FROM``.
Several runs at once (cron on two machines, the worker) never send an email twice.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from interviewer.extensions import db
from interviewer.mail import delivery
from interviewer.mail.outbox import outbox_counts
from interviewer.mail.settings import SmtpSettings


def register(app: Flask) -> None:
    """Add ``send-mail`` to ``app.cli``."""
    app.cli.add_command(send_mail_command)


def _when(report: delivery.DeliveryReport) -> str:
    if report.next_attempt_at is None:
        return ""
    return f" (the first at {report.next_attempt_at:%Y-%m-%d %H:%M} UTC)"


@click.command("send-mail")
@with_appcontext
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Try at most this many.")
def send_mail_command(limit: int | None) -> None:
    """Send the due emails; failures are retried later, up to 8 attempts over two days."""
    try:
        settings = SmtpSettings.from_config()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if not settings.configured:
        waiting = outbox_counts(db.session).waiting
        click.echo(
            f"SMTP is not configured (set SMTP_HOST): {waiting} email(s) wait in the outbox; "
            "admins can read them at /admin/outbox."
        )
        return
    report = delivery.deliver_due(db.session, limit=limit, smtp_settings=settings)
    if not report.attempted:
        waiting = outbox_counts(db.session).waiting
        click.echo(
            f"No email is due: {waiting} wait for a later attempt."
            if waiting
            else "No email waits in the outbox; nothing to send."
        )
        return
    click.echo(f"Sent {report.sent} email(s) through {settings.host}:{settings.port}.")
    if report.retrying:
        click.echo(
            f"{report.retrying} email(s) could not be sent for now and will be tried again"
            f"{_when(report)}.",
            err=True,
        )
    if report.failed:
        click.echo(
            f"{report.failed} email(s) failed permanently (refused by the server, an invalid "
            "address, or the last attempt); admins see them and can retry at /admin/outbox.",
            err=True,
        )
    if report.stopped:
        click.echo(
            f"Stopped early: the mail server could not be reached ({report.stopped}); the "
            "other emails wait for the next run.",
            err=True,
        )
    if report.retrying or report.failed:
        raise SystemExit(1)
