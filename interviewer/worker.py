"""The worker: Huey runs the periodic jobs that cron runs otherwise, ``flask worker`` starts it.

Mail and webhook delivery run every minute; scorecard reminders and the expiry of booking offers
every 15 minutes; the pools' trainees move on daily at 02:00 UTC (and whenever a booking or the
pools page looks) and the retention period's anonymisation daily at 03:00 UTC. Each calls what
``flask send-mail``, ``flask send-reminders``, ``flask expire-offers`` and ``flask
apply-retention`` call; those commands keep working when no
worker runs, and without either the emails simply wait in the outbox.

The queue lives in Redis when ``REDIS_URL`` is set, so that workers on several machines share
it, else in a SQLite file (``WORKER_DB``, ``instance/worker.db``), so that the embedded default
needs nothing else running. Each job runs in its own app context, hence its own database
session, and commits its own work. With ``WORKER_IMMEDIATE`` (the testing config) a task runs
at once in the caller instead of being queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey import Huey, PriorityRedisHuey, SqliteHuey, crontab
from huey.exceptions import ConfigurationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from interviewer.auth import user_sessions
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.mail import delivery
from interviewer.mail.settings import SmtpSettings
from interviewer.privacy.cli import run_retention
from interviewer.scheduling import offers, pools
from interviewer.scorecards import reminders
from interviewer.scorecards.reminders_cli import scorecard_link
from interviewer.webhooks import delivery as webhooks

log = logging.getLogger(__name__)

#: Where ``create_app``'s extensions dict keeps the app's Huey instance.
EXTENSION = "interviewer.worker"


def deliver_mail(session: Session) -> None:
    """Send the queued emails as ``flask send-mail`` does, committing after each one; without
    ``SMTP_HOST`` they wait in the outbox."""
    try:
        settings = SmtpSettings.from_config()
    except ValueError as error:
        log.error("Mail not delivered: %s", error)
        return
    if not settings.configured:
        log.debug("SMTP is not configured (set SMTP_HOST): emails wait in the outbox.")
        return
    report = delivery.deliver_due(session, now=utcnow(), smtp_settings=settings)
    session.commit()
    log.info("Mail delivery: %s", report)


def deliver_webhooks(session: Session) -> None:
    """Send the due webhook deliveries as ``flask deliver-webhooks`` does; each claim and
    each result is committed as it happens."""
    report = webhooks.deliver_due(session)
    if report.attempted:
        log.info("Webhook delivery: %s", report)


def queue_reminders(session: Session) -> None:
    """Queue the scorecard reminders due now as ``flask send-reminders`` does, and commit."""
    try:
        queued = reminders.send_due_reminders(session, utcnow(), link_for=scorecard_link)
        session.commit()
    except IntegrityError:
        # The unique key on a reminder's day refused a row another run had just added.
        session.rollback()
        log.info("Another run was queuing the same reminders; this one added nothing.")
        return
    log.info("Queued %d scorecard reminder(s).", queued)


def anonymise_past_retention(session: Session) -> None:
    """Anonymise the candidates past their team's retention period, as ``flask
    apply-retention`` does, and commit."""
    erased = run_retention(session)
    log.info("Retention: anonymised %d candidate(s).", erased)


def expire_booking_offers(session: Session) -> None:
    """Mark the booking offers past their hold time as expired, as ``flask expire-offers``
    does, committing after each batch."""
    expired = offers.expire_all(session)
    log.info("Expired %d booking offer(s).", expired)


def advance_trainees(session: Session) -> None:
    """Move on the pools' trainees whose interviews completed their phase, and commit."""
    moved = pools.advance_trainees(session, None, utcnow())
    session.commit()
    log.info("Training path: %d trainee(s) moved on.", moved)


def purge_ended_sessions(session: Session) -> None:
    """Delete the sign-in sessions that ended over a week ago, and commit."""
    purged = user_sessions.purge_ended(session)
    session.commit()
    log.info("Deleted %d ended sign-in session(s).", purged)


@dataclass(frozen=True)
class PeriodicJob:
    """A job the worker runs on a schedule, in its own app context and session."""

    #: The Huey task's name, also the name of the lock that keeps two runs from overlapping.
    name: str
    #: Runs when the minute of the hour (UTC) is a multiple of this; 1: every minute.
    every_minutes: int
    run: Callable[[Session], None]
    #: Among tasks queued at once, the higher priority runs first.
    priority: int = 0
    #: A daily job's hour (UTC): it runs at that hour's first minute, once a day.
    hour: int | None = None

    @property
    def minute(self) -> str:
        """The minute field of the job's crontab: ``*``, ``*/15``, or ``0`` for a daily job."""
        if self.hour is not None:
            return "0"
        return "*" if self.every_minutes == 1 else f"*/{self.every_minutes}"

    @property
    def crontab_hour(self) -> str:
        return "*" if self.hour is None else str(self.hour)

    @property
    def period(self) -> str:
        """How often it runs, in words for the worker's log."""
        if self.hour is not None:
            return f"daily at {self.hour:02d}:00 UTC"
        return f"every {self.every_minutes} min"


