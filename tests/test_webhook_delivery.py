"""Delivering webhooks to a real receiver on a local port: signed so that the documented
snippet verifies them, retried with backoff, each event delivered once however many workers
run, refused on private addresses at each delivery, and an endpoint that keeps failing is
turned off with an email to the admins."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import Role, Team
from interviewer.mail.models import OutboxEmail
from interviewer.webhooks import delivery, targets
from interviewer.webhooks.docs import SNIPPET
from interviewer.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests import factories
from tests.conftest import delete_committed_team
from tests.test_webhooks import SECRET, add_endpoint, receiver

START = datetime(2031, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def private_ok(app, monkeypatch):
    """The local receiver is on loopback: allow it, as a team's own network would."""
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_PRIVATE", True)


@pytest.fixture
def context(app, db):
    with app.app_context():
        yield


def verify():
    """The README's snippet, run as a receiver would run it."""
    namespace: dict = {}
    exec(SNIPPET, namespace)  # noqa: S102 - the documented code itself
    return namespace["verify"]


def queue(endpoint, event_type="interview.scheduled", data=None, session=None):
    from interviewer.extensions import db

    event_id = str(uuid.uuid4())
    row = WebhookDelivery(
        team_id=endpoint.team_id,
        endpoint=endpoint,
        event_id=event_id,
        event_type=event_type,
        payload=json.dumps({"id": event_id, "type": event_type, "data": data or {"n": 1}}),
    )
    (session or db.session).add(row)
    (session or db.session).flush()
    return row


def test_a_delivery_is_signed_so_that_the_snippet_verifies_it(db, context, private_ok):
    with receiver() as hook:
        endpoint = add_endpoint(factories.TeamFactory(), url=hook.url)
        row = queue(endpoint)
        report = delivery.deliver_due(db.session)

    assert report.delivered == 1
    [(headers, body)] = hook.requests
    assert headers["Interviewer-Event"] == "interview.scheduled"
    assert headers["Interviewer-Delivery"] == row.event_id
    assert headers["Content-Type"] == "application/json"
    assert body == row.payload.encode()
    check = verify()
    assert check(SECRET, body, headers["Interviewer-Signature"])
    assert not check("whsec_another", body, headers["Interviewer-Signature"])
    assert not check(SECRET, body + b" ", headers["Interviewer-Signature"])
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.DELIVERED, 1, 200)
    assert endpoint.last_status == "200" and endpoint.last_delivery_at is not None


def test_the_snippet_refuses_a_replay_older_than_five_minutes(db, context, private_ok):
    with receiver() as hook:
        row = queue(add_endpoint(factories.TeamFactory(), url=hook.url))
        delivery.deliver_due(db.session)
    [(headers, body)] = hook.requests
    header = headers["Interviewer-Signature"]
    sent_at = int(header.split(",")[0].removeprefix("t="))
    check = verify()

    assert check(SECRET, body, header, now=sent_at + 299)
    assert not check(SECRET, body, header, now=sent_at + 301)
    assert not check(SECRET, body, "t=abc,v1=00")
    assert row.status is DeliveryStatus.DELIVERED


def test_a_failing_delivery_is_retried_with_backoff_then_failed(db, context, private_ok):
    with receiver(codes=(500,)) as hook:
        endpoint = add_endpoint(factories.TeamFactory(), url=hook.url)
        with time_machine.travel(START, tick=False) as clock:
            row = queue(endpoint)
            waits = []
            for _attempt in range(delivery.MAX_ATTEMPTS):
                assert delivery.deliver_due(db.session).attempted == 1
                if row.status is DeliveryStatus.FAILED:
                    break
                wait = row.next_attempt_at - datetime.now(UTC)
                waits.append(wait)
                clock.shift(wait - timedelta(seconds=1))
                assert delivery.deliver_due(db.session).attempted == 0, "tried too early"
                clock.shift(timedelta(seconds=1))

    assert waits == list(delivery.BACKOFF)
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, delivery.MAX_ATTEMPTS)
    assert len(hook.requests) == delivery.MAX_ATTEMPTS
    attempts = db.session.scalars(select(WebhookAttempt)).all()
    assert [a.status_code for a in attempts] == [500] * delivery.MAX_ATTEMPTS
    assert all("500" in a.error and a.duration_ms >= 0 for a in attempts)
    assert endpoint.failures_in_a_row == 1 and endpoint.enabled


def test_five_deliveries_failed_in_a_row_turn_the_endpoint_off_and_email_the_admins(
    db, context, private_ok
):
    team = factories.TeamFactory()
    admin = factories.UserFactory(team=team, role=Role.ADMIN, email="ada@team.example")
    factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    with receiver(codes=(503,)) as hook:
        endpoint = add_endpoint(team, url=hook.url, failures_in_a_row=4)
        row = queue(endpoint)
        row.attempts = delivery.MAX_ATTEMPTS - 1  # its last attempt is due
        waiting = queue(endpoint)
        db.session.flush()
        report = delivery.deliver_due(db.session, limit=1)
        later = delivery.deliver_due(db.session)

    assert report.disabled == 1 and later.attempted == 0
    assert endpoint.enabled is False and "repeated failed deliveries" in endpoint.disabled_reason
    assert waiting.status is DeliveryStatus.WAITING, "kept for when it is turned on again"
    [email] = db.session.scalars(select(OutboxEmail)).all()
    assert email.to_email == admin.email and endpoint.url in email.body


