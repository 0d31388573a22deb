"""The worker: Huey's schedule runs mail delivery every minute and scorecard reminders every
15 minutes, against the real database, a real SMTP server, and SQLite or Redis storage."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import pytest
import time_machine
from aiosmtpd.controller import Controller
from huey import PriorityRedisHuey, SqliteHuey
from huey.consumer import Scheduler
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer import create_app, worker
from interviewer.auth.models import Team
from interviewer.extensions import db as _db
from interviewer.mail.models import OutboxEmail
from interviewer.scorecards.models import ScorecardReminder
from tests.conftest import require_service
from tests.test_reminders import ENDS, make_interview
from tests.test_sign_in_throttling import REDIS_URL, _redis_reachable

ROOT = Path(__file__).resolve().parent.parent
#: Monday 4 May 2026, 16:30 UTC: a quarter-hour tick, 90 minutes after the interview ended.
TICK = ENDS + timedelta(minutes=90)


class Inbox:
    """An aiosmtpd handler that keeps each message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    @property
    def recipients(self) -> list[str]:
        return sorted(address for _, addresses in self.messages for address in addresses)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on a local port; yields (port, inbox)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def smtp_config(port: int | None) -> dict[str, str | None]:
    """Mail settings pointing at the local server, or none at all."""
    return {
        "SMTP_HOST": "127.0.0.1" if port else None,
        "SMTP_PORT": str(port) if port else None,
        "SMTP_STARTTLS": "false",
        "SMTP_SSL": "false",
        "SMTP_USERNAME": None,
        "SMTP_PASSWORD": None,
        "SMTP_TIMEOUT": "5",
        "MAIL_FROM": "hiring@acme.example.com",
    }


@pytest.fixture
def mail_settings(app, monkeypatch):
    """Sets the app's mail settings for one test: ``mail_settings(port)`` or ``(None)``."""

    def apply(port: int | None) -> None:
        for name, value in smtp_config(port).items():
            monkeypatch.setitem(app.config, name, value)

    return apply


def queue_email(team, to_email: str = "jane@example.org") -> OutboxEmail:
    email = OutboxEmail(
        team_id=team.id,
        to_email=to_email,
        to_name="Jane Doe",
        subject="Interview booked",
        body="See you on Monday.",
        created_at=ENDS - timedelta(days=1),
        # Due from when it was queued, as the outbox queues it.
        next_attempt_at=ENDS - timedelta(days=1),
    )
    _db.session.add(email)
    _db.session.flush()
    return email


def tick(huey, when: datetime) -> None:
    """One pass of the consumer's scheduler at ``when`` (UTC): it queues every periodic task
    due then; in immediate mode each runs as it is queued."""
    naive = when.astimezone(UTC).replace(tzinfo=None)
    Scheduler(huey, threading.Event(), interval=1, periodic=True).enqueue_periodic_tasks(naive)


def run_queue(huey) -> list[str]:
    """Run what a storage-backed queue holds, as a worker thread would; the task names."""
    names = []
    while (task := huey.dequeue()) is not None:
        names.append(task.name)
        huey.execute(task)
    return names


def test_the_schedule_runs_mail_every_minute_and_reminders_every_quarter_hour(app):
    huey = worker.get_huey(app)
    hour = [datetime(2026, 5, 4, 16, minute) for minute in range(60)]

    due = {
        minute.minute: sorted(task.name for task in huey.read_periodic(minute)) for minute in hour
    }

    assert {name for names in due.values() for name in names} == {
        "deliver_mail",
        "deliver_webhooks",
        "expire_offers",
        "send_reminders",
    }
    assert [minute for minute, names in due.items() if "deliver_mail" in names] == list(range(60))
    assert [m for m, names in due.items() if "deliver_webhooks" in names] == list(range(60))
    assert [minute for minute, names in due.items() if "send_reminders" in names] == [
        0,
        15,
        30,
        45,
    ]
    assert [minute for minute, names in due.items() if "expire_offers" in names] == [0, 15, 30, 45]


def test_one_tick_queues_the_due_reminder_and_delivers_it_with_the_waiting_email(
    app, db, smtp_server, mail_settings
):
    port, inbox = smtp_server
    mail_settings(port)
    interview, (ana,) = make_interview()
    waiting = queue_email(interview.team)

    with time_machine.travel(TICK, tick=False):
        tick(worker.get_huey(app), TICK)

    db.session.expire_all()
    reminder = db.session.scalars(select(ScorecardReminder)).one()
    assert (reminder.interview_id, reminder.user_id) == (interview.id, ana.id)
    emails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert [email.to_email for email in emails] == ["jane@example.org", ana.email]
    assert all(email.sent_at is not None and email.attempts == 1 for email in emails)
    assert emails[0].id == waiting.id
    assert inbox.recipients == sorted(["jane@example.org", ana.email])
    assert {sender for sender, _ in inbox.messages} == {"hiring@acme.example.com"}


def test_a_minute_between_quarter_hours_delivers_mail_and_queues_no_reminder(
    app, db, smtp_server, mail_settings
):
    port, inbox = smtp_server
    mail_settings(port)
    interview, _ = make_interview()
    queue_email(interview.team)
    between = TICK + timedelta(minutes=1)

    with time_machine.travel(between, tick=False):
        tick(worker.get_huey(app), between)

    assert db.session.scalars(select(ScorecardReminder)).all() == []
    assert inbox.recipients == ["jane@example.org"]


def test_without_smtp_the_emails_wait_in_the_outbox_and_reminders_still_queue(
    app, db, mail_settings
):
    mail_settings(None)
    interview, (ana,) = make_interview()
    queue_email(interview.team)

    with time_machine.travel(TICK, tick=False):
        tick(worker.get_huey(app), TICK)

    db.session.expire_all()
    emails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert [email.to_email for email in emails] == ["jane@example.org", ana.email]
    assert all(email.sent_at is None and email.attempts == 0 for email in emails)
    assert all(email.last_error == "" for email in emails)