#: What the worker runs. Reminders come first in a tick that runs both, so that the emails
#: they queue leave with that tick's delivery when one worker runs the queue.
PERIODIC_JOBS = (
    PeriodicJob("send_reminders", 15, queue_reminders, priority=10),
    PeriodicJob("deliver_mail", 1, deliver_mail),
    PeriodicJob("deliver_webhooks", 1, deliver_webhooks),
    PeriodicJob("expire_offers", 15, expire_booking_offers),
    PeriodicJob("apply_retention", 24 * 60, anonymise_past_retention, hour=3),
    PeriodicJob("purge_sessions", 24 * 60, purge_ended_sessions, hour=4),
    PeriodicJob("advance_trainees", 24 * 60, advance_trainees, hour=2),
)


def worker_db_path(app: Flask) -> Path:
    """The queue file of SQLite storage: ``WORKER_DB``, relative to the instance folder."""
    return Path(app.instance_path) / (app.config.get("WORKER_DB") or "worker.db")


def create_huey(app: Flask, name: str = "interviewer") -> Huey:
    """A Huey instance with the periodic jobs, its storage chosen by ``app``'s config.

    ``REDIS_URL`` set: Redis, with priorities as SQLite storage has them. Else the SQLite
    file ``WORKER_DB``. ``name`` keeps queues apart that share one Redis.
    """
    options = {
        "name": name,
        # Nothing reads task results: keeping them would only fill the storage.
        "results": False,
        "immediate": bool(app.config.get("WORKER_IMMEDIATE")),
    }
    url = (app.config.get("REDIS_URL") or "").strip()
    if url:
        huey: Huey = PriorityRedisHuey(url=url, **options)
    else:
        huey = SqliteHuey(filename=str(worker_db_path(app)), **options)
    for job in PERIODIC_JOBS:
        register_periodic_job(huey, app, job)
    return huey


def register_periodic_job(huey: Huey, app: Flask, job: PeriodicJob) -> None:
    """Add ``job`` to ``huey``'s schedule, run inside ``app``'s context under a lock."""
    lock = huey.lock_task(job.name)

    def tick() -> None:
        # Locked, a run that is still going makes the next tick a logged no-op.
        with lock, app.app_context():
            job.run(db.session)

    huey.periodic_task(
        crontab(minute=job.minute, hour=job.crontab_hour),
        name=job.name,
        priority=job.priority,
        # A tick that waited for a whole period is superseded by the next one.
        expires=job.every_minutes * 60,
    )(tick)


def get_huey(app: Flask | None = None) -> Huey:
    """The app's Huey instance, made on first use (the web process never opens the queue)."""
    app = app or current_app._get_current_object()
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = create_huey(app)
    return app.extensions[EXTENSION]


def register(app: Flask) -> None:
    """Add ``worker`` to ``app.cli``."""
    app.cli.add_command(worker_command)


def describe_storage(huey: Huey) -> str:
    """Where the queue lives, for the log: the Redis server or the SQLite file."""
    if isinstance(huey, PriorityRedisHuey):
        kwargs = huey.storage.pool.connection_kwargs
        return f"Redis at {kwargs.get('host', '?')}:{kwargs.get('port', '?')}"
    return f"SQLite file {huey.storage.filename}"


@click.command("worker")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="How many jobs may run at once (threads).",
)
@click.option(
    "--no-periodic",
    is_flag=True,
    help="Only run queued tasks; another worker sharing the Redis queue runs the schedule.",
)
@with_appcontext
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run the worker until stopped: mail delivery every minute, scorecard reminders and offer
    expiry every 15 minutes, retention daily at 03:00 UTC. SIGTERM lets running jobs finish;
    Ctrl+C stops at once."""
    app = current_app._get_current_object()
    try:
        huey = get_huey(app)
    except ConfigurationError as error:
        # Such as REDIS_URL set without the redis package installed.
        raise click.ClickException(str(error)) from None
    if huey.immediate:
        raise click.ClickException(
            "WORKER_IMMEDIATE is on (the testing config): tasks run in the caller, "
            "there is no queue for a worker."
        )
    # The factory configures logging outside debug and testing; this fills the gap there
    # (basicConfig changes nothing when handlers exist), so that what runs is always shown.
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("huey").setLevel(logging.INFO)
    log.setLevel(app.config.get("LOG_LEVEL") or logging.INFO)
    try:
        smtp = SmtpSettings.from_config()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if not smtp.configured:
        log.warning("SMTP is not configured (set SMTP_HOST): emails will wait in the outbox.")
    log.info(
        "Worker starting with %d thread(s), queue in %s; %s.",
        workers,
        describe_storage(huey),
        "schedule off"
        if no_periodic
        else ", ".join(f"{job.name} {job.period}" for job in PERIODIC_JOBS),
    )
    consumer = huey.create_consumer(
        workers=workers,
        periodic=not no_periodic,
        # A lock left by a worker killed mid-job would stop that job for good. Clearing it
        # may let one run overlap another machine's once; the outbox's claims and the
        # reminders' unique key make that harmless.
        flush_locks=True,
        # Service managers stop with SIGTERM: let the jobs running then finish.
        graceful_signal="TERM",
    )
    consumer.run()