def test_a_day_of_failures_turns_the_endpoint_off(db, context, private_ok):
    team = factories.TeamFactory()
    factories.UserFactory(team=team, role=Role.ADMIN)
    with receiver(codes=(500,)) as hook:
        endpoint = add_endpoint(
            team, url=hook.url, failing_since=datetime.now(UTC) - timedelta(hours=25)
        )
        queue(endpoint)
        delivery.deliver_due(db.session)
    assert endpoint.enabled is False
    assert len(db.session.scalars(select(OutboxEmail)).all()) == 1


def test_a_success_resets_the_failure_count(db, context, private_ok):
    with receiver() as hook:
        endpoint = add_endpoint(factories.TeamFactory(), url=hook.url, failures_in_a_row=3)
        queue(endpoint)
        delivery.deliver_due(db.session)
    assert (endpoint.failures_in_a_row, endpoint.failing_since) == (0, None)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "https://169.254.169.254/latest",
        "https://[::1]/hook",
        "https://localhost/hook",
    ],
)
def test_private_addresses_are_refused_at_delivery_without_connecting(db, context, url):
    endpoint = add_endpoint(factories.TeamFactory(), url=url)
    row = queue(endpoint)
    delivery.deliver_due(db.session)
    [attempt] = db.session.scalars(select(WebhookAttempt)).all()
    assert attempt.status_code is None and "only to public addresses" in attempt.error
    assert row.status is DeliveryStatus.WAITING and row.attempts == 1


def test_the_host_is_resolved_once_per_delivery_and_that_address_is_used(db, context, monkeypatch):
    """A DNS answer that changes after the check (rebinding) cannot switch the target."""
    calls = []
    with receiver() as hook:
        port = hook.server.server_address[1]

        def resolving(host, *args, **kwargs):
            calls.append(host)
            # The first answer is the one checked and used; a later one would be private.
            address = "93.184.216.34" if len(calls) == 1 else "127.0.0.1"
            return [(2, 1, 6, "", (address, port))]

        monkeypatch.setattr(targets.socket, "getaddrinfo", resolving)
        connected = []

        def connect(address, timeout=None, *args, **kwargs):
            connected.append(address)
            sock = socket.socket()
            sock.settimeout(timeout)
            sock.connect(("127.0.0.1", port))
            return sock

        monkeypatch.setattr(targets.socket, "create_connection", connect)
        endpoint = add_endpoint(factories.TeamFactory(), url=f"http://hooks.example.com:{port}/in")
        queue(endpoint)
        claim = delivery.claim_batch(db.session, datetime.now(UTC), 1)[0]
        outcome = delivery.send(claim, private_ok=True)

    assert calls == ["hooks.example.com"]
    assert connected == [("93.184.216.34", port)]
    assert outcome.status_code == 200
    [(headers, _body)] = hook.requests
    assert headers["Host"] == f"hooks.example.com:{port}"


def test_the_host_header_names_the_host_when_connecting_to_its_address(
    db, context, monkeypatch, private_ok
):
    with receiver() as hook:
        port = hook.server.server_address[1]
        monkeypatch.setattr(
            targets.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", port))]
        )
        queue(add_endpoint(factories.TeamFactory(), url=f"http://hooks.example.com:{port}/in"))
        assert delivery.deliver_due(db.session).delivered == 1
    [(headers, _body)] = hook.requests
    assert headers["Host"] == f"hooks.example.com:{port}"


def test_running_the_delivery_twice_delivers_each_event_once(db, context, private_ok):
    with receiver() as hook:
        endpoint = add_endpoint(factories.TeamFactory(), url=hook.url)
        rows = [queue(endpoint) for _ in range(5)]
        first = delivery.deliver_due(db.session)
        second = delivery.deliver_due(db.session)
    assert (first.delivered, second.attempted) == (5, 0)
    received = [headers["Interviewer-Delivery"] for headers, _ in hook.requests]
    assert sorted(received) == sorted(row.event_id for row in rows)


def test_redelivered_event_goes_out_again_with_the_same_id(db, context, private_ok):
    from interviewer.webhooks.services import redeliver

    with receiver() as hook:
        endpoint = add_endpoint(factories.TeamFactory(), url=hook.url)
        row = queue(endpoint)
        delivery.deliver_due(db.session)
        redeliver(db.session, row, factories.UserFactory(team=endpoint.team, role=Role.ADMIN))
        delivery.deliver_due(db.session)
    ids = [headers["Interviewer-Delivery"] for headers, _ in hook.requests]
    assert ids == [row.event_id, row.event_id]
    assert len(row.history) == 2


