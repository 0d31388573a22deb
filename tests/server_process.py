"""The app served by a real server in a process of its own, and a small HTTP client for it.

``ServerProcess`` runs ``flask run`` (as ``make run`` does: one process, a thread per request)
or gunicorn (worker processes, as production does) on a free port of 127.0.0.1, against the
database named by ``DATABASE_URL``. ``Visitor`` is one person's browser: its own cookies, the
CSRF token read from the last page, no redirects followed (a test looks at the status).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

from interviewer import ROOT

#: Long enough for a loaded machine to import the app and fork the workers.
START_SECONDS = 60
CSRF_INPUT = re.compile(r"<input[^>]*\bname=\"csrf_token\"[^>]*>")
VALUE = re.compile(r"\bvalue=\"([^\"]*)\"")


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask_run(port: int) -> list[str]:
    """``make run``'s server: the development server, a thread per request."""
    return [
        *(sys.executable, "-m", "flask", "--app", "interviewer", "run"),
        *("--host", "127.0.0.1", "--port", str(port), "--with-threads"),
    ]


def gunicorn(port: int, workers: int = 2) -> list[str]:
    """Production's server: ``workers`` processes, each serving one request at a time."""
    return [
        *(sys.executable, "-m", "gunicorn", "--workers", str(workers)),
        *("--bind", f"127.0.0.1:{port}", "interviewer:create_app()"),
    ]


class ServerProcess:
    """``command`` (from ``flask_run`` or ``gunicorn``) serving the app on ``database_url``.

    A development configuration as ``make run`` has it: CSRF checked, debug off. Entering
    waits until the sign-in page answers; leaving stops the process. What the server prints
    goes to the file ``log`` (``output``).
    """

    def __init__(self, command_for_port, database_url: str, log: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = command_for_port(self.port)
        self.env = {
            **os.environ,
            "INTERVIEWER_ENV": "development",
            "FLASK_DEBUG": "0",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "server-process-test-key-of-thirty-two-bytes",
            **env,
        }
        self.log = log
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> ServerProcess:
        log = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            self._process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(log)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server stopped at once:\n{self.output}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2):
                    return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"the server did not answer within {START_SECONDS}s:\n{self.output}")

    def __exit__(self, *exc_info: object) -> None:
        if self._process is None:
            return
        # An interrupt, as Ctrl+C would: gunicorn stops its workers at once on it.
        self._process.send_signal(signal.SIGINT)
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)
        self._process = None

    @property
    def output(self) -> str:
        """What the server has printed so far."""
        return self.log.read_text(errors="replace")


@dataclass
class Answer:
    status: int
    body: str
    location: str | None


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One person's browser on ``base_url``: cookies kept, forms posted with the CSRF token."""

    def __init__(self, base_url: str, timeout: float = 120) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.csrf_token = ""
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _Stay()
        )

    def get(self, path: str) -> Answer:
        """Open ``path`` and remember the page's CSRF token, as the page's forms would."""
        answer = self._open(urllib.request.Request(self.base_url + path))
        found = CSRF_INPUT.search(answer.body)
        if found and (value := VALUE.search(found.group(0))):
            self.csrf_token = value.group(1)
        return answer

    def post(self, path: str, data: dict[str, str]) -> Answer:
        """Post ``data`` with the CSRF token of the last page opened."""
        body = urlencode({"csrf_token": self.csrf_token, **data}).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body))

    def sign_in(self, email: str, password: str) -> None:
        self.get("/login")
        answer = self.post("/login", {"email": email, "password": password})
        assert answer.status == 302, f"sign-in of {email} answered {answer.status}"

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return Answer(response.status, response.read().decode(), None)
        except urllib.error.HTTPError as error:
            with error:
                body = error.read().decode(errors="replace")
            return Answer(error.code, body, error.headers.get("Location"))
