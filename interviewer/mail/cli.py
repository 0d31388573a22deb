"""``flask send-mail``: deliver the outbox over SMTP.

Configured by environment variables, which ``config.py`` reads: ``SMTP_HOST`` (no host:
nothing is sent and the emails wait in the outbox, readable by admins at ``/admin/outbox``),
``SMTP_PORT`` (587), ``SMTP_USERNAME``, ``SMTP_PASSWORD``, ``SMTP_STARTTLS`` (true),
``SMTP_SSL`` (true on port 465), ``SMTP_TIMEOUT`` (30 seconds) and ``MAIL_FROM``.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from interviewer.extensions import db
from interviewer.mail import delivery
from interviewer.mail.settings import SmtpSettings


def register(app: Flask) -> None:
    """Add ``send-mail`` to ``app.cli``."""
    app.cli.add_command(send_mail_command)


@click.command("send-mail")
@with_appcontext
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most this many.")
def send_mail_command(limit: int | None) -> None:
    """Send the queued interview emails; failures stay queued with their error."""
    try:
        settings = SmtpSettings.from_config()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    waiting = len(delivery.pending(db.session, limit))
    if not settings.configured:
        click.echo(
            f"SMTP is not configured (set SMTP_HOST): {waiting} email(s) wait in the outbox; "
            "admins can read them at /admin/outbox."
        )
        return
    if not waiting:
        click.echo("The outbox is empty; nothing to send.")
        return
    # Commit after each email so that one delivered is never sent again after a crash.
    report = delivery.deliver_pending(
        db.session, settings, limit=limit, after_each=lambda _email: db.session.commit()
    )
    db.session.commit()
    click.echo(f"Sent {report.sent} email(s) through {settings.host}:{settings.port}.")
    if report.failed:
        click.echo(
            f"{report.failed} email(s) could not be sent and stay queued with the error "
            "(see /admin/outbox); the next run tries again.",
            err=True,
        )
        raise SystemExit(1)
