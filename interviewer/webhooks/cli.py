"""``flask deliver-webhooks``: send the due webhook deliveries, once each, as the worker does.

Several runs at once (cron on two machines, the worker) never deliver an event twice.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from interviewer.extensions import db
from interviewer.webhooks import delivery


def register(app: Flask) -> None:
    """Add ``deliver-webhooks`` to ``app.cli``."""
    app.cli.add_command(deliver_webhooks_command)


@click.command("deliver-webhooks")
@with_appcontext
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Try at most this many.")
def deliver_webhooks_command(limit: int | None) -> None:
    """Send the due webhook deliveries; failures are retried later with backoff."""
    report = delivery.deliver_due(db.session, limit=limit)
    click.echo(
        f"Delivered {report.delivered} webhook(s); {report.retrying} will be retried, "
        f"{report.failed} failed, {report.disabled} endpoint(s) turned off."
    )
    if report.retrying or report.failed:
        raise SystemExit(1)
