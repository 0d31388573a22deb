"""The load bench's processes: the app and hello world under gunicorn, wrk against them in
turn, and the checks that two app processes on one PostgreSQL and Redis behave as one.

Every server is started in a session of its own and stopped by its id when the bench ends,
also on Ctrl+C or SIGTERM (``Gunicorn`` is a context manager; ``bench.main`` holds them in an
``ExitStack``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from interviewer import ROOT
from interviewer.scheduling.models import Interview, PanelMember
from tests.bench_wrk import STATUS_SCRIPT, USER_AGENT, Load, parse_wrk, wrk_command
from tests.server_process import Answer, Visitor, _Stay, free_port

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
#: Long enough for a loaded machine to import the app and fork the workers.
START_SECONDS = 90
#: Signs a session for A that B reads, and the portal links the bench opens.
SECRET_KEY = "bench-secret-key-" + "0123456789abcdef" * 3
WORKERS = 2


class Gunicorn:
    """``app`` (gunicorn's ``module:callable``) served by ``WORKERS`` sync workers on a free
    port, with the production configuration and ``env`` on top; waits for ``probe`` to answer."""

    def __init__(self, app: str, env: dict[str, str], log: Path, probe: str = "/") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
        self.log = log
        self.probe = probe
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        if not GUNICORN.exists():
            raise SystemExit(f"{GUNICORN} is missing: make install (gunicorn is in the lock)")
        command = [
            str(GUNICORN),
            *("--workers", str(WORKERS), "--worker-class", "sync"),
            *("--bind", f"127.0.0.1:{self.port}", "--timeout", "120"),
            self.app,
        ]
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.log.read_text(errors="replace")[-3000:]
                self.__exit__()
                raise SystemExit(f"gunicorn {self.app} stopped at once:\n{output}")
            try:
                with urllib.request.urlopen(self.url + self.probe, timeout=5):
                    return self
            except urllib.error.HTTPError:
                return self  # it answers, whatever it says
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn {self.app} did not answer within {START_SECONDS}s")

    def __exit__(self, *exc_info: object) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        # An interrupt, as Ctrl+C would: gunicorn stops its workers at once on it.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production's configuration for the bench: its own key, plain HTTP cookies, rate
    limits off unless ``extra`` turns them on."""
    return {
        "INTERVIEWER_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "HSTS_SECONDS": "0",
        **extra,
    }


class Browser(Visitor):
    """A ``Visitor`` whose cookies can be read (for wrk's Cookie header) and which can move
    to another server (the cookies go along: they are kept per host, not per port)."""

    def __init__(self, base_url: str, timeout: float = 300) -> None:
        super().__init__(base_url, timeout)
        self.jar = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _Stay()
        )
        self._opener.addheaders = [("User-Agent", USER_AGENT)]

    @property
    def cookie(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)

    def try_sign_in(self, email: str, password: str) -> Answer:
        self.get("/login")
        return self.post("/login", {"email": email, "password": password})


def wrk(url: str, seconds: float, connections: int, cookie: str = "") -> Load:
    """One wrk run, read."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(STATUS_SCRIPT)
        script.flush()
        command = wrk_command(url, seconds, connections, cookie, script.name)
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stderr}{done.stdout}")
    return parse_wrk(done.stdout)


# The two-process checks ---------------------------------------------------------------------


@dataclass
class Check:
    name: str
    holds: bool
    detail: str


def session_check(a: str, b: str, email: str, password: str) -> Check:
    """A session signed in through A opens a page through B."""
    browser = Browser(a)
    browser.sign_in(email, password)
    browser.base_url = b
    answer = browser.get("/jobs")
    holds = answer.status == 200
    return Check(
        "session of A opens a page on B",
        holds,
        f"/jobs on B answered {answer.status}" + (f" to {answer.location}" if not holds else ""),
    )


def rate_limit_check(a: str, b: str, account_limit: int = 5) -> Check:
    """Failed sign-ins for one account, alternating between A and B, are refused once the
    two together reach the account's limit (each alone has seen only half)."""
    email = f"bench-nobody-{uuid.uuid4().hex[:10]}@example.org"
    browser = Browser(a)
    statuses = []
    for attempt in range(account_limit + 3):
        browser.base_url = (a, b)[attempt % 2]
        statuses.append(browser.try_sign_in(email, "not the password").status)
        if statuses[-1] == 429:
            break
    tripped = statuses[-1] == 429 and len(statuses) <= account_limit + 1
    return Check(
        "failed sign-ins on A and B share one limit",
        tripped,
        f"statuses A/B alternating: {statuses} (429 expected at try {account_limit + 1})",
    )


def free_hour(session: Session, user_id: int, now: datetime) -> datetime:
    """A weekday hour, three weeks or more ahead, in the interviewer's 9-17 (UTC) window,
    when the interviewer has no interview (earlier bench runs booked some)."""
    day = (now + timedelta(days=21)).replace(minute=0, second=0, microsecond=0)
    for offset in range(200):
        candidate_day = day + timedelta(days=offset)
        if candidate_day.weekday() >= 5:
            continue
        for hour in range(9, 16):
            starts = candidate_day.replace(hour=hour)
            busy = session.scalar(
                select(Interview.id)
                .join(PanelMember, PanelMember.interview_id == Interview.id)
                .where(
                    PanelMember.user_id == user_id,
                    Interview.status != "cancelled",
                    and_(
                        Interview.starts_at < starts + timedelta(hours=2),
                        Interview.ends_at > starts - timedelta(hours=1),
                    ),
                )
                .limit(1)
            )
            if busy is None:
                return starts
    raise SystemExit("no free hour for the booking check in 200 days")


def booking_check(
    a: str,
    b: str,
    session: Session,
    manager: tuple[str, str],
    user_id: int,
    bookings: list[tuple[int, int]],
) -> Check:
    """Two bookings of one interviewer at one time, one through A and one through B at the
    same moment, for two applications: exactly one is booked."""
    if len(bookings) < 2:
        return Check("one of two simultaneous bookings", False, "no two applications to book")
    starts = free_hour(session, user_id, datetime.now(UTC))
    browsers = []
    for server, (application_id, stage_id) in zip((a, b), bookings, strict=False):
        browser = Browser(server)
        browser.sign_in(*manager)
        path = f"/applications/{application_id}/stages/{stage_id}/schedule"
        browser.get(path)
        browsers.append((browser, path))
    form = {
        "starts_on": starts.date().isoformat(),
        "start_time": starts.strftime("%H:%M"),
        "timezone": "UTC",  # the interviewer's own zone
        "panel": str(user_id),
    }
    barrier = threading.Barrier(2)
    statuses: list[int] = [0, 0]

    def book(n: int) -> None:
        browser, path = browsers[n]
        barrier.wait(timeout=60)
        statuses[n] = browser.post(path, form).status

    threads = [threading.Thread(target=book, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    session.rollback()
    booked = session.scalars(
        select(Interview.id)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .where(
            PanelMember.user_id == user_id,
            Interview.starts_at == starts,
            Interview.status != "cancelled",
        )
    ).all()
    holds = sorted(statuses) == [200, 302] and len(booked) == 1
    return Check(
        "one of two simultaneous bookings",
        holds,
        f"at {starts:%Y-%m-%d %H:%M} UTC: A answered {statuses[0]}, B {statuses[1]} "
        f"(302 booked, 200 refused); {len(booked)} interview(s) in the database",
    )
