"""A long outbox is sent in batches: one claim per batch (one, two, four... up to
``BATCH`` emails), one result per email, every email once and none left behind."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import func, select

from interviewer.mail import delivery
from interviewer.mail.models import OutboxEmail, OutboxStatus
from tests.test_outbox_retries import START, _queue
from tests.test_outbox_retries import server as server  # a fixture

EMAILS = 300


@pytest.fixture
def many(db):
    return _queue(db, *(f"person{n}@example.org" for n in range(EMAILS)))


def _claims(statements: list[str]) -> int:
    return sum(
        statement.lstrip().upper().startswith(("UPDATE", "WITH")) and "LIMIT" in statement.upper()
        for statement in statements
    )


def test_a_long_outbox_is_claimed_in_growing_batches_and_each_email_sent_once(
    runner, db, server, many, count_queries
):
    with count_queries() as counter, time_machine.travel(START, tick=False):
        result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert f"Sent {EMAILS} email(s)" in result.output
    assert server.recorder.received_by() == {email.to_email: 1 for email in many}
    # 1 + 2 + 4 + ... + 64 = 127 emails, then batches of 100 (the second finds 73 left),
    # then the claim that finds none.
    assert _claims(counter.statements) == 7 + 2 + 1
    # Per email one result; per run a handful more (abandoned claims, the claims, counts).
    assert counter.count <= EMAILS + 15
    db.session.expire_all()
    by_status = select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
    counts = {status: count for status, count in db.session.execute(by_status)}
    assert counts == {OutboxStatus.SENT: EMAILS}
    assert db.session.scalar(select(func.max(OutboxEmail.attempts))) == 1


def test_a_claim_takes_no_more_than_its_batch(db, many):
    claims = delivery.claim_batch(db.session, START, delivery.BATCH)

    assert [claim.email_id for claim in claims] == [email.id for email in many[: delivery.BATCH]]
    db.session.expire_all()
    sending = db.session.scalar(
        select(func.count()).where(OutboxEmail.status == OutboxStatus.SENDING)
    )
    assert sending == delivery.BATCH


def test_a_limit_is_kept_across_batches(runner, db, server, many):
    with time_machine.travel(START, tick=False):
        result = runner.invoke(args=["send-mail", "--limit", "10"])

    assert "Sent 10 email(s)" in result.output
    assert sum(server.recorder.received_by().values()) == 10
    db.session.expire_all()
    waiting = db.session.scalar(
        select(func.count()).where(
            OutboxEmail.status == OutboxStatus.WAITING, OutboxEmail.attempts == 0
        )
    )
    assert waiting == EMAILS - 10


def test_when_the_server_goes_away_the_rest_of_the_batch_is_handed_back_untried(
    runner, db, server, many, monkeypatch
):
    sent = []
    real = delivery._send

    def flaky(claim, settings, connection, report):
        if len(sent) == 5:
            claim.build(settings.sender)
            if connection is not None:
                connection.close()
            report.stopped = "OSError: connection reset"
            return None, OSError("connection reset")
        sent.append(claim.email_id)
        return real(claim, settings, connection, report)

    monkeypatch.setattr(delivery, "_send", flaky)
    with time_machine.travel(START, tick=False):
        result = runner.invoke(args=["send-mail"])

    assert "Stopped early" in result.output
    db.session.expire_all()
    rows = {email.id: (email.status, email.attempts) for email in many}
    assert sum(state == (OutboxStatus.SENT, 1) for state in rows.values()) == 5
    assert sum(state == (OutboxStatus.WAITING, 1) for state in rows.values()) == 1
    # The others, the rest of its batch among them, wait untried and due at once.
    untried = [email for email in many if email.attempts == 0]
    assert len(untried) == EMAILS - 6
    assert all(email.status is OutboxStatus.WAITING for email in untried)
    assert all(email.next_attempt_at <= START for email in untried)
