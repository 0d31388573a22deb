"""Several senders at once against a slow SMTP server: every email arrives exactly once.

The emails are really committed (each sender has its own connection), so these tests build
their own team and delete it afterwards instead of using the rolled-back ``db``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.mail import delivery
from interviewer.mail.models import OutboxEmail, OutboxStatus
from interviewer.mail.settings import SmtpSettings
from tests.conftest import delete_committed_team
from tests.smtp_server import smtp_server

ROOT = Path(__file__).resolve().parent.parent
#: As many emails as the measurement that found 19 messages for 10 emails.
EMAILS = 10
#: Seconds the server takes to accept each message: ten take three seconds, long enough for
#: the second sender to start while the first one is still sending.
DELAY = 0.3


@pytest.fixture
def engine(app):
    from interviewer.extensions import db

    with app.app_context():
        return db.engine


@pytest.fixture
def queue(engine):
    """``queue(n)`` commits a team with ``n`` emails waiting in the outbox; returns the team's
    id and the addresses. The team is deleted afterwards."""
    teams = []

    def queue_emails(count: int) -> tuple[int, list[str]]:
        key = uuid.uuid4().hex[:8]
        with Session(engine) as session:
            team = Team(name=f"Outbox {key}", slug=f"outbox-{key}")
            emails = [
                OutboxEmail(
                    team=team,
                    to_email=f"person{n}-{key}@example.org",
                    subject=f"Interview booked {n}",
                    body="See you on Wednesday.",
                )
                for n in range(count)
            ]
            session.add_all(emails)
            session.commit()
            teams.append(team.id)
            return team.id, [email.to_email for email in emails]

    yield queue_emails
    for team_id in teams:
        delete_committed_team(engine, team_id)


@pytest.fixture
def queued(queue):
    """A team with ``EMAILS`` emails waiting in the outbox, really committed."""
    return queue(EMAILS)


def _rows(engine, team_id: int) -> list[OutboxEmail]:
    with Session(engine) as session:
        return list(session.scalars(select(OutboxEmail).where(OutboxEmail.team_id == team_id)))


def _send_mail_process(engine, server) -> subprocess.Popen:
    """``flask send-mail`` in a process of its own, as cron starts it."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("SMTP_") and name != "MAIL_FROM"
    }
    env.update(
        FLASK_APP="interviewer",
        INTERVIEWER_ENV="development",
        DATABASE_URL=engine.url.render_as_string(hide_password=False),
        SMTP_HOST=server.host,
        SMTP_PORT=str(server.port),
        SMTP_STARTTLS="false",
        SMTP_TIMEOUT="30",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "send-mail"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _sent(output: str) -> int:
    found = re.search(r"Sent (\d+) email", output)
    return int(found.group(1)) if found else 0


def test_two_send_mail_runs_at_once_deliver_each_email_exactly_once(engine, queued):
    team_id, addresses = queued

    with smtp_server(delay=DELAY, senders=2) as server:
        senders = [_send_mail_process(engine, server) for _ in range(2)]
        outputs = [sender.communicate(timeout=120)[0] for sender in senders]

    assert [sender.returncode for sender in senders] == [0, 0], outputs
    received = server.recorder.received_by()
    assert sum(received.values()) == EMAILS, f"{sum(received.values())} messages: {outputs}"
    assert received == dict.fromkeys(addresses, 1)
    # Both really worked at once, sharing the emails between them.
    assert sorted(_sent(output) > 0 for output in outputs) == [True, True], outputs
    assert sum(_sent(output) for output in outputs) == EMAILS
    rows = _rows(engine, team_id)
    assert all(row.is_sent and row.sent_at is not None for row in rows)
    assert [row.attempts for row in rows] == [1] * EMAILS


def test_four_senders_in_threads_share_the_outbox_and_send_each_email_once(engine, queued):
    """The function the worker calls, four times at once over separate connections."""
    team_id, addresses = queued
    settings = SmtpSettings(host="127.0.0.1", starttls=False, timeout=30)
    reports, errors = [], []

    def sender(port: int) -> None:
        try:
            with Session(engine) as session:
                reports.append(
                    delivery.deliver_due(session, smtp_settings=replace(settings, port=port))
                )
        except Exception as error:  # reported below, with the others' results
            errors.append(error)

    with smtp_server(delay=DELAY / 3, senders=4) as server:
        threads = [threading.Thread(target=sender, args=(server.port,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    assert server.recorder.received_by() == dict.fromkeys(addresses, 1)
    assert len(reports) == 4
    assert all(report.sent > 0 for report in reports), "they did not run at once"
    assert sum(report.sent for report in reports) == EMAILS
    assert [row.attempts for row in _rows(engine, team_id)] == [1] * EMAILS


def test_a_killed_senders_email_is_sent_once_after_its_claim_has_run_out(engine, queue):
    team_id, [address] = queue(1)

    with smtp_server() as server:
        server.recorder.stall.add(address)
        sender = _send_mail_process(engine, server)
        try:
            assert server.recorder.stalled.wait(60), "the sender never reached the server"
        finally:
            sender.kill()
            sender.communicate(timeout=30)
        server.recorder.stall.clear()
        [claimed] = _rows(engine, team_id)
        assert (claimed.status, claimed.attempts) == (OutboxStatus.SENDING, 1)
        assert claimed.next_attempt_at == claimed.last_attempt_at + delivery.LEASE
        settings = SmtpSettings(host=server.host, port=server.port, starttls=False, timeout=30)

        with Session(engine) as session:
            during = delivery.deliver_due(
                session, now=claimed.next_attempt_at - timedelta(seconds=1), smtp_settings=settings
            )
        with Session(engine) as session:
            after = delivery.deliver_due(
                session, now=claimed.next_attempt_at, smtp_settings=settings
            )

    assert (during.attempted, after.sent) == (0, 1)
    assert server.recorder.received_by() == {address: 1}
    [row] = _rows(engine, team_id)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
