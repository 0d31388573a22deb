"""``flask apply-retention``: what the worker's daily job does, for installations without one."""

from __future__ import annotations

import click
from flask import Flask

from interviewer.extensions import db
from interviewer.privacy.retention import apply_retention


def register(app: Flask) -> None:
    """Add ``apply-retention`` to ``app.cli``."""
    app.cli.add_command(apply_retention_command)


def run_retention(session) -> int:
    """Anonymise the candidates past their team's retention period and commit; how many."""
    erased = apply_retention(session)
    session.commit()
    return erased


@click.command("apply-retention")
def apply_retention_command() -> None:
    """Anonymise the candidates whose every application closed longer ago than their team's
    retention period (the worker does it every day at 03:00 UTC)."""
    erased = run_retention(db.session)
    click.echo(
        f"Anonymised {erased} candidate{'' if erased == 1 else 's'} past the retention period."
    )
