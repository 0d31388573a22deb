"""``flask export-team``, ``flask import-team`` and ``flask set-password``.

``flask export-team acme > acme.json`` writes the team; ``flask import-team acme.json`` (or
``-`` for standard input) loads it into an empty database at the same revision. Passwords
and calendar feed tokens stay behind, so imported users are given a password with
``flask set-password``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from interviewer.auth import password_changes
from interviewer.auth.models import User
from interviewer.auth.services import normalize_email
from interviewer.backup.export import export_team
from interviewer.backup.load import load_team
from interviewer.backup.tables import BackupError
from interviewer.extensions import db


def register(app: Flask) -> None:
    """Add the backup commands to ``app.cli``."""
    app.cli.add_command(export_team_command)
    app.cli.add_command(import_team_command)
    app.cli.add_command(set_password_command)


@click.command("export-team")
@with_appcontext
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write (default: standard output).",
)
def export_team_command(slug: str, output: str) -> None:
    """Write every record of team SLUG as JSON, without passwords or tokens."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # One snapshot for all the tables, however long the export takes.
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        try:
            with connection.begin(), _output(output) as out:
                summary = export_team(connection, db.metadata, slug, out)
        except BackupError as error:
            raise click.ClickException(str(error)) from None
    click.echo(
        f"Exported team {slug}: {summary.total} rows in {len(summary.rows)} tables.", err=True
    )


@contextmanager
def _output(path: str) -> Iterator[TextIO]:
    """Standard output for ``-``; else a file put in place only once complete (click's
    atomic files are put in place even when the export fails)."""
    if path == "-":
        with click.open_file("-", "w", encoding="utf-8") as out:
            yield out
        return
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as out:
            yield out
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


@click.command("import-team")
@with_appcontext
@click.argument("source", type=click.File("r", encoding="utf-8"))
def import_team_command(source) -> None:
    """Load a team written by export-team (SOURCE, or - for standard input) into this
    database, which must be at the same revision and not have the team yet."""
    try:
        with db.engine.begin() as connection:
            summary = load_team(connection, db.metadata, source)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Imported team {summary.team}: {summary.total} rows in {len(summary.rows)} tables.")
    replaced = set(summary.replaced)
    if "user_account.password_hash" in replaced:
        click.echo(
            f"Passwords are not exported: the {summary.rows.get('user_account', 0)} users "
            "cannot sign in until each is given one with `flask set-password EMAIL`."
        )
    if "user_account.calendar_token" in replaced:
        click.echo(
            "Calendar feed links are not exported: users make new ones on their calendar page."
        )
    others = sorted(replaced - {"user_account.password_hash", "user_account.calendar_token"})
    if others:
        click.echo(f"Secret columns left empty or unusable: {', '.join(others)}.")


@click.command("set-password")
@with_appcontext
@click.argument("email")
@click.password_option(help="Asked for when not given.")
def set_password_command(email: str, password: str) -> None:
    """Give the user with EMAIL a new password (imported users have none; an admin locked out
    may have forgotten theirs), under the password rules; every session of theirs ends."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise click.ClickException(f"there is no user with email {email}")
    try:
        ended = password_changes.reset_password(db.session, user, password, actor=None)
    except password_changes.PasswordError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Set a new password for {user.email}; {ended} sessions ended.")
    if not user.active:
        click.echo("The account is deactivated: it cannot sign in until an admin reactivates it.")
