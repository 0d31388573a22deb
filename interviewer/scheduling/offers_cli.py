"""``flask expire-offers``: mark the booking offers past their hold time as expired.

The portal already treats such an offer as expired when it is read; this keeps the table
honest for lists and reports. The worker runs it every 15 minutes.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from interviewer.extensions import db
from interviewer.scheduling import offers


def register(app: Flask) -> None:
    """Add ``expire-offers`` to ``app.cli``."""
    app.cli.add_command(expire_offers_command)


@click.command("expire-offers")
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=offers.EXPIRY_BATCH,
    show_default=True,
    help="How many offers each transaction marks.",
)
@with_appcontext
def expire_offers_command(batch: int) -> None:
    """Mark every open booking offer past its hold time as expired."""
    expired = offers.expire_all(db.session, batch=batch)
    click.echo(f"Expired {expired} booking offer{'' if expired == 1 else 's'}.")
