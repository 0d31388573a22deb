"""``flask send-reminders``: queue the scorecard reminders that are due now.

Meant to run often (say every 15 minutes from cron or a systemd timer): each run queues only
what is due and not sent yet, and ``flask send-mail`` delivers the outbox. Links in the
emails use ``SERVER_NAME`` when set, else ``APP_URL`` (default ``http://127.0.0.1:5000``).
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.scheduling.models import Interview
from interviewer.scorecards import reminders
from interviewer.urls import link_to


def register(app: Flask) -> None:
    """Add ``send-reminders`` to ``app.cli``."""
    app.cli.add_command(send_reminders_command)


def scorecard_link(interview: Interview) -> str:
    """The absolute address of the interview's scorecard page, made outside a request."""
    return link_to("scorecards.scorecard", external=True, interview_id=interview.id)


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Queue an email to each interviewer whose scorecard is due a reminder now."""
    try:
        queued = reminders.send_due_reminders(db.session, utcnow(), link_for=scorecard_link)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException(
            "Another run was queuing the same reminders; nothing was added. Run it again."
        ) from None
    click.echo(f"Queued {queued} reminder{'' if queued == 1 else 's'}.")
