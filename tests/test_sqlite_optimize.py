"""SQLite's planner gets statistics: the migrations analyse the file, and a connection runs
``PRAGMA optimize`` as it closes, which analyses what it queried and had none for."""

from __future__ import annotations

import flask_migrate
import pytest
from sqlalchemy import text

from interviewer import create_app
from interviewer.auth.models import Team
from interviewer.extensions import db
from interviewer.mail.models import OutboxEmail


@pytest.fixture
def file_app(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'app.db'}")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _statistics(table: str) -> list:
    with db.engine.connect() as connection:
        return connection.execute(
            text("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = :table"), {"table": table}
        ).all()


def _add_emails(count: int) -> None:
    team = Team(name="Acme", slug="acme")
    db.session.add_all(
        OutboxEmail(team=team, to_email=f"p{n}@example.org", subject="Hi", body="Hello.")
        for n in range(count)
    )
    db.session.commit()
    db.session.remove()


def test_migrations_leave_statistics_of_the_tables_that_hold_rows(file_app):
    flask_migrate.upgrade()
    _add_emails(50)

    # Migrating again (nothing to do) analyses again: the rows are counted now.
    flask_migrate.upgrade()

    assert _statistics("outbox_email"), "the migrations did not analyse the outbox"


def test_a_closing_connection_analyses_the_tables_it_queried(file_app):
    flask_migrate.upgrade()
    _add_emails(50)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM sqlite_stat1"))
    db.engine.dispose()
    with db.engine.connect() as connection:
        # A choice between indexes: the planner would have used statistics.
        connection.execute(
            text("SELECT id FROM outbox_email WHERE team_id = 1 AND status = 'waiting'")
        ).all()

    db.engine.dispose()

    assert _statistics("outbox_email"), "PRAGMA optimize did not run as the connection closed"