# Two workers at once, on real connections ------------------------------------------------


@pytest.fixture
def engine(app):
    from interviewer.extensions import db

    with app.app_context():
        return db.engine


def test_two_workers_at_once_deliver_each_event_exactly_once(app, engine, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (SQLite in memory is per connection)")
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_PRIVATE", True)
    with receiver(delay=0.05) as hook:
        with Session(engine) as session:
            key = uuid.uuid4().hex[:8]
            team = Team(name=f"Hooks {key}", slug=f"hooks-{key}")
            endpoint = WebhookEndpoint(team=team, url=hook.url, events="", secret=SECRET)
            session.add_all([team, endpoint])
            session.flush()
            ids = [queue(endpoint, session=session).event_id for _ in range(30)]
            session.commit()
            team_id = team.id
        reports, errors = [], []

        def worker():
            try:
                with app.app_context(), Session(engine) as session:
                    reports.append(delivery.deliver_due(session))
            except Exception as error:  # reported below
                errors.append(error)

        try:
            threads = [threading.Thread(target=worker) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        finally:
            received = [headers["Interviewer-Delivery"] for headers, _ in hook.requests]
            delete_committed_team(engine, team_id)

    assert errors == []
    assert sorted(received) == sorted(ids)
    assert sum(report.delivered for report in reports) == 30
    assert all(report.delivered > 0 for report in reports), "they did not run at once"


def test_deliver_webhooks_command_sends_what_is_due(app, db, runner, private_ok):
    with receiver() as hook:
        queue(add_endpoint(factories.TeamFactory(), url=hook.url))
        result = runner.invoke(args=["deliver-webhooks"])
    assert result.exit_code == 0, result.output
    assert "Delivered 1 webhook(s)" in result.output
    assert len(hook.requests) == 1


def test_the_worker_runs_webhook_delivery_every_minute():
    from interviewer.worker import PERIODIC_JOBS, deliver_webhooks

    [job] = [job for job in PERIODIC_JOBS if job.name == "deliver_webhooks"]
    assert job.run is deliver_webhooks and job.every_minutes == 1


def _self_signed(tmp_path, host: str):
    """A certificate for ``host`` and its key, made by ``openssl`` (skipped without it)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key)]
        + ["-out", str(cert), "-days", "1", "-subj", f"/CN={host}"]
        + ["-addext", f"subjectAltName=DNS:{host}"],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.parametrize("trusted", [True, False])
def test_https_goes_to_the_resolved_address_with_sni_and_the_hosts_certificate(
    db, context, monkeypatch, tmp_path, trusted
):
    host = "hooks.example.com"
    cert, key = _self_signed(tmp_path, host)
    with receiver() as hook:
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(cert, key)
        names = []
        server_context.sni_callback = lambda sock, name, ctx: names.append(name)
        hook.server.socket = server_context.wrap_socket(hook.server.socket, server_side=True)
        port = hook.server.server_address[1]
        monkeypatch.setattr(
            targets.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", port))]
        )
        if trusted:
            # The receiver's certificate stands in for a public CA's.
            real = ssl.create_default_context
            monkeypatch.setattr(
                targets.ssl, "create_default_context", lambda: real(cafile=str(cert))
            )
        queue(add_endpoint(factories.TeamFactory(), url=f"https://{host}:{port}/in"))
        claim = delivery.claim_batch(db.session, datetime.now(UTC), 1)[0]
        outcome = delivery.send(claim, private_ok=True)

    if trusted:
        assert outcome.status_code == 200, outcome.error
        assert names == [host]
        assert hook.requests[0][0]["Host"] == f"{host}:{port}"
    else:
        assert outcome.status_code is None and "CERTIFICATE_VERIFY_FAILED" in outcome.error
        assert hook.requests == []


def test_a_dead_workers_last_attempt_is_marked_failed_once_its_lease_is_over(db, context):
    endpoint = add_endpoint(factories.TeamFactory())
    row = queue(endpoint)
    row.status, row.attempts = DeliveryStatus.SENDING, delivery.MAX_ATTEMPTS
    row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.flush()
    assert delivery.deliver_due(db.session).failed == 1
    db.session.refresh(row)
    assert row.status is DeliveryStatus.FAILED and "interrupted" in row.last_error


def test_a_result_after_the_claim_was_taken_over_does_not_overwrite_it(db, context, private_ok):
    with receiver(codes=(500,)) as hook:
        row = queue(add_endpoint(factories.TeamFactory(), url=hook.url))
        claim = delivery.claim_batch(db.session, datetime.now(UTC), 1)[0]
        row.attempts += 1  # another worker claimed it again once the lease ran out
        db.session.flush()
        delivery.record(db.session, claim, delivery.send(claim), delivery.DeliveryReport())
    db.session.refresh(row)
    assert (row.status, row.last_status_code) == (DeliveryStatus.SENDING, None)