def test_a_job_still_running_makes_the_next_tick_skip_it(
    app, db, smtp_server, mail_settings, caplog
):
    port, inbox = smtp_server
    mail_settings(port)
    team = make_interview()[0].team
    email = queue_email(team)
    huey = worker.get_huey(app)
    minute = TICK + timedelta(minutes=1)

    with huey.lock_task("deliver_mail"), time_machine.travel(minute, tick=False):
        tick(huey, minute)
    assert inbox.messages == []
    assert "unable to acquire lock deliver_mail" in caplog.text

    with time_machine.travel(minute, tick=False):
        tick(huey, minute)
    db.session.refresh(email)
    assert email.sent_at is not None
    assert inbox.recipients == ["jane@example.org"]


def _queue_app(app, **config):
    """A second app on the test database whose worker queues tasks in real storage."""
    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        WORKER_IMMEDIATE=False,
        **config,
    )


def test_without_redis_the_queue_is_a_sqlite_file_and_its_tasks_run(app, db, tmp_path, smtp_server):
    port, inbox = smtp_server
    queue_app = _queue_app(app, REDIS_URL="", WORKER_DB=str(tmp_path / "queue.db"))
    queue_app.config.update(smtp_config(port))
    interview, (ana,) = make_interview()
    queue_email(interview.team)

    huey = worker.get_huey(queue_app)
    assert isinstance(huey, SqliteHuey)
    assert huey.storage.filename == str(tmp_path / "queue.db")
    with time_machine.travel(TICK, tick=False):
        tick(huey, TICK)
        assert huey.pending_count() == 4
        assert run_queue(huey) == [
            "send_reminders",
            "deliver_mail",
            "deliver_webhooks",
            "expire_offers",
        ]

    assert inbox.recipients == sorted(["jane@example.org", ana.email])
    with queue_app.app_context():
        _db.engine.dispose()


def test_a_relative_worker_db_counts_from_the_instance_folder(app):
    queue_app = _queue_app(app, WORKER_DB="queue.db")

    assert worker.worker_db_path(queue_app) == Path(queue_app.instance_path) / "queue.db"
    with queue_app.app_context():
        _db.engine.dispose()


def test_with_redis_url_the_queue_lives_in_redis_and_its_tasks_run(app, db, smtp_server):
    reachable, reason = _redis_reachable(REDIS_URL)
    require_service("Redis", reachable, reason)
    port, inbox = smtp_server
    queue_app = _queue_app(app, REDIS_URL=REDIS_URL)
    queue_app.config.update(smtp_config(port))
    interview, (ana,) = make_interview()
    queue_email(interview.team)
    # A queue of this run only, whoever else uses the same Redis.
    huey = worker.create_huey(queue_app, name=f"interviewer-test-{uuid.uuid4().hex}")
    try:
        assert isinstance(huey, PriorityRedisHuey)
        with time_machine.travel(TICK, tick=False):
            tick(huey, TICK)
            assert huey.storage.conn.exists(huey.storage.queue_key)
            assert huey.pending_count() == 4
            ran = run_queue(huey)
            # Reminders first (their priority); Redis keeps no order among equal priorities.
            assert ran[0] == "send_reminders"
            assert sorted(ran[1:]) == ["deliver_mail", "deliver_webhooks", "expire_offers"]
    finally:
        huey.flush()
        with queue_app.app_context():
            _db.engine.dispose()

    assert inbox.recipients == sorted(["jane@example.org", ana.email])
    assert db.session.scalars(select(ScorecardReminder)).one().user_id == ana.id


def test_flask_worker_help_names_its_options(runner):
    result = runner.invoke(args=["worker", "--help"])

    assert result.exit_code == 0, result.output
    assert "--workers" in result.output
    assert "mail delivery every minute" in result.output


def test_flask_worker_refuses_to_start_on_the_immediate_testing_config(runner):
    result = runner.invoke(args=["worker"])

    assert result.exit_code == 1
    assert "WORKER_IMMEDIATE is on" in result.output


def test_flask_worker_delivers_the_outbox_in_its_own_process_and_stops_on_sigterm(
    tmp_path, smtp_server
):
    port, inbox = smtp_server
    database = f"sqlite:///{tmp_path / 'app.db'}"
    setup = create_app("testing", SQLALCHEMY_DATABASE_URI=database)
    with setup.app_context():
        flask_migrate.upgrade()
        engine = _db.engine
    with Session(engine) as session:
        team = Team(name="Acme", slug="acme")
        session.add(team)
        session.flush()
        session.add(
            OutboxEmail(team_id=team.id, to_email="jane@example.org", subject="Hi", body="Hello")
        )
        session.commit()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMTP_", "MAIL_", "REDIS_", "WORKER_", "DATABASE_"))
    }
    environment.update(
        {key: value for key, value in smtp_config(port).items() if value is not None},
        FLASK_APP="interviewer",
        INTERVIEWER_ENV="development",
        DATABASE_URL=database,
        WORKER_DB=str(tmp_path / "queue.db"),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "worker", "--workers", "2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # The scheduler's first pass, at start, runs the every-minute delivery.
        deadline = time.monotonic() + 20
        while not inbox.messages and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert inbox.recipients == ["jane@example.org"], output
    assert process.returncode == 0, output
    assert "Executing interviewer.worker.deliver_mail" in output
    assert "Shutting down gracefully" in output
    with Session(engine) as session:
        assert session.scalars(select(OutboxEmail.sent_at)).one() is not None
    engine.dispose()
