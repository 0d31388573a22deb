"""The outbox: interview emails queued with their calendar file, delivered by
``flask send-mail`` when SMTP works and kept with the error when it does not.

Retries, backoff and the Retry button: ``test_outbox_retries.py``; several senders at once:
``test_outbox_exactly_once.py``."""

from __future__ import annotations

import email
import re
import smtplib
import socket
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.mail.models import OutboxEmail, OutboxStatus
from interviewer.scheduling.emails import queue_interview_email
from interviewer.scheduling.models import InterviewStatus
from tests import factories

SMTP_VARIABLES = (
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "SMTP_SSL",
    "SMTP_TIMEOUT",
    "MAIL_FROM",
)


@pytest.fixture(autouse=True)
def no_smtp_settings(app, monkeypatch):
    """Each test starts without mail settings, whatever the machine's environment holds."""
    for name in SMTP_VARIABLES:
        monkeypatch.setitem(app.config, name, None)


@pytest.fixture
def interview(db):
    """An interview on Wednesday 10:00 UTC with two interviewers in different zones."""
    team = factories.TeamFactory(name="Acme")
    job = factories.JobFactory(team=team, title="Platform Engineer")
    stage = factories.PlanStageFactory(
        team=team,
        job=job,
        stage_type=factories.StageTypeFactory(team=team, key="system_design", name="System design"),
        name="System design",
    )
    factories.KitVersionFactory(
        team=team, plan_stage=stage, what_to_expect="Sketch a service on a shared board."
    )
    candidate = factories.CandidateFactory(
        team=team, name="Jane Doe", email="jane@example.org", timezone="America/New_York"
    )
    application = factories.ApplicationFactory(team=team, job=job, candidate=candidate)
    starts = datetime(2031, 3, 5, 15, 0, tzinfo=UTC)
    booked = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=stage,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        timezone="Europe/Berlin",
    )
    for name, address, tz in (
        ("Ana Lopez", "ana@acme.example.com", "Europe/Berlin"),
        ("Ben Okafor", "ben@acme.example.com", "Asia/Tokyo"),
    ):
        user = factories.UserFactory(team=team, name=name, email=address, timezone=tz)
        factories.PanelMemberFactory(team=team, interview=booked, user=user)
    db.session.expire_all()
    return booked


def _queued(db) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_scheduling_queues_one_email_to_each_interviewer_and_the_candidate(db, interview):
    queue_interview_email(db.session, interview, "scheduled", portal_link="https://x/portal/t")

    emails = {mail.to_email: mail for mail in _queued(db)}

    assert set(emails) == {"ana@acme.example.com", "ben@acme.example.com", "jane@example.org"}
    assert all(mail.sent_at is None and mail.attempts == 0 for mail in emails.values())
    assert all(mail.method == "REQUEST" for mail in emails.values())
    ana, ben, jane = (
        emails["ana@acme.example.com"],
        emails["ben@acme.example.com"],
        emails["jane@example.org"],
    )
    assert ana.subject == "Interview booked: System design with Jane Doe"
    # Each reads the time in their own zone.
    assert "Wed 05 Mar, 16:00-17:00 (Berlin time)" in ana.body
    assert "Thu 06 Mar, 00:00-01:00 (Tokyo time)" in ben.body
    assert "Wed 05 Mar, 10:00-11:00 (New York time)" in jane.body
    assert "Sketch a service on a shared board." in jane.body
    assert "https://x/portal/t" in jane.body
    assert "ana@acme.example.com" not in jane.body
    panel_event = vobject.readOne(ana.ics).vevent
    candidate_event = vobject.readOne(jane.ics).vevent
    assert panel_event.uid.value == candidate_event.uid.value == interview.uid
    assert {a.value.lower() for a in panel_event.attendee_list} == {
        "mailto:ana@acme.example.com",
        "mailto:ben@acme.example.com",
        "mailto:jane@example.org",
    }
    # The candidate's copy keeps the interviewers' addresses inside the team.
    assert [a.value.lower() for a in candidate_event.attendee_list] == ["mailto:jane@example.org"]
    assert "ben@acme.example.com" not in jane.ics


def test_a_candidate_without_a_zone_reads_the_time_in_the_teams_zone_as_on_their_portal(
    db, interview
):
    interview.application.candidate.timezone = None
    interview.team.timezone = "Asia/Kolkata"

    queue_interview_email(db.session, interview, "scheduled")

    [jane] = [mail for mail in _queued(db) if mail.to_email == "jane@example.org"]
    assert "Wed 05 Mar, 20:30-21:30 (Kolkata time)" in jane.body


