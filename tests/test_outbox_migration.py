"""The migration that gave the outbox its states keeps every queued and sent email.

It changes the schema itself, so it runs on ``app`` alone, outside the per-test transaction,
and leaves the database at head and empty for the tests after it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import flask_migrate
import pytest
from sqlalchemy import Integer, String, column, insert, select, table, text

from interviewer.auth.models import Team
from interviewer.db import UTCDateTime
from interviewer.extensions import db as _db
from interviewer.mail.models import OutboxEmail, OutboxStatus
from tests.conftest import delete_committed_team

STATES, BEFORE_STATES = "ac51b33e6428", "ac73695c4954"
QUEUED_AT = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
#: The outbox table as it was before the states: no status, next_attempt_at, last_attempt_at.
OLD_OUTBOX = table(
    "outbox_email",
    *(
        column(name, type_)
        for name, type_ in (
            ("team_id", Integer()),
            ("to_email", String()),
            ("to_name", String()),
            ("subject", String()),
            ("body", String()),
            ("ics", String()),
            ("method", String()),
            ("created_at", UTCDateTime()),
            ("sent_at", UTCDateTime()),
            ("attempts", Integer()),
            ("last_error", String()),
        )
    ),
)


@pytest.fixture
def migrated(app):
    with app.app_context():
        try:
            yield app
        finally:
            _db.session.remove()
            flask_migrate.upgrade()


def _old_email(team_id: int, address: str, sent_at: datetime | None, attempts: int) -> dict:
    return {
        "team_id": team_id,
        "to_email": address,
        "to_name": "",
        "subject": "Interview booked",
        "body": "Hi.",
        "ics": "",
        "method": "",
        "created_at": QUEUED_AT,
        "sent_at": sent_at,
        "attempts": attempts,
        "last_error": "SMTPServerDisconnected: gone" if attempts and not sent_at else "",
    }


def test_queued_and_sent_emails_keep_their_state_through_the_migration(migrated):
    with _db.engine.begin() as connection:
        team_id = connection.scalar(
            insert(Team).values(name="Old outbox", slug="old-outbox").returning(Team.id)
        )
    try:
        flask_migrate.downgrade(revision=BEFORE_STATES)
        with _db.engine.begin() as connection:
            connection.execute(
                insert(OLD_OUTBOX),
                [
                    _old_email(team_id, "sent@example.org", QUEUED_AT, 1),
                    _old_email(team_id, "failing@example.org", None, 3),
                    _old_email(team_id, "new@example.org", None, 0),
                ],
            )

        flask_migrate.upgrade(revision=STATES)

        # The columns of this revision only: later ones (``private``, ``from_name``) are not
        # there yet.
        later = {"private", "from_name"}
        columns = [c for c in OutboxEmail.__table__.columns if c.name not in later]
        with _db.engine.connect() as connection:
            rows = {row.to_email: row for row in connection.execute(select(*columns))}
        assert rows["sent@example.org"].status is OutboxStatus.SENT
        # Every email not sent is due at once, its attempts and error kept.
        failing, new = rows["failing@example.org"], rows["new@example.org"]
        assert (failing.status, failing.attempts) == (OutboxStatus.WAITING, 3)
        assert failing.last_error == "SMTPServerDisconnected: gone"
        assert (new.status, new.attempts) == (OutboxStatus.WAITING, 0)
        assert {row.next_attempt_at for row in rows.values()} == {QUEUED_AT}
        assert {row.last_attempt_at for row in rows.values()} == {None}

        flask_migrate.downgrade(revision=BEFORE_STATES)
        with _db.engine.connect() as connection:
            count = connection.scalar(text("SELECT count(*) FROM outbox_email"))
        assert count == 3
    finally:
        flask_migrate.upgrade()
        delete_committed_team(_db.engine, team_id)
