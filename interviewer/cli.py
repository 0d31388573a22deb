"""Command-line tools: ``flask seed-demo``, ``flask create-user``."""

from __future__ import annotations

import click
from flask import Flask, current_app, has_app_context
from sqlalchemy import select

from interviewer.auth import services as auth_services
from interviewer.auth.models import Role, Team
from interviewer.extensions import db
from interviewer.urls import app_url


def register(app: Flask) -> None:
    """Add the project's commands to ``app.cli``."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
    from interviewer.backup import cli as backup_cli
    from interviewer.mail import cli as mail_cli
    from interviewer.privacy import cli as privacy_cli
    from interviewer.scheduling import offers_cli
    from interviewer.scorecards import reminders_cli
    from interviewer.webhooks import cli as webhooks_cli

    mail_cli.register(app)
    reminders_cli.register(app)
    offers_cli.register(app)
    from interviewer import worker

    worker.register(app)
    backup_cli.register(app)
    privacy_cli.register(app)
    webhooks_cli.register(app)


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo team, its people, jobs and candidates (running it again changes nothing)."""
    from interviewer.seed import DEMO_PASSWORD, seed_demo

    result = seed_demo(db.session)
    db.session.commit()
    click.echo(
        "Demo data " + ("loaded." if result.created else "already present; nothing changed.")
    )
    click.echo("")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, email in result.logins:
        click.echo(f"  {role:<15} {email}")
    for line in result.extra_lines:
        click.echo(line)
    if has_app_context() and not (current_app.config.get("APP_URL") or "").strip():
        click.echo("")
        click.echo(
            f"These links assume {app_url()}, where `make run` serves; serving elsewhere, "
            "set APP_URL to the address (APP_URL=http://localhost:8000) and run this again."
        )


@click.command("create-user")
@click.option("--team", "team_slug", required=True, help="Slug of the team; created if new.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.INTERVIEWER.value,
    show_default=True,
)
@click.option("--email", required=True)
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.option("--timezone", default="UTC", show_default=True)
@click.password_option(help="Asked for when not given.")
def create_user_command(
    team_slug: str, role: str, email: str, name: str | None, timezone: str, password: str
) -> None:
    """Create a user who can sign in (and the team, if the slug is new)."""
    from interviewer.candidates.sources import ensure_team_sources
    from interviewer.plans.services import ensure_team_defaults

    team = db.session.scalar(select(Team).where(Team.slug == team_slug))
    if team is None:
        team = Team(name=team_slug.replace("-", " ").title(), slug=team_slug)
        db.session.add(team)
        db.session.flush()
        ensure_team_defaults(db.session, team)
        ensure_team_sources(db.session, team.id)
        click.echo(f"Created team {team.name} ({team.slug}).")
    try:
        user = auth_services.create_user(
            db.session,
            team=team,
            email=email,
            name=name or email.split("@")[0],
            password=password,
            role=role,
            timezone=timezone,
        )
    except auth_services.UserError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} in team {team.slug}.")