def test_a_cancellation_email_carries_a_cancel_file_and_no_internal_reason(db, interview):
    interview.status = InterviewStatus.CANCELLED
    interview.cancel_reason = "Hiring freeze in the platform group"
    interview.sequence += 1

    queue_interview_email(db.session, interview, "cancelled")

    emails = _queued(db)
    assert len(emails) == 3
    for mail in emails:
        assert mail.method == "CANCEL"
        assert mail.subject.startswith("Interview cancelled: System design")
        calendar = vobject.readOne(mail.ics)
        assert calendar.method.value == "CANCEL"
        assert int(calendar.vevent.sequence.value) == 1
        assert "Hiring freeze" not in mail.body + mail.ics


def test_send_mail_without_smtp_leaves_the_emails_queued(runner, db, interview):
    queue_interview_email(db.session, interview, "scheduled")
    db.session.commit()

    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "SMTP is not configured" in result.output
    assert "3 email(s) wait" in result.output
    assert all(mail.sent_at is None and mail.attempts == 0 for mail in _queued(db))


def _closed_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_costs_one_email_one_attempt_and_stops_the_run(
    app, runner, db, interview, monkeypatch
):
    queue_interview_email(db.session, interview, "scheduled")
    db.session.commit()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", str(_closed_port()))
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", "2")

    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 1
    assert "1 email(s) could not be sent for now and will be tried again" in result.output
    assert "Stopped early: the mail server could not be reached" in result.output
    db.session.expire_all()
    tried, *others = _queued(db)
    assert tried.status is OutboxStatus.WAITING and tried.attempts == 1
    assert "Connection" in tried.last_error
    assert tried.next_attempt_at == tried.last_attempt_at + timedelta(minutes=1)
    # The others were not tried: the server, not they, was the trouble.
    assert [(mail.attempts, mail.last_error) for mail in others] == [(0, ""), (0, "")]


class FakeSMTP:
    """Stands in for ``smtplib.SMTP``: records what would have been sent."""

    sent: list = []
    refuse: set[str] = set()
    calls: list[str] = []

    def __init__(self, host, port, timeout=None) -> None:
        self.calls.append(f"connect {host}:{port}")

    def starttls(self) -> None:
        self.calls.append("starttls")

    def login(self, username, password) -> None:
        self.calls.append(f"login {username}")

    def send_message(self, message) -> None:
        if any(address in message["To"] for address in self.refuse):
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"No such user")})
        self.sent.append(message)

    def quit(self) -> None:
        self.calls.append("quit")

    def close(self) -> None:
        pass


class FakeSMTPSSL(FakeSMTP):
    """Stands in for ``smtplib.SMTP_SSL``: encrypted from the first byte."""

    def __init__(self, host, port, timeout=None) -> None:
        self.calls.append(f"connect with TLS {host}:{port}")


@pytest.fixture
def fake_smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.refuse, FakeSMTP.calls = [], set(), []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(smtplib, "SMTP_SSL", FakeSMTPSSL)
    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.example.com")
    monkeypatch.setitem(app.config, "SMTP_USERNAME", "robot")
    monkeypatch.setitem(app.config, "SMTP_PASSWORD", "secret")
    monkeypatch.setitem(app.config, "MAIL_FROM", "Acme hiring <hiring@acme.example.com>")
    return FakeSMTP


def test_port_465_delivers_over_tls_from_the_first_byte(
    app, runner, db, interview, fake_smtp, monkeypatch
):
    monkeypatch.setitem(app.config, "SMTP_PORT", "465")
    queue_interview_email(db.session, interview, "scheduled")
    db.session.commit()

    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert fake_smtp.calls == ["connect with TLS mail.example.com:465", "login robot", "quit"]
    assert len(fake_smtp.sent) == 3


def test_send_mail_delivers_text_and_calendar_invitation_and_marks_them_sent(
    runner, db, interview, fake_smtp
):
    queue_interview_email(db.session, interview, "scheduled")
    db.session.commit()

    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "Sent 3 email(s)" in result.output
    assert fake_smtp.calls == ["connect mail.example.com:587", "starttls", "login robot", "quit"]
    db.session.expire_all()
    assert all(mail.is_sent and mail.sent_at and mail.attempts == 1 for mail in _queued(db))
    message = email.message_from_bytes(
        next(m for m in fake_smtp.sent if "jane@example.org" in m["To"]).as_bytes()
    )
    # The candidate hears from the team by name, at the configured address; the panel
    # from the configured sender as it is.
    assert message["From"] == "Acme <hiring@acme.example.com>"
    panel = next(m for m in fake_smtp.sent if "ana@acme.example.com" in m["To"])
    assert panel["From"] == "Acme hiring <hiring@acme.example.com>"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "Wed 05 Mar, 10:00-11:00" in parts["text/plain"].get_payload(decode=True).decode()
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    attachment = parts["application/ics"]
    assert attachment.get_filename() == "invite.ics"
    calendar = vobject.readOne(attachment.get_payload(decode=True).decode())
    assert calendar.vevent.uid.value == interview.uid

    assert "nothing to send" in runner.invoke(args=["send-mail"]).output
    assert len(fake_smtp.sent) == 3


