"""Failures with a frozen clock: a temporary refusal is retried with backoff and ends failed
after the last attempt, a permanent one stops at once, a dead sender's claim runs out, and
an admin sends a failed email again with the Retry button."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.mail import delivery
from interviewer.mail.delivery import BACKOFF, LEASE, MAX_ATTEMPTS
from interviewer.mail.models import OutboxEmail, OutboxStatus
from interviewer.mail.outbox import queue_emails
from tests import factories
from tests.smtp_server import smtp_server
from tests.test_outbox import SMTP_VARIABLES

#: A Monday morning: every email of these tests is queued then.
START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
GREYLISTED = "451 4.7.1 Greylisted, try again later"
NO_SUCH_USER = "550 5.1.1 No such user here"


@pytest.fixture
def server(app, monkeypatch):
    """A local SMTP server that ``flask send-mail`` delivers to."""
    with smtp_server() as running:
        for name in SMTP_VARIABLES:
            monkeypatch.setitem(app.config, name, None)
        monkeypatch.setitem(app.config, "SMTP_HOST", running.host)
        monkeypatch.setitem(app.config, "SMTP_PORT", str(running.port))
        monkeypatch.setitem(app.config, "SMTP_STARTTLS", "false")
        monkeypatch.setitem(app.config, "SMTP_TIMEOUT", "10")
        yield running


def _queue(db, *addresses: str, team=None) -> list[OutboxEmail]:
    """Emails to ``addresses``, queued and committed at ``START``."""
    team = team or factories.TeamFactory()
    with time_machine.travel(START, tick=False):
        emails = queue_emails(
            db.session,
            [
                OutboxEmail(team=team, to_email=address, subject="Interview booked", body="Hi.")
                for address in addresses
            ],
        )
        db.session.commit()
    return emails


def _send_mail(runner, db, when: datetime):
    with time_machine.travel(when, tick=False):
        result = runner.invoke(args=["send-mail"])
    db.session.expire_all()
    return result


def test_a_temporary_refusal_is_retried_with_backoff_and_fails_after_the_last_attempt(
    runner, db, server
):
    server.recorder.refuse["jane@example.org"] = GREYLISTED
    [email] = _queue(db, "jane@example.org")
    attempt_times = [START]
    for wait in BACKOFF:
        attempt_times.append(attempt_times[-1] + wait)

    for number, when in enumerate(attempt_times, start=1):
        if number > 1:
            early = _send_mail(runner, db, when - timedelta(seconds=1))
            assert "No email is due: 1 wait" in early.output
            assert email.attempts == number - 1
        result = _send_mail(runner, db, when)
        assert result.exit_code == 1
        assert (email.attempts, email.last_attempt_at) == (number, when)
        assert "451" in email.last_error and "Greylisted" in email.last_error
        if number < MAX_ATTEMPTS:
            assert email.status is OutboxStatus.WAITING
            assert email.next_attempt_at == when + BACKOFF[number - 1]
            assert f"the first at {email.next_attempt_at:%Y-%m-%d %H:%M} UTC" in result.output
        else:
            assert email.status is OutboxStatus.FAILED
            assert "1 email(s) failed permanently" in result.output

    assert MAX_ATTEMPTS == 8
    assert attempt_times[-1] - START == timedelta(hours=44, minutes=36)
    later = _send_mail(runner, db, attempt_times[-1] + timedelta(days=30))
    assert "nothing to send" in later.output
    assert email.attempts == MAX_ATTEMPTS
    assert server.recorder.messages == []


def test_an_email_refused_for_now_is_delivered_by_its_next_attempt(runner, db, server):
    server.recorder.refuse["jane@example.org"] = GREYLISTED
    [email] = _queue(db, "jane@example.org")
    _send_mail(runner, db, START)
    del server.recorder.refuse["jane@example.org"]

    result = _send_mail(runner, db, START + BACKOFF[0])

    assert result.exit_code == 0, result.output
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)
    assert email.sent_at == START + BACKOFF[0]
    assert server.recorder.received_by() == {"jane@example.org": 1}


def test_a_permanent_refusal_fails_at_once_and_is_never_tried_again(runner, db, server):
    server.recorder.refuse["gone@example.org"] = NO_SUCH_USER
    gone, jane = _queue(db, "gone@example.org", "jane@example.org")

    result = _send_mail(runner, db, START)

    assert result.exit_code == 1
    assert "Sent 1 email(s)" in result.output
    assert "1 email(s) failed permanently" in result.output
    assert (gone.status, gone.attempts) == (OutboxStatus.FAILED, 1)
    assert "550" in gone.last_error and "No such user" in gone.last_error
    assert jane.is_sent
    assert "nothing to send" in _send_mail(runner, db, START + timedelta(days=3)).output
    assert gone.attempts == 1
    assert server.recorder.received_by() == {"jane@example.org": 1}


def test_an_invalid_address_fails_at_once_without_reaching_the_server(runner, db, server):
    broken, jane = _queue(db, "jane.example.org", "jane@example.org")

    result = _send_mail(runner, db, START)

    assert "1 email(s) failed permanently" in result.output
    assert (broken.status, broken.attempts) == (OutboxStatus.FAILED, 1)
    assert "EmailSyntaxError: An email address must have an @-sign." in broken.last_error
    assert server.recorder.received_by() == {"jane@example.org": 1}


def test_a_dead_senders_email_is_sent_once_its_claim_has_run_out(runner, db, server):
    [email] = _queue(db, "jane@example.org")
    # A sender claims the email, then dies before sending it.
    claim = delivery.claim_next(db.session, "hiring@acme.example.com", START)
    db.session.expire_all()
    assert (claim.email_id, claim.attempt) == (email.id, 1)
    assert (email.status, email.next_attempt_at) == (OutboxStatus.SENDING, START + LEASE)

    during = _send_mail(runner, db, START + LEASE - timedelta(seconds=1))
    assert "No email is due: 1 wait" in during.output
    after = _send_mail(runner, db, START + LEASE)

    assert after.exit_code == 0, after.output
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)
    assert server.recorder.received_by() == {"jane@example.org": 1}


def test_an_email_whose_last_attempt_was_cut_short_is_marked_failed(runner, db, server):
    [email] = _queue(db, "jane@example.org")
    email.attempts = MAX_ATTEMPTS - 1
    db.session.commit()
    delivery.claim_next(db.session, "hiring@acme.example.com", START)

    result = _send_mail(runner, db, START + LEASE)

    assert "1 email(s) failed permanently" in result.output
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)
    assert email.last_error == delivery.ABANDONED
    assert server.recorder.messages == []


def _failed(db, team, address: str = "gone@example.org") -> OutboxEmail:
    [email] = _queue(db, address, team=team)
    email.status, email.attempts = OutboxStatus.FAILED, MAX_ATTEMPTS
    email.last_attempt_at, email.last_error = START, f"SMTPRecipientsRefused: {NO_SUCH_USER}"
    db.session.commit()
    return email


def test_the_failed_tab_shows_the_error_and_the_retry_button_sends_it_again(
    client, auth, runner, db, server
):
    admin = auth.login(Role.ADMIN)
    email = _failed(db, admin.team)

    page = client.get("/admin/outbox?show=failed").get_data(as_text=True)
    assert "gone@example.org" in page
    assert "No such user here" in page
    assert "after 8 attempts" in page
    assert f'action="/admin/outbox/{email.id}/retry?show=failed"' in page

    response = client.post(f"/admin/outbox/{email.id}/retry?show=failed")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/outbox?show=failed")
    db.session.expire_all()
    assert (email.status, email.attempts) == (OutboxStatus.WAITING, 0)
    assert abs(email.next_attempt_at - datetime.now(UTC)) < timedelta(minutes=1)
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "outbox_email.retried")
    ).all()
    assert (event.actor_id, event.subject_id, event.team_id) == (admin.id, email.id, admin.team_id)
    assert event.data["attempts"] == MAX_ATTEMPTS
    assert "No such user" in event.data["last_error"]
    after = client.get("/admin/outbox?show=failed").get_data(as_text=True)
    assert "will be sent on the next delivery run" in after
    assert "No email has failed." in after

    result = runner.invoke(args=["send-mail"])
    db.session.expire_all()
    assert "Sent 1 email(s)" in result.output
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
    assert server.recorder.received_by() == {"gone@example.org": 1}


def test_the_retry_button_on_an_emails_page_leads_back_to_it(client, auth, db):
    admin = auth.login(Role.ADMIN)
    email = _failed(db, admin.team)

    page = client.get(f"/admin/outbox/{email.id}").get_data(as_text=True)
    response = client.post(f"/admin/outbox/{email.id}/retry")

    assert "Failed after 8 attempts" in page and ">Retry</button>" in page
    assert response.headers["Location"].endswith(f"/admin/outbox/{email.id}")
    assert "will be sent on the next delivery run" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_a_sent_email_is_not_sent_again_by_the_retry_button(client, auth, db):
    admin = auth.login(Role.ADMIN)
    [email] = _queue(db, "jane@example.org", team=admin.team)
    email.status, email.sent_at, email.attempts = OutboxStatus.SENT, START, 1
    db.session.commit()

    page = client.get(f"/admin/outbox/{email.id}").get_data(as_text=True)
    response = client.post(f"/admin/outbox/{email.id}/retry", follow_redirects=True)

    assert ">Retry</button>" not in page
    assert "This email was sent already." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
    assert (
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "outbox_email")
        ).all()
        == []
    )


def test_the_retry_button_needs_an_admin_of_the_team_and_the_forms_token(
    app, client, auth, db, monkeypatch
):
    team = factories.TeamFactory()
    email = _failed(db, team)

    auth.login(Role.HIRING_MANAGER, team=team)
    assert client.post(f"/admin/outbox/{email.id}/retry").status_code == 403
    auth.logout()
    auth.login(Role.ADMIN)
    assert client.post(f"/admin/outbox/{email.id}/retry").status_code == 404
    auth.logout()
    auth.login(Role.ADMIN, team=team)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/admin/outbox/{email.id}/retry").status_code == 400

    db.session.expire_all()
    assert email.status is OutboxStatus.FAILED


def test_the_users_page_counts_the_teams_waiting_and_failed_emails(client, auth, db):
    admin = auth.login(Role.ADMIN)
    assert "Outbox: 0 email(s) waiting, 0 failed." in client.get("/team/users").get_data(
        as_text=True
    )
    waiting, sending, sent = _queue(
        db, "a@example.org", "b@example.org", "c@example.org", team=admin.team
    )
    sending.status, sent.status = OutboxStatus.SENDING, OutboxStatus.SENT
    _failed(db, admin.team)
    _failed(db, factories.TeamFactory())
    db.session.commit()

    page = client.get("/team/users").get_data(as_text=True)
    outbox = client.get("/admin/outbox").get_data(as_text=True)

    assert "Outbox: 2 email(s) waiting, 1 failed." in page
    assert 'href="/admin/outbox?show=failed">See the failed emails</a>' in page
    assert "Failed <span" in outbox and ">1</span>" in outbox


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"Mailbox full")}), False),
        (smtplib.SMTPSenderRefused(553, b"Sender not allowed", "x@example.org"), True),
        (smtplib.SMTPDataError(554, b"Message rejected as spam"), True),
        (smtplib.SMTPDataError(451, b"Local error, try later"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (TimeoutError("timed out"), False),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported by server"), True),
    ],
)
def test_5xx_replies_and_unsendable_messages_are_permanent_the_rest_may_pass(error, permanent):
    assert delivery.is_permanent(error) is permanent