def test_a_refused_recipient_fails_at_once_while_the_others_are_sent(
    runner, db, interview, fake_smtp
):
    queue_interview_email(db.session, interview, "scheduled")
    db.session.commit()
    fake_smtp.refuse = {"ben@acme.example.com"}

    result = runner.invoke(args=["send-mail"])

    assert result.exit_code == 1
    db.session.expire_all()
    states = {mail.to_email: mail for mail in _queued(db)}
    assert states["ben@acme.example.com"].status is OutboxStatus.FAILED
    assert "1 email(s) failed permanently" in result.output
    assert "SMTPRecipientsRefused" in states["ben@acme.example.com"].last_error
    assert states["ana@acme.example.com"].sent_at is not None
    assert states["jane@example.org"].sent_at is not None


def test_admins_read_the_outbox_and_each_email(client, auth, db, interview):
    queue_interview_email(db.session, interview, "scheduled")
    db.session.commit()
    auth.login(Role.ADMIN, team=interview.team)

    page = client.get("/admin/outbox")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "SMTP is not configured" in html
    assert "Interview booked: System design with Jane Doe" in html
    assert "jane@example.org" in html
    mail = next(m for m in _queued(db) if m.to_email == "jane@example.org")
    detail = client.get(f"/admin/outbox/{mail.id}").get_data(as_text=True)
    assert "Sketch a service on a shared board." in detail
    assert "BEGIN:VCALENDAR" in detail


def test_the_outbox_shows_sent_emails_apart_from_waiting_ones(client, auth, db, interview):
    emails = queue_interview_email(db.session, interview, "scheduled")
    emails[0].status, emails[0].sent_at, emails[0].attempts = (
        OutboxStatus.SENT,
        datetime.now(UTC),
        1,
    )
    emails[1].attempts, emails[1].last_error = 2, "SMTPServerDisconnected: gone"
    db.session.commit()
    auth.login(Role.ADMIN, team=interview.team)

    waiting = client.get("/admin/outbox").get_data(as_text=True)
    sent = client.get("/admin/outbox?show=sent").get_data(as_text=True)

    assert emails[0].to_email not in waiting
    assert "Failed 2×" in waiting and "SMTPServerDisconnected: gone" in waiting
    assert emails[0].to_email in sent
    assert emails[1].to_email not in sent


def test_only_admins_see_the_outbox(client, auth, interview):
    auth.login(Role.HIRING_MANAGER, team=interview.team)

    assert client.get("/admin/outbox").status_code == 403


def test_another_teams_email_is_not_found(client, auth, db, interview):
    queue_interview_email(db.session, interview, "scheduled")
    db.session.commit()
    auth.login(Role.ADMIN)

    assert "jane@example.org" not in client.get("/admin/outbox").get_data(as_text=True)
    assert client.get(f"/admin/outbox/{_queued(db)[0].id}").status_code == 404


def test_the_outbox_page_takes_the_same_number_of_queries_for_few_and_many_emails(
    client, auth, db, interview, count_queries
):
    auth.login(Role.ADMIN, team=interview.team)
    queue_interview_email(db.session, interview, "scheduled")
    db.session.commit()
    with count_queries() as few:
        client.get("/admin/outbox?show=all")
    for kind in ("rescheduled", "rescheduled", "rescheduled"):
        queue_interview_email(db.session, interview, kind)
    db.session.commit()
    with count_queries() as many:
        html = client.get("/admin/outbox?show=all").get_data(as_text=True)

    assert html.count("Interview moved") == 9
    assert many.count == few.count


def test_the_outbox_pages_by_cursor_newest_first(app, client, auth, db, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    admin = auth.login(Role.ADMIN)
    moment = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for number in range(7):
        db.session.add(
            OutboxEmail(
                team_id=admin.team_id,
                to_email=f"p{number}@example.org",
                subject="Hi",
                body=".",
                created_at=moment + (number // 2) * timedelta(minutes=1),
            )
        )
    db.session.flush()

    seen, pages, path = [], 0, "/admin/outbox?show=all"
    while path and pages < 5:
        html = client.get(path).get_data(as_text=True)
        pages += 1
        seen += re.findall(r"&lt;(p\d)@example.org&gt;", html)
        found = re.search(r'href="([^"#]+)">Next</a>', html)
        path = found.group(1).replace("&amp;", "&") if found else None

    assert seen == [f"p{number}" for number in reversed(range(7))]
    assert pages == 3 and "show=all" in html
